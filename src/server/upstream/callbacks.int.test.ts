import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PUBLIC_URL, admin, conversation, newTicket, setUpEscalation, ticketState, type Fixture, SETUP_TIMEOUT_MS } from "@/test/escalation-fixture";
import { acceptTicket } from "@/server/services/staff-ticket-service";
import { POST } from "@/app/api/upstream/v1/callbacks/[connectionId]/route";
import { createUpstreamClient } from "./client";
import { escalateTicket, getEscalationView } from "./escalate";
import { signedHeaders } from "../protocol/signature";
import { syncTicketNow } from "./sync";
import { MAX_CALLBACK_BODY_BYTES, type CallbackEvent } from "../protocol/schemas";

let f: Fixture;
beforeAll(async () => {
  f = await setUpEscalation();
}, SETUP_TIMEOUT_MS);
afterAll(() => f?.close());
const db = () => f.t.prisma;

async function escalatedTicket() {
  const ticket = await newTicket(f.t);
  await acceptTicket(db(), admin, { ticketId: ticket.id });
  await escalateTicket(db(), admin, { ticketId: ticket.id });
  await f.worker().tick();
  return { ticket, guid: (await getEscalationView(db(), ticket.id))!.guid! };
}

/** Posts to the real route handler; `sign` overrides pieces of an otherwise valid signature. */
async function post(body: string, sign: { secret?: string; now?: Date; partnerId?: string; connectionId?: string } = {}) {
  const connectionId = sign.connectionId ?? String(f.connectionId);
  const url = `${PUBLIC_URL}/api/upstream/v1/callbacks/${connectionId}`;
  const headers = signedHeaders({
    partnerId: sign.partnerId ?? f.peer.partnerId,
    keyId: f.peer.keyId,
    secret: sign.secret ?? f.peer.secret,
    method: "POST",
    pathWithQuery: new URL(url).pathname,
    body,
    now: sign.now,
  });
  const response = await POST(new Request(url, { method: "POST", headers, body }), { params: Promise.resolve({ connectionId }) });
  const text = await response.text();
  return { status: response.status, type: response.headers.get("content-type"), text, json: JSON.parse(text) as { error?: { code: string } } };
}

const stored = async () => ({ inbox: await db().inboxEvent.count(), messages: await db().ticketMessage.count(), events: await db().ticketEvent.count() });

describe(`upstream callbacks (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("forged, stale, oversize, malformed, unknown-connection and foreign callbacks get a 4xx JSON error and store nothing", async () => {
    const { ticket, guid } = await escalatedTicket();
    const event: CallbackEvent = {
      eventId: "e-probe",
      type: "message.created",
      guid,
      externalId: String(ticket.id),
      occurredAt: new Date().toISOString(),
      data: { id: "m-probe", author: { kind: "agent", id: "1", name: "x" }, body: "伪造的回复", createdAt: new Date().toISOString(), attachments: [] },
    };
    const body = JSON.stringify(event);
    const before = await stored();
    const cases: [string, Promise<Awaited<ReturnType<typeof post>>>, number, string][] = [
      ["forged signature", post(body, { secret: "not-the-secret-at-all" }), 401, "invalid_signature"],
      ["stale timestamp", post(body, { now: new Date(Date.now() - 10 * 60_000) }), 401, "stale_timestamp"],
      ["oversize body", post(" ".repeat(MAX_CALLBACK_BODY_BYTES + 1)), 413, "payload_too_large"],
      ["malformed JSON", post("{not json"), 422, "validation_failed"],
      ["schema violation", post(JSON.stringify({ ...event, type: "ticket.exploded" })), 422, "validation_failed"],
      ["unknown connection", post(body, { connectionId: "9999" }), 401, "invalid_signature"],
      ["non-numeric connection", post(body, { connectionId: "abc" }), 401, "invalid_signature"],
      ["another partner's id", post(body, { partnerId: "p-other" }), 401, "invalid_signature"],
      ["a ticket not escalated here", post(JSON.stringify({ ...event, externalId: "999999" })), 404, "not_found"],
      ["the right ticket under another GUID", post(JSON.stringify({ ...event, guid: "9999999999" })), 404, "not_found"],
    ];
    for (const [name, answer, status, code] of cases) {
      const a = await answer;
      expect({ name, status: a.status, code: a.json.error?.code }).toEqual({ name, status, code });
      expect(a.type).toContain("application/json");
      expect(a.text).not.toMatch(/\bat \S+\.(ts|js)|stack/i);
    }
    expect(await stored()).toEqual(before);
    expect((await conversation(f.t, ticket.id)).some((m) => m.body === "伪造的回复")).toBe(false);
  });

  it("the same callbacks delivered 3 times, out of order, with a sync in between: each message once, the right final state", async () => {
    const { ticket, guid } = await escalatedTicket();
    const a = f.peer.agentReply(guid, "第一条回复");
    const ret = f.peer.agentReturn(guid, "请客户确认");
    const b = f.peer.agentReply(guid, "第二条回复");
    const closed = f.peer.agentClose(guid, "该业务已到期释放");
    f.peer.outbox.splice(0);

    const send = async (...events: CallbackEvent[]) => {
      for (const e of events) expect(await f.peer.sendCallback(e)).toBe(200);
    };
    await send(b, closed, a);
    await syncTicketNow(db(), f.deps, admin, { ticketId: ticket.id });
    await send(ret, a, b, closed, ret, closed, b, a, ret);

    const messages = (await conversation(f.t, ticket.id)).filter((m) => m.authorKind === "UPSTREAM_AGENT");
    expect(messages.map((m) => m.body).sort()).toEqual(["第一条回复", "第二条回复"]);
    expect(await ticketState(f.t, ticket.id)).toMatchObject({ escalation: "UPSTREAM_CLOSED", status: "REPLIED" });
    const lines = (await conversation(f.t, ticket.id)).filter((m) => m.authorKind === "SYSTEM").map((m) => m.systemCode);
    expect(lines.filter((c) => c === "upstreamClosed")).toHaveLength(1);
    // The return happened before the close but arrived after it: close is final, so it changed nothing.
    expect(lines.filter((c) => c === "upstreamReturned")).toHaveLength(0);
    expect(await db().inboxEvent.count({ where: { eventId: { in: [a.eventId, ret.eventId, b.eventId, closed.eventId] } } })).toBe(4);
    expect((await getEscalationView(db(), ticket.id))?.linkState).toBe("CLOSED");
  });

  it("a callback that overtakes our create's answer is matched by ticket number and teaches the GUID; the create's retry adds no second ticket", async () => {
    const ticket = await newTicket(f.t);
    await acceptTicket(db(), admin, { ticketId: ticket.id });
    await escalateTicket(db(), admin, { ticketId: ticket.id });
    // The worker's create reached the upstream, but its 201 was lost on the way back.
    const client = createUpstreamClient({ baseUrl: f.peer.baseUrl, partnerId: f.peer.partnerId, keyId: f.peer.keyId, secret: f.peer.secret });
    const created = await client.createTicket({
      externalId: String(ticket.id),
      type: "ICP_FILING",
      title: ticket.title,
      messages: [{ externalMessageId: "x-1", author: { role: "member", name: "客户" }, body: "备案需要什么？" }],
      member: { id: "1100001" },
    });
    expect(await getEscalationView(db(), ticket.id)).toMatchObject({ guid: null, pending: true });

    f.peer.agentReply(created.ticket.guid, "收到，处理中。");
    expect(await f.peer.flushCallbacks()).toEqual([200]);
    expect(await getEscalationView(db(), ticket.id)).toMatchObject({ guid: created.ticket.guid, pending: false });

    await f.worker().tick();
    expect([...f.peer.tickets.values()].filter((t) => t.externalId === String(ticket.id))).toHaveLength(1);
    expect(await db().outboxMessage.findFirst({ where: { ticketId: ticket.id } })).toMatchObject({ status: "DELIVERED" });
  });
});
