import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sha256Hex, signedHeaders, signingString, signRequest, verifyRequest } from "./signature.ts";

// The worked example of docs/UPSTREAM_PROTOCOL.md: if these change, the document must too.
const SECRET = "demo-secret-123";
const TIMESTAMP = 1764316800; // 2025-11-28T08:00:00Z
const METHOD = "POST";
const PATH = "/api/upstream/v1/tickets";
const BODY =
  '{"externalId":"598","type":"BUSINESS_TECH","title":"服务器无法远程连接","messages":[{"externalMessageId":"598-1","author":{"role":"member","name":"客户"},"body":"您好，服务器从今天下午起无法远程连接。","createdAt":"2025-11-28T15:58:00+08:00"}],"member":{"id":"1100001"},"business":{"id":"20001","ip":"203.0.113.10","type":"云服务器"}}';
const BODY_SHA256 = "5297d6ebd61e6f313ba5485b9ea0764012b9a7f27171259feceeb02f6210398e";
// Also computed with: printf '%s' "$STRING" | openssl dgst -sha256 -hmac demo-secret-123
const EXPECTED_SIGNATURE = "v1=b5e182afc93a2b59ddb62da52b9124358ce07b0f4f570b9da77489c12d16a5b6";

const NOW = new Date(TIMESTAMP * 1000);

function headersOf(record: Record<string, string>) {
  return new Headers(record);
}

function exampleHeaders(overrides: Record<string, string> = {}) {
  return headersOf({
    "X-Partner-Id": "p-1001",
    "X-Key-Id": "k-1",
    "X-Timestamp": String(TIMESTAMP),
    "X-Signature": EXPECTED_SIGNATURE,
    ...overrides,
  });
}

function verifyExample(overrides: Partial<Parameters<typeof verifyRequest>[0]> = {}) {
  return verifyRequest({
    headers: exampleHeaders(),
    method: METHOD,
    pathWithQuery: PATH,
    rawBody: BODY,
    secrets: [SECRET],
    now: NOW,
    ...overrides,
  });
}

describe("worked example", () => {
  it("matches the signature computed step by step, as openssl would", () => {
    // Step 1: sha256 of the exact UTF-8 body bytes, lowercase hex.
    const bodyHash = createHash("sha256").update(Buffer.from(BODY, "utf8")).digest("hex");
    expect(bodyHash).toBe(BODY_SHA256);
    // Step 2: the string to sign, four lines joined by "\n", no trailing newline.
    const stringToSign = `${TIMESTAMP}\n${METHOD}\n${PATH}\n${bodyHash}`;
    expect(signingString({ method: METHOD, pathWithQuery: PATH, body: BODY, timestamp: TIMESTAMP })).toBe(
      stringToSign,
    );
    // Step 3: HMAC-SHA256 keyed with the secret's UTF-8 bytes, lowercase hex, "v1=" prefix.
    const hmac = createHmac("sha256", Buffer.from(SECRET, "utf8")).update(stringToSign, "utf8").digest("hex");
    expect(`v1=${hmac}`).toBe(EXPECTED_SIGNATURE);

    expect(signRequest({ secret: SECRET, method: METHOD, pathWithQuery: PATH, body: BODY, timestamp: TIMESTAMP })).toBe(
      EXPECTED_SIGNATURE,
    );
  });

  it("hashes a Uint8Array body the same as its UTF-8 string", () => {
    expect(sha256Hex(new TextEncoder().encode(BODY))).toBe(BODY_SHA256);
  });

  it("signs the method case-insensitively as upper case", () => {
    expect(signRequest({ secret: SECRET, method: "post", pathWithQuery: PATH, body: BODY, timestamp: TIMESTAMP })).toBe(
      EXPECTED_SIGNATURE,
    );
  });

  it("signs the documented GET example with a query and an empty body", () => {
    const path = "/api/upstream/v1/tickets?changedAfter=ch-000130&limit=100";
    expect(signRequest({ secret: SECRET, method: "GET", pathWithQuery: path, body: "", timestamp: TIMESTAMP })).toBe(
      "v1=4b216dd26d94d4bb323a034635c2d8fda822a792b7f0e83239db09cf05bad234",
    );
  });

  it("signs an empty GET body as the hash of zero bytes", () => {
    expect(signingString({ method: "GET", pathWithQuery: "/a?b=1", body: "", timestamp: 1 })).toBe(
      "1\nGET\n/a?b=1\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
  });

  it("refuses a full URL in place of a path, which could never verify", () => {
    expect(() =>
      signRequest({ secret: SECRET, method: METHOD, pathWithQuery: `https://x.test${PATH}`, body: BODY, timestamp: TIMESTAMP }),
    ).toThrow(TypeError);
  });
});

describe("signedHeaders", () => {
  it("produces every header, signed at the given time", () => {
    const headers = signedHeaders({
      partnerId: "p-1001",
      keyId: "k-1",
      secret: SECRET,
      method: METHOD,
      pathWithQuery: PATH,
      body: BODY,
      now: new Date(TIMESTAMP * 1000 + 999), // sub-second part is dropped
    });
    expect(headers).toEqual({
      "X-Partner-Id": "p-1001",
      "X-Key-Id": "k-1",
      "X-Timestamp": String(TIMESTAMP),
      "X-Signature": EXPECTED_SIGNATURE,
      "Content-Type": "application/json",
    });
  });

  it("round-trips through verifyRequest at the current time", () => {
    const headers = signedHeaders({ partnerId: "p", keyId: "k", secret: SECRET, method: "GET", pathWithQuery: "/x?y=1", body: "" });
    expect(verifyRequest({ headers: headersOf(headers), method: "GET", pathWithQuery: "/x?y=1", rawBody: "", secrets: [SECRET] })).toEqual({
      ok: true,
    });
  });
});

describe("verifyRequest", () => {
  it("accepts the worked example", () => {
    expect(verifyExample()).toEqual({ ok: true });
  });

  it("accepts the raw body as bytes", () => {
    expect(verifyExample({ rawBody: Buffer.from(BODY, "utf8") })).toEqual({ ok: true });
  });

  it.each([
    ["body", { rawBody: BODY.replace("598", "599") }],
    ["path", { pathWithQuery: `${PATH}?x=1` }],
    ["method", { method: "PUT" }],
    ["timestamp", { headers: exampleHeaders({ "X-Timestamp": String(TIMESTAMP + 1) }) }],
    ["secret", { secrets: ["another-secret"] }],
  ])("rejects a tampered %s as invalid_signature", (_what, overrides) => {
    expect(verifyExample(overrides)).toEqual({ ok: false, code: "invalid_signature" });
  });

  it("accepts a skew of exactly 300 s either way", () => {
    expect(verifyExample({ now: new Date((TIMESTAMP + 300) * 1000) })).toEqual({ ok: true });
    expect(verifyExample({ now: new Date((TIMESTAMP - 300) * 1000) })).toEqual({ ok: true });
  });

  it("rejects a timestamp 301 s off, either way, as stale_timestamp", () => {
    expect(verifyExample({ now: new Date((TIMESTAMP + 301) * 1000) })).toEqual({ ok: false, code: "stale_timestamp" });
    expect(verifyExample({ now: new Date((TIMESTAMP - 301) * 1000) })).toEqual({ ok: false, code: "stale_timestamp" });
  });

  it("honours a custom maxSkewSeconds", () => {
    expect(verifyExample({ now: new Date((TIMESTAMP + 61) * 1000), maxSkewSeconds: 60 })).toEqual({
      ok: false,
      code: "stale_timestamp",
    });
  });

  it("accepts the previous secret during a rotation", () => {
    expect(verifyExample({ secrets: ["new-secret-456", SECRET] })).toEqual({ ok: true });
  });

  it("never treats an empty secret as a key", () => {
    const signedWithEmpty = signRequest({ secret: "", method: METHOD, pathWithQuery: PATH, body: BODY, timestamp: TIMESTAMP });
    expect(verifyExample({ headers: exampleHeaders({ "X-Signature": signedWithEmpty }), secrets: ["", SECRET] })).toEqual({
      ok: false,
      code: "invalid_signature",
    });
    expect(verifyExample({ secrets: [] })).toEqual({ ok: false, code: "invalid_signature" });
  });

  it.each(["v1=abc", "v1=", `${EXPECTED_SIGNATURE}00`, "garbage", "v1=ÿÿ", EXPECTED_SIGNATURE.toUpperCase()])(
    "rejects the malformed signature %j without throwing",
    (signature) => {
      expect(verifyExample({ headers: exampleHeaders({ "X-Signature": signature }) })).toEqual({
        ok: false,
        code: "invalid_signature",
      });
    },
  );

  it.each(["X-Partner-Id", "X-Key-Id", "X-Timestamp", "X-Signature"])("reports a missing %s", (name) => {
    const headers = exampleHeaders();
    headers.delete(name);
    expect(verifyExample({ headers })).toEqual({ ok: false, code: "missing_headers" });
  });

  it.each(["", "abc", "-1", "1764316800.5", "1e9"])("reports the malformed timestamp %j as missing", (timestamp) => {
    expect(verifyExample({ headers: exampleHeaders({ "X-Timestamp": timestamp }) })).toEqual({
      ok: false,
      code: "missing_headers",
    });
  });

  it("reads headers case-insensitively through get()", () => {
    const lower = { get: (name: string) => exampleHeaders().get(name.toLowerCase()) };
    expect(verifyExample({ headers: lower })).toEqual({ ok: true });
  });

  it("returns invalid_signature rather than throwing on a path without a leading slash", () => {
    expect(verifyExample({ pathWithQuery: "api/upstream/v1/tickets" })).toEqual({ ok: false, code: "invalid_signature" });
  });
});
