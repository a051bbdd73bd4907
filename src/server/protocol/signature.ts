// Request signing for the upstream protocol (docs/UPSTREAM_PROTOCOL.md, "Authentication").
// Both directions use it: a downstream signs its requests, an upstream signs its callbacks.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_VERSION = "v1";
export const DEFAULT_MAX_SKEW_SECONDS = 300;
/** §4: how long the previous secret stays valid after a rotation, on both ends of a partnership. */
export const ROTATION_GRACE_DAYS = 7;
export const ROTATION_GRACE_MS = ROTATION_GRACE_DAYS * 24 * 3600_000;

export const SIGNATURE_HEADERS = {
  partnerId: "X-Partner-Id",
  keyId: "X-Key-Id",
  timestamp: "X-Timestamp",
  signature: "X-Signature",
} as const;

export type SignableBody = string | Uint8Array;

/** Anything with a case-insensitive `get`, e.g. the Fetch API `Headers` of a route handler. */
export interface HeaderReader {
  get(name: string): string | null | undefined;
}

export interface SignInput {
  secret: string;
  method: string;
  /** Exactly as sent on the wire: path plus "?query" if any, never re-encoded or re-ordered. */
  pathWithQuery: string;
  body: SignableBody;
  /** Unix seconds. */
  timestamp: number;
}

export type VerifyFailureCode = "invalid_signature" | "stale_timestamp" | "missing_headers";
export type VerifyResult = { ok: true } | { ok: false; code: VerifyFailureCode };

export function sha256Hex(body: SignableBody): string {
  return createHash("sha256").update(body).digest("hex");
}

/** The exact text the HMAC covers; exported so a 401 can be debugged side by side with a vendor. */
export function signingString(input: Omit<SignInput, "secret">): string {
  // A full URL here would sign fine and never verify; fail loudly at the caller's bug instead.
  if (!input.pathWithQuery.startsWith("/")) {
    throw new TypeError(`pathWithQuery must start with "/": ${input.pathWithQuery}`);
  }
  if (!Number.isSafeInteger(input.timestamp) || input.timestamp < 0) {
    throw new TypeError(`timestamp must be whole unix seconds: ${input.timestamp}`);
  }
  return [
    String(input.timestamp),
    input.method.toUpperCase(),
    input.pathWithQuery,
    sha256Hex(input.body),
  ].join("\n");
}

export function signRequest(input: SignInput): string {
  const hmac = createHmac("sha256", input.secret).update(signingString(input), "utf8");
  return `${SIGNATURE_VERSION}=${hmac.digest("hex")}`;
}

export function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

export interface SignedHeadersInput {
  partnerId: string;
  keyId: string;
  secret: string;
  method: string;
  pathWithQuery: string;
  body: SignableBody;
  /** Defaults to the current time; every retry must sign anew so it never goes stale. */
  now?: Date;
}

export function signedHeaders(input: SignedHeadersInput): Record<string, string> {
  const timestamp = unixSeconds(input.now ?? new Date());
  return {
    [SIGNATURE_HEADERS.partnerId]: input.partnerId,
    [SIGNATURE_HEADERS.keyId]: input.keyId,
    [SIGNATURE_HEADERS.timestamp]: String(timestamp),
    [SIGNATURE_HEADERS.signature]: signRequest({ ...input, timestamp }),
    "Content-Type": "application/json",
  };
}

export interface VerifyInput {
  headers: HeaderReader;
  method: string;
  pathWithQuery: string;
  /** The bytes as received, before any JSON parsing: re-serialised JSON would hash differently. */
  rawBody: SignableBody;
  /** Current secret first, then the previous one during a rotation's grace period. */
  secrets: readonly string[];
  now?: Date;
  maxSkewSeconds?: number;
}

/**
 * Checks headers, clock skew and signature. It does not look up the partner nor compare
 * X-Key-Id: the caller does that to choose `secrets`, and answers an unknown partner with
 * the same invalid_signature so probing reveals nothing.
 */
export function verifyRequest(input: VerifyInput): VerifyResult {
  const header = (name: string) => input.headers.get(name)?.trim() ?? "";
  const timestampText = header(SIGNATURE_HEADERS.timestamp);
  const provided = header(SIGNATURE_HEADERS.signature);
  if (
    !header(SIGNATURE_HEADERS.partnerId) ||
    !header(SIGNATURE_HEADERS.keyId) ||
    !provided ||
    !/^\d{1,12}$/.test(timestampText)
  ) {
    return { ok: false, code: "missing_headers" };
  }

  const timestamp = Number(timestampText);
  const now = unixSeconds(input.now ?? new Date());
  if (Math.abs(now - timestamp) > (input.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS)) {
    return { ok: false, code: "stale_timestamp" };
  }

  // The path comes from the caller's URL parsing; verification must never throw on input.
  if (!input.pathWithQuery.startsWith("/")) return { ok: false, code: "invalid_signature" };

  const providedBytes = Buffer.from(provided, "utf8");
  // An empty secret would let anyone sign (HMAC with an empty key is public knowledge).
  const matches = input.secrets
    .filter((secret) => secret.length > 0)
    .some((secret) => {
      const signature = signRequest({
        secret,
        timestamp,
        method: input.method,
        pathWithQuery: input.pathWithQuery,
        body: input.rawBody,
      });
      const expected = Buffer.from(signature, "utf8");
      // timingSafeEqual throws on unequal lengths; a length mismatch leaks nothing secret.
      return expected.length === providedBytes.length && timingSafeEqual(expected, providedBytes);
    });
  return matches ? { ok: true } : { ok: false, code: "invalid_signature" };
}
