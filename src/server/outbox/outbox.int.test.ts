import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admin, newTicket, setUpEscalation, type Fixture, SETUP_TIMEOUT_MS } from "@/test/escalation-fixture";
import { asStaff, asSuperAdmin } from "@/test/callers";
import { acceptTicket, replyToTicket } from "@/server/services/staff-ticket-service";
import { claimDueOutbox } from "@/server/db/repos/outbox";
import { enqueueOutbox } from "@/server/db/repos/tickets";
import { escalateTicket, getEscalationView } from "@/server/upstream/escalate";
import { RETRY_POLICY } from "./backoff";
import { deliverDueOutbox, LEASE_MS } from "./dispatcher";

let f: Fixture;
beforeAll(async () => {
  f = await setUpEscalation();
}, SETUP_TIMEOUT_MS);
afterAll(() => f?.close());
const db = () => f.t.prisma;
const later = (ms: number) => () => new Date(Date.now() + ms);
const rows = (ticketId: number) => db().outboxMessage.findMany({ where: { ticketId }, orderBy: { id: "asc" } });
const createsAtPeer = (ticketId: number) => [...f.peer.tickets.values()].filter((t) => t.externalId === String(ticketId));
const createCalls = () => f.peer.log.filter((l) => l.method === "POST" && l.path === "/api/upstream/v1/tickets" && l.status < 300).length;

async function acceptedTicket() {
  const ticket = await newTicket(f.t);
  await acceptTicket(db(), admin, { ticketId: ticket.id });
  return ticket;
}

describe(`outbox delivery (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("upstream down during escalation: the ticket shows 转移中; once it is back the create is delivered exactly once", async () => {
    const ticket = await acceptedTicket();
    await f.peer.stop();
    await escalateTicket(db(), admin, { ticketId: ticket.id });
    await f.worker().tick();
    await f.worker().tick(); // not due yet: backoff holds it
    expect((await rows(ticket.id))[0]).toMatchObject({ status: "PENDING", attempts: 1 });
    expect(await getEscalationView(db(), ticket.id)).toMatchObject({ pending: true, guid: null });
    await f.peer.start();

    const calls = createCalls();
    await deliverDueOutbox(db(), f.deps, { now: later(RETRY_POLICY.baseMs + 1000) });
    await deliverDueOutbox(db(), f.deps, { now: later(RETRY_POLICY.capMs * 2) });
    expect(createsAtPeer(ticket.id)).toHaveLength(1);
    expect(createCalls() - calls).toBe(1);
    expect((await rows(ticket.id))[0]).toMatchObject({ status: "DELIVERED", attempts: 2 });
    expect(await getEscalationView(db(), ticket.id)).toMatchObject({ pending: false, guid: createsAtPeer(ticket.id)[0]!.guid });
  });

  it("a worker killed after committing its claim, or after the upstream stored the create: a fresh worker delivers it, once", async () => {
    const ticket = await acceptedTicket();
    await escalateTicket(db(), admin, { ticketId: ticket.id });
    // A worker leases the row and dies before sending anything.
    expect(await claimDueOutbox(db(), new Date(), new Date(Date.now() + LEASE_MS), 50)).not.toHaveLength(0);
    const fresh = f.worker();
    await fresh.tick();
    expect(createsAtPeer(ticket.id)).toHaveLength(0); // the dead worker's lease still holds
    await deliverDueOutbox(db(), f.deps, { now: later(LEASE_MS + 1000) });
    expect(createsAtPeer(ticket.id)).toHaveLength(1);

    // Another ticket: the upstream stores the create, then the worker dies before recording the answer.
    const second = await acceptedTicket();
    await escalateTicket(db(), admin, { ticketId: second.id });
    await claimDueOutbox(db(), new Date(), new Date(Date.now() + LEASE_MS), 50);
    const [row] = await rows(second.id);
    const { deliverUpstreamRequest } = await import("@/server/upstream/outbox-handler");
    await deliverUpstreamRequest(db(), f.deps, { ...row!, payload: row!.payload, kind: "UPSTREAM_REQUEST" }); // sent, outcome never written
    await deliverDueOutbox(db(), f.deps, { now: later(LEASE_MS + 1000) });
    expect(createsAtPeer(second.id)).toHaveLength(1);
    expect((await rows(second.id))[0]?.status).toBe("DELIVERED");
  });

  it("two workers at once deliver every entry exactly once", async () => {
    const tickets = [];
    for (let i = 0; i < 5; i++) {
      const ticket = await acceptedTicket();
      await escalateTicket(db(), admin, { ticketId: ticket.id });
      tickets.push(ticket);
    }
    const calls = createCalls();
    await Promise.all([f.worker().tick(), f.worker().tick(), deliverDueOutbox(db(), f.deps)]);
    for (const ticket of tickets) expect(createsAtPeer(ticket.id)).toHaveLength(1);
    expect(createCalls() - calls).toBe(5);
  });

  it("per-ticket order: a reply waits while the create is pending, then both go out in order", async () => {
    const ticket = await acceptedTicket();
    await f.peer.stop();
    await escalateTicket(db(), admin, { ticketId: ticket.id });
    await replyToTicket(db(), admin, { ticketId: ticket.id, body: "补充说明", attachmentIds: [] });
    await f.worker().tick();
    const [create, message] = await rows(ticket.id);
    expect(create).toMatchObject({ type: "ticket.create", attempts: 1, status: "PENDING" });
    expect(message).toMatchObject({ type: "message.create", attempts: 0, status: "PENDING" });
    await f.peer.start();
    await deliverDueOutbox(db(), f.deps, { now: later(RETRY_POLICY.capMs) });
    await deliverDueOutbox(db(), f.deps, { now: later(RETRY_POLICY.capMs) });
    expect((await rows(ticket.id)).map((r) => r.status)).toEqual(["DELIVERED", "DELIVERED"]);
    expect(f.peer.messages(createsAtPeer(ticket.id)[0]!).map((m) => m.body)).toEqual(["备案需要什么？", "补充说明"]);
  });

  it("429 waits at least Retry-After; bounded attempts end in a dead letter", async () => {
    const ticket = await acceptedTicket();
    f.peer.failNext(1, 429, { "Retry-After": "900" });
    await escalateTicket(db(), admin, { ticketId: ticket.id });
    const before = Date.now();
    await deliverDueOutbox(db(), f.deps);
    const [row] = await rows(ticket.id);
    expect(row!.lastError).toMatch(/HTTP 429/);
    expect(row!.nextAttemptAt.getTime() - before).toBeGreaterThanOrEqual(900_000 - 1000);

    f.peer.failNext(RETRY_POLICY.maxAttempts - 1, 503); // the 429 was the first attempt
    for (let i = 1; i < RETRY_POLICY.maxAttempts; i++) await deliverDueOutbox(db(), f.deps, { now: later(i * 2 * RETRY_POLICY.capMs) });
    const [dead] = await rows(ticket.id);
    expect(dead).toMatchObject({ status: "DEAD", attempts: RETRY_POLICY.maxAttempts });
    expect(dead!.lastError).toMatch(/^gave up after 12 attempts: .*HTTP 503/);
  });

  it("a refusal resending cannot fix is dead-lettered at once; the super admin sees it and redelivers it", async () => {
    const ticket = await acceptedTicket();
    f.peer.allowedTypes = ["BUSINESS_TECH"];
    await escalateTicket(db(), admin, { ticketId: ticket.id });
    await f.worker().tick();
    const overview = await asSuperAdmin(db()).deliveries.overview();
    const letter = overview.dead.find((d) => d.ticketId === ticket.id);
    expect(letter).toMatchObject({ type: "ticket.create", attempts: 1 });
    expect(letter?.lastError).toMatch(/HTTP 403 type_not_allowed/);
    expect(await getEscalationView(db(), ticket.id)).toMatchObject({ pending: true, lastError: letter?.lastError });
    await expect(asStaff(db()).deliveries.overview()).rejects.toMatchObject({ code: "FORBIDDEN" });

    f.peer.allowedTypes = ["BUSINESS_TECH", "ICP_FILING", "TRADEMARK", "OTHER"];
    await asSuperAdmin(db()).deliveries.redeliver({ id: letter!.id });
    await expect(asSuperAdmin(db()).deliveries.redeliver({ id: letter!.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await f.worker().tick();
    expect(createsAtPeer(ticket.id)).toHaveLength(1);
    expect((await asSuperAdmin(db()).deliveries.overview()).dead.some((d) => d.id === letter!.id)).toBe(false);
  });

  it("a disabled connection pauses its queue without spending attempts; enabling it resumes delivery", async () => {
    const ticket = await acceptedTicket();
    await escalateTicket(db(), admin, { ticketId: ticket.id });
    const connection = (await asSuperAdmin(db()).upstreams.list())[0]!;
    const { id, name, baseUrl, partnerId, keyId, isDefault } = connection;
    await asSuperAdmin(db()).upstreams.update({ id, name, baseUrl, partnerId, keyId, isDefault, enabled: false });
    await f.worker().tick();
    expect((await rows(ticket.id))[0]).toMatchObject({ status: "PENDING", attempts: 0 });
    await asSuperAdmin(db()).upstreams.update({ id, name, baseUrl, partnerId, keyId, isDefault, enabled: true });
    await f.worker().tick();
    expect((await rows(ticket.id))[0]).toMatchObject({ status: "DELIVERED" });
  });

  it("partner callbacks are handed to the partner feature's handler", async () => {
    const entry = await enqueueOutbox(db(), { kind: "PARTNER_CALLBACK", type: "message.created", orderingKey: "partner:test", payload: {} });
    await deliverDueOutbox(db(), f.deps);
    const row = await db().outboxMessage.findUniqueOrThrow({ where: { id: entry.id } });
    // The partner handler refuses an empty payload as not retryable: the dispatcher reached it and
    // dead-lettered the row with the handler's own words (its real deliveries are tested beside it).
    expect(row).toMatchObject({ status: "DEAD", attempts: 1, lastError: "invalid callback payload" });
  });

  it("the periodic sync walks the changed-tickets feed, applies what callbacks missed, and records each upstream's last sync and error", async () => {
    const ticket = await acceptedTicket();
    await escalateTicket(db(), admin, { ticketId: ticket.id });
    await f.worker().tick();
    const guid = (await getEscalationView(db(), ticket.id))!.guid!;
    f.peer.agentReply(guid, "周期同步带来的回复");
    f.peer.outbox.splice(0);
    await f.worker().tick({ forceSync: true });
    expect(await db().ticketMessage.count({ where: { ticketId: ticket.id, body: "周期同步带来的回复" } })).toBe(1);
    let status = (await asSuperAdmin(db()).deliveries.overview()).upstreams[0]!;
    expect(status.lastSyncAt).not.toBeNull();
    expect(status.lastError).toBeNull();
    const cursor = (await db().upstreamConnection.findUniqueOrThrow({ where: { id: f.connectionId } })).syncCursor;
    expect(cursor).toMatch(/^ch-\d+$/);

    await f.peer.stop();
    try {
      await f.worker().tick({ forceSync: true });
    } finally {
      await f.peer.start();
    }
    status = (await asSuperAdmin(db()).deliveries.overview()).upstreams[0]!;
    expect(status.lastError).toMatch(/GET \/api\/upstream\/v1\/tickets: network error/);
    await f.worker().tick({ forceSync: true });
    expect(await db().ticketMessage.count({ where: { ticketId: ticket.id, body: "周期同步带来的回复" } })).toBe(1);
  });
});
