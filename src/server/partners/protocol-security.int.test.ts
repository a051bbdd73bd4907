import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { asSuperAdmin } from "@/test/callers";
import { createBody, createPartner, protocolEnv, type TestPartner } from "@/test/partner-world";
import { dispatch, json, signedRequest, type Credentials } from "@/test/protocol";
import { seedDemoData } from "@/server/db/seed-demo";
import { createRateLimits } from "@/server/rate-limits";
import { createWorker } from "@/server/outbox/worker";
import { upstreamDepsFromConfig } from "@/server/upstream/deps";
import { MAX_BODY_BYTES, ZProtocolErrorBody } from "@/server/protocol/schemas";
import type { ProtocolEnv } from "./partner-door";

// Authentication, limits and replays, for EVERY endpoint of docs/UPSTREAM_PROTOCOL.md §6, through
// the handlers the route files export, with real signed Requests.

let t: TestDatabase;
let env: ProtocolEnv;
beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.prisma);
  env = protocolEnv(t);
});
afterAll(() => t.close());

type Endpoint = { name: string; method: "GET" | "POST"; path: string; body?: () => unknown };

const PNG = Buffer.from("89504e470d0a1a0a", "hex");
let n = 0;
const uid = (p: string) => `${p}${Date.now()}${++n}`;

/** Tickets of `p` to aim at: `guid` stays open; `closeGuid` is the one the close endpoint hits. */
async function endpointsFor(p: TestPartner): Promise<Endpoint[]> {
  const body = createBody(uid("S"));
  body.messages[0] = { ...body.messages[0]!, attachments: [{ fileName: "a.png", mimeType: "image/png", content: PNG.toString("base64") }] } as never;
  const created = await json<{ guid: string }>(await dispatch(env, signedRequest(p, "POST", "/api/upstream/v1/tickets", body)));
  const toClose = await json<{ guid: string }>(await dispatch(env, signedRequest(p, "POST", "/api/upstream/v1/tickets", createBody(uid("C")))));
  const sha = (await t.prisma.attachment.findFirstOrThrow({ where: { ticket: { guid: created.guid } } })).storageKey;
  const g = created.guid;
  return [
    { name: "create", method: "POST", path: "/api/upstream/v1/tickets", body: () => createBody(uid("N")) },
    { name: "list changed", method: "GET", path: "/api/upstream/v1/tickets?limit=10" },
    { name: "get ticket", method: "GET", path: `/api/upstream/v1/tickets/${g}` },
    {
      name: "post message",
      method: "POST",
      path: `/api/upstream/v1/tickets/${g}/messages`,
      body: () => ({ externalMessageId: uid("M"), author: { role: "staff", name: "客服" }, body: "补充" }),
    },
    { name: "escalate", method: "POST", path: `/api/upstream/v1/tickets/${g}/escalate`, body: () => ({}) },
    { name: "close", method: "POST", path: `/api/upstream/v1/tickets/${toClose.guid}/close`, body: () => ({ reason: "问题已解决" }) },
    { name: "attachment", method: "GET", path: `/api/upstream/v1/tickets/${g}/attachments/${sha}` },
  ];
}

const call = (e: Endpoint, creds: Credentials, opts: Parameters<typeof signedRequest>[4] = {}, useEnv = env) =>
  dispatch(useEnv, signedRequest(creds, e.method, e.path, e.body?.(), opts));

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/json");
  const body = ZProtocolErrorBody.parse(await res.json());
  expect(body.error.code).toBe(code);
  expect(JSON.stringify(body)).not.toMatch(/\bat .+\.ts|node_modules/);
  return body;
}

describe(`protocol authentication and limits (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  let a: TestPartner;
  let endpoints: Endpoint[];
  beforeAll(async () => {
    a = await createPartner(t, "合作商A");
    endpoints = await endpointsFor(a);
  });

  it("a correctly signed request succeeds at every endpoint", async () => {
    for (const e of endpoints) expect([200, 201], e.name).toContain((await call(e, a)).status);
  });

  it("a bad signature is 401 invalid_signature at every endpoint", async () => {
    for (const e of endpoints) {
      await expectError(await call(e, a, { headers: { "X-Signature": `v1=${"0".repeat(64)}` } }), 401, "invalid_signature");
      await expectError(await call(e, { ...a, secret: "not-the-secret" }), 401, "invalid_signature");
    }
  });

  it("a body changed after signing is 401 invalid_signature at every POST endpoint", async () => {
    for (const e of endpoints.filter((x) => x.method === "POST")) {
      const signed = signedRequest(a, "POST", e.path, e.body?.());
      const tampered = new Request(signed.url, { method: "POST", headers: signed.headers, body: JSON.stringify({ ...(e.body?.() as object), title: "x" }) });
      await expectError(await dispatch(env, tampered), 401, "invalid_signature");
    }
  });

  it("a stale timestamp is 401 stale_timestamp at every endpoint, in the past and in the future", async () => {
    for (const e of endpoints) {
      await expectError(await call(e, a, { now: new Date(Date.now() - 301_000) }), 401, "stale_timestamp");
      await expectError(await call(e, a, { now: new Date(Date.now() + 301_000) }), 401, "stale_timestamp");
    }
  });

  it("an unknown partner, a wrong key id or missing headers all answer 401 invalid_signature", async () => {
    for (const e of endpoints) {
      await expectError(await call(e, { ...a, partnerId: "p-nobody" }), 401, "invalid_signature");
      await expectError(await call(e, { ...a, keyId: "k-other" }), 401, "invalid_signature");
      await expectError(await dispatch(env, new Request(`http://upstream.test${e.path}`, { method: e.method })), 401, "invalid_signature");
    }
  });

  it("another partner's GUID is 404 not_found at every ticket endpoint, and its tickets are never listed", async () => {
    const b = await createPartner(t, "合作商B");
    for (const e of endpoints.filter((x) => x.path.includes("/tickets/"))) {
      await expectError(await call(e, b), 404, "not_found");
    }
    const listed = await json<{ tickets: unknown[] }>(await call(endpoints[1]!, b));
    expect(listed.tickets).toEqual([]);
  });

  it("a body over 8 MiB is 413 payload_too_large at every POST endpoint, declared or streamed", async () => {
    const big = "x".repeat(MAX_BODY_BYTES + 1);
    for (const e of endpoints.filter((x) => x.method === "POST")) {
      await expectError(await call(e, a, { rawBody: big }), 413, "payload_too_large");
      // No Content-Length: the cap applies while reading the stream.
      const stream = new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < 9; i++) c.enqueue(new Uint8Array(1024 * 1024));
          c.close();
        },
      });
      const headers = signedRequest(a, "POST", e.path, undefined, { rawBody: "" }).headers;
      const req = new Request(`http://upstream.test${e.path}`, { method: "POST", headers, body: stream, duplex: "half" } as RequestInit);
      await expectError(await dispatch(env, req), 413, "payload_too_large");
    }
  });

  it("malformed JSON and schema violations are 422 validation_failed with issues, at every POST endpoint", async () => {
    for (const e of endpoints.filter((x) => x.method === "POST")) {
      const body = await expectError(await call(e, a, { rawBody: "{not json" }), 422, "validation_failed");
      expect(body.error.issues?.[0]?.message).toBe("malformed JSON");
    }
    const bad = { ...createBody(uid("V")), title: "" };
    const body = await expectError(await call(endpoints[0]!, a, { rawBody: JSON.stringify(bad) }), 422, "validation_failed");
    expect(body.error.issues?.map((i) => i.path)).toContain("title");
    await expectError(await call({ ...endpoints[1]!, path: "/api/upstream/v1/tickets?limit=501" }, a), 422, "validation_failed");
    await expectError(await call({ ...endpoints[2]!, path: `${endpoints[2]!.path}?after=nope` }, a), 422, "validation_failed");
  });

  it("the rate limit answers 429 rate_limited with Retry-After at every endpoint", async () => {
    for (const e of endpoints) {
      const limited = { ...env, limits: createRateLimits(t.prisma, { points: { partner: 1 }, keyPrefix: `limited-${e.name}-` }) };
      expect([200, 201], e.name).toContain((await call(e, a, {}, limited)).status);
      const res = await call(e, a, {}, limited);
      await expectError(res, 429, "rate_limited");
      expect(res.headers.get("retry-after")).toBe("60");
    }
  });

  it("a disabled partner is 403 partner_disabled at every endpoint (after the signature check)", async () => {
    const d = await createPartner(t, "合作商D");
    const dEndpoints = await endpointsFor(d);
    await asSuperAdmin(t.prisma).partners.update({ id: d.id, enabled: false });
    for (const e of dEndpoints) {
      await expectError(await call(e, d), 403, "partner_disabled");
      // Without the secret a caller learns nothing, not even that the partner is disabled.
      await expectError(await call(e, { ...d, secret: "guess" }), 401, "invalid_signature");
    }
  });

  it("during a rotation the previous secret is accepted at every endpoint, and refused once the grace period ended", async () => {
    const g = await createPartner(t, "合作商G");
    const gEndpoints = await endpointsFor(g);
    const { secret: fresh } = await asSuperAdmin(t.prisma).partners.rotateSecret({ id: g.id });
    for (const e of gEndpoints) {
      expect([200, 201], `${e.name} with the previous secret`).toContain((await call(e, g)).status);
      expect([200, 201], `${e.name} with the new secret`).toContain((await call(e, { ...g, secret: fresh })).status);
    }
    await t.prisma.downstreamPartner.update({ where: { id: g.id }, data: { previousSecretExpiresAt: new Date(Date.now() - 1000) } });
    for (const e of gEndpoints) {
      await expectError(await call(e, g), 401, "invalid_signature");
      expect([200, 201]).toContain((await call(e, { ...g, secret: fresh })).status);
    }
  });

  it("an immediate rotation (after a leak) refuses the old secret at once", async () => {
    const l = await createPartner(t, "合作商L");
    const [, list] = await endpointsFor(l);
    const { secret: fresh } = await asSuperAdmin(t.prisma).partners.rotateSecret({ id: l.id, immediate: true });
    await expectError(await call(list!, l), 401, "invalid_signature");
    expect((await call(list!, { ...l, secret: fresh })).status).toBe(200);
  });

  it("a replayed write is refused outright (401, its signature was used); a replayed read answers the same", async () => {
    for (const e of endpoints) {
      const body = e.body?.();
      const request = signedRequest(a, e.method, e.path, body);
      const now = new Date(Number(request.headers.get("X-Timestamp")) * 1000);
      const first = await dispatch(env, request);
      expect([200, 201], e.name).toContain(first.status);
      const mid = await Promise.all([t.prisma.ticket.count(), t.prisma.ticketMessage.count(), t.prisma.ticketEvent.count()]);
      // The very same request again (same signature, within the 300 s window): a replay.
      const again = await dispatch(env, signedRequest(a, e.method, e.path, body, { now }));
      const after = await Promise.all([t.prisma.ticket.count(), t.prisma.ticketMessage.count(), t.prisma.ticketEvent.count()]);
      expect(after, e.name).toEqual(mid);
      if (e.method === "GET") {
        expect(again.status, e.name).toBe(200);
        if (e.name !== "list changed") expect(Buffer.from(await again.arrayBuffer()).equals(Buffer.from(await first.arrayBuffer())), e.name).toBe(true);
      } else {
        await expectError(again, 401, "invalid_signature");
      }
    }
  });

  it("the background loop forgets signatures too old to replay (over 600 s) and keeps the rest, so a replay inside the window is still refused", async () => {
    const e = endpoints.find((x) => x.name === "post message")!;
    const body = e.body?.();
    const request = signedRequest(a, e.method, e.path, body);
    const now = new Date(Number(request.headers.get("X-Timestamp")) * 1000);
    expect((await dispatch(env, request)).status).toBe(201);
    const old = `old-${uid("sig")}`;
    await t.prisma.usedSignature.create({ data: { signature: old, seenAt: new Date(Date.now() - 601_000) } });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "relaydesk-sig-"));
    await createWorker(t.prisma, upstreamDepsFromConfig({ authSecret: process.env.AUTH_SECRET!, publicUrl: "http://127.0.0.1:9", dataDir })).tick();
    const kept = await t.prisma.usedSignature.findMany({ where: { signature: { in: [old, request.headers.get("X-Signature")!.slice(0, 80)] } } });
    expect(kept.map((k) => k.signature)).toEqual([request.headers.get("X-Signature")!.slice(0, 80)]);
    await expectError(await dispatch(env, signedRequest(a, e.method, e.path, body, { now })), 401, "invalid_signature");
  });
});
