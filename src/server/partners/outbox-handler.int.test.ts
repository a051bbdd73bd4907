import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { asSuperAdmin } from "@/test/callers";
import { createBody, createPartner, protocolEnv, seedPartnerCategories, type TestPartner } from "@/test/partner-world";
import { dispatch, json, signedRequest } from "@/test/protocol";
import type { OutboxRow } from "@/server/outbox/types";
import { ZCallbackEvent } from "@/server/protocol/schemas";
import { verifyRequest } from "@/server/protocol/signature";
import { deliverPartnerCallback } from "./outbox-handler";
import { isRetryableAnswer } from "@/server/protocol/outbound-sender";
import { parseRetryAfterMs } from "@/server/outbox/backoff";
import type { ProtocolEnv } from "./partner-door";

// Callbacks go over real HTTP to a real listener that verifies them as a downstream would.

type Received = { path: string; headers: http.IncomingHttpHeaders; body: string };
let t: TestDatabase;
let env: ProtocolEnv;
let server: http.Server;
let base: string;
const received: Received[] = [];
/** What the listener answers next: status and headers. */
let answer: { status: number; headers?: Record<string, string>; body?: string } = { status: 204 };

beforeAll(async () => {
  t = await createTestDatabase();
  await seedPartnerCategories(t);
  env = protocolEnv(t);
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body });
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await t?.close();
});

async function returnedTicketRow(p: TestPartner): Promise<OutboxRow> {
  const { guid } = await json<{ guid: string }>(await dispatch(env, signedRequest(p, "POST", "/api/upstream/v1/tickets", createBody())));
  const ticket = await t.prisma.ticket.findUniqueOrThrow({ where: { guid } });
  await asSuperAdmin(t.prisma).partnerTickets.returnToPartner({ ticketId: ticket.id });
  const row = await t.prisma.outboxMessage.findFirstOrThrow({ where: { ticketId: ticket.id }, orderBy: { id: "desc" } });
  return { ...row, kind: row.kind, payload: row.payload };
}

function verifies(r: Received, secrets: string[]) {
  const headers = new Headers(Object.entries(r.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v] as [string, string]] : [])));
  return verifyRequest({ headers, method: "POST", pathWithQuery: r.path, rawBody: r.body, secrets }).ok;
}

describe(`partner callbacks over HTTP (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("posts the stored event, signed with the partner's secret, to its registered URL (query included)", async () => {
    const p = await createPartner(t, "回调甲", { callbackUrl: `${base}/api/upstream/v1/callbacks/7?tenant=a` });
    const row = await returnedTicketRow(p);
    answer = { status: 204 };
    received.length = 0;
    expect(await deliverPartnerCallback(t.prisma, row, env.box)).toEqual({ ok: true });
    const [got] = received;
    expect(got!.path).toBe("/api/upstream/v1/callbacks/7?tenant=a");
    expect(got!.headers["x-partner-id"]).toBe(p.partnerId);
    expect(verifies(got!, [p.secret])).toBe(true);
    expect(ZCallbackEvent.parse(JSON.parse(got!.body))).toEqual(row.payload);
    // A retry sends the same event id (stable across attempts), freshly signed.
    await deliverPartnerCallback(t.prisma, { ...row, attempts: 1 }, env.box);
    expect(JSON.parse(received[1]!.body).eventId).toBe((row.payload as { eventId: string }).eventId);
  });

  it("during a rotation's grace period callbacks are signed with the previous secret; after it, with the new one", async () => {
    const p = await createPartner(t, "回调乙", { callbackUrl: `${base}/cb` });
    const row = await returnedTicketRow(p);
    const { secret: fresh } = await asSuperAdmin(t.prisma).partners.rotateSecret({ id: p.id });
    received.length = 0;
    answer = { status: 200 };
    await deliverPartnerCallback(t.prisma, row, env.box);
    expect(verifies(received[0]!, [p.secret])).toBe(true);
    expect(verifies(received[0]!, [fresh])).toBe(false);
    await t.prisma.downstreamPartner.update({ where: { id: p.id }, data: { previousSecretExpiresAt: new Date(Date.now() - 1) } });
    await deliverPartnerCallback(t.prisma, row, env.box);
    expect(verifies(received[1]!, [fresh])).toBe(true);
  });

  it("classifies answers: 5xx, 408, 404 and 429 (with Retry-After) retry; 410 and other 4xx dead-letter", async () => {
    const p = await createPartner(t, "回调丙", { callbackUrl: `${base}/cb` });
    const row = await returnedTicketRow(p);
    const outcome = async (status: number, headers?: Record<string, string>, body?: string) => {
      answer = { status, headers, body };
      return deliverPartnerCallback(t.prisma, row, env.box);
    };
    expect(await outcome(503)).toEqual({ ok: false, retryable: true, error: "HTTP 503" });
    expect(await outcome(408)).toMatchObject({ retryable: true });
    expect(await outcome(404, { "Content-Type": "application/json" }, '{"error":{"code":"not_found","message":"x"}}')).toEqual({
      ok: false,
      retryable: true,
      error: "HTTP 404 not_found",
    });
    expect(await outcome(429, { "Retry-After": "120" })).toEqual({ ok: false, retryable: true, error: "HTTP 429", retryAfterMs: 120_000 });
    expect(await outcome(410)).toMatchObject({ retryable: false, error: "HTTP 410" });
    expect(await outcome(422)).toMatchObject({ retryable: false });
  });

  it("an unreachable partner is a retryable network error; a disabled one is held; a corrupt payload dead-letters", async () => {
    const p = await createPartner(t, "回调丁", { callbackUrl: "http://127.0.0.1:9/cb" });
    const row = await returnedTicketRow(p);
    expect(await deliverPartnerCallback(t.prisma, row, env.box)).toMatchObject({ ok: false, retryable: true, error: expect.stringContaining("network error") });
    await asSuperAdmin(t.prisma).partners.update({ id: p.id, enabled: false });
    expect(await deliverPartnerCallback(t.prisma, row, env.box)).toEqual({ ok: false, retryable: true, error: "partner disabled" });
    expect(await deliverPartnerCallback(t.prisma, { ...row, payload: { eventId: "x" } }, env.box)).toMatchObject({ retryable: false });
  });

  it("Retry-After as seconds or an HTTP date, capped at an hour", () => {
    const now = new Date("2025-11-28T08:00:00Z");
    expect(parseRetryAfterMs("30", now)).toBe(30_000);
    expect(parseRetryAfterMs("Fri, 28 Nov 2025 08:02:00 GMT", now)).toBe(120_000);
    expect(parseRetryAfterMs("99999", now)).toBe(3_600_000);
    expect(parseRetryAfterMs("soon", now)).toBeUndefined();
  });

  it("one classification for both directions: a callback's 404 is retried (§7.4), a request's is final", () => {
    expect(isRetryableAnswer(404, "not_found", "callback")).toBe(true);
    expect(isRetryableAnswer(404, "not_found", "request")).toBe(false);
    for (const direction of ["request", "callback"] as const) {
      expect([401, 408, 429, 500, 503].map((s) => isRetryableAnswer(s, null, direction))).toEqual([true, true, true, true, true]);
      expect([410, 413, 422, 409].map((s) => isRetryableAnswer(s, null, direction))).toEqual([false, false, false, false]);
    }
  });
});
