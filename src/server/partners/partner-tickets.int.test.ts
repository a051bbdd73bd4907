import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { asStaff, asSuperAdmin } from "@/test/callers";
import { createBody, createPartner, protocolEnv, type TestPartner } from "@/test/partner-world";
import { dispatch, json, signedRequest } from "@/test/protocol";
import { seedDemoData } from "@/server/db/seed-demo";
import { acceptTicket, addInternalNote, replyToTicket } from "@/server/services/staff-ticket-service";
import { runTicketCommand } from "@/server/services/ticket-command";
import { ZCallbackEvent, ZGetUpstreamTicketResponse, ZListChangedTicketsResponse } from "@/server/protocol/schemas";
import type { StaffViewer } from "@/server/viewer";
import { notifyPartnerAccepted } from "./notify";
import type { ProtocolEnv } from "./partner-door";

// The upstream role end to end inside one instance: a partner's requests through the route
// handlers, our staff's actions through services and tRPC, and the callbacks they queue.

let t: TestDatabase;
let env: ProtocolEnv;
let p: TestPartner;
const admin: StaffViewer = { kind: "staff", staffId: 1, name: "超级管理员", role: "SUPER_ADMIN" };
const TICKETS = "/api/upstream/v1/tickets";

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.prisma);
  env = protocolEnv(t);
  p = await createPartner(t, "下级合作商甲");
});
afterAll(() => t.close());

const post = (path: string, body: unknown, who: TestPartner = p) => dispatch(env, signedRequest(who, "POST", path, body));
const get = (path: string, who: TestPartner = p) => dispatch(env, signedRequest(who, "GET", path));

async function createTicket(externalId?: string) {
  const res = await post(TICKETS, createBody(externalId));
  expect(res.status).toBe(201);
  const body = await json<{ guid: string; externalId: string; state: string }>(res);
  const ticket = await t.prisma.ticket.findUniqueOrThrow({ where: { guid: body.guid } });
  return { ...body, ticketId: ticket.id };
}
const ticketState = (id: number) => t.prisma.ticket.findUniqueOrThrow({ where: { id }, select: { status: true, partnerState: true, version: true } });
const callbacks = async (ticketId: number) =>
  (await t.prisma.outboxMessage.findMany({ where: { ticketId, kind: "PARTNER_CALLBACK" }, orderBy: { id: "asc" } })).map((r) => ZCallbackEvent.parse(r.payload));

describe(`partner tickets (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("create: a PENDING ticket with partner state OPEN, in the first enabled category of its type, with the partner's history", async () => {
    const { guid, ticketId, state } = await createTicket();
    expect(state).toBe("OPEN");
    expect(guid).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const ticket = await t.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId }, include: { category: true, messages: true } });
    expect(ticket).toMatchObject({ status: "PENDING", partnerState: "OPEN", memberId: null, partnerId: p.id, businessId: "20001", contactPhone: "13800138000" });
    expect(ticket.category.name).toBe("业务资源问题");
    expect(ticket.messages.map((m) => [m.authorKind, m.agentName, m.externalId])).toEqual([["PARTNER", "客户", expect.stringMatching(/-1$/)]]);
    expect(ticket.messages[0]!.createdAt.toISOString()).toBe("2025-11-28T07:58:00.000Z");
  });

  it("create: a disabled category is skipped; with no enabled category of the type the answer says so (422)", async () => {
    const filing = await t.prisma.category.findFirstOrThrow({ where: { type: "ICP_FILING" } });
    const second = await t.prisma.category.create({ data: { name: "备案二", description: "x", groupId: filing.groupId, type: "ICP_FILING", sortOrder: 99 } });
    await t.prisma.category.update({ where: { id: filing.id }, data: { enabled: false } });
    const res = await post(TICKETS, createBody(undefined, "ICP_FILING"));
    const ticket = await t.prisma.ticket.findUniqueOrThrow({ where: { guid: (await json<{ guid: string }>(res)).guid } });
    expect(ticket.categoryId).toBe(second.id);
    await t.prisma.category.update({ where: { id: filing.id }, data: { enabled: true } });

    // The demo data has no OTHER category.
    const none = await post(TICKETS, createBody(undefined, "OTHER"));
    expect(none.status).toBe(422);
    expect(await none.json()).toMatchObject({ error: { code: "validation_failed", issues: [{ path: "type" }] } });
  });

  it("create: a type the partner is not allowed is 403 type_not_allowed", async () => {
    const res = await post(TICKETS, createBody(undefined, "TRADEMARK"));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: "type_not_allowed" } });
  });

  it("create is idempotent on externalId: a replay and two racing copies give one ticket and one GUID", async () => {
    const body = createBody("IDEM-1");
    const [a, b, c] = await Promise.all([post(TICKETS, body), post(TICKETS, body), post(TICKETS, { ...body, title: "ignored" })]);
    const answers = await Promise.all([a, b, c].map((r) => json<{ guid: string }>(r)));
    expect(new Set(answers.map((x) => x.guid)).size).toBe(1);
    expect([a.status, b.status, c.status].sort()).toEqual([200, 200, 201]);
    expect(await t.prisma.ticket.count({ where: { partnerId: p.id, partnerTicketNo: "IDEM-1" } })).toBe(1);
    const ticket = await t.prisma.ticket.findUniqueOrThrow({ where: { guid: answers[0]!.guid } });
    expect(ticket.title).toBe("服务器无法远程连接");
    expect(await t.prisma.ticketMessage.count({ where: { ticketId: ticket.id } })).toBe(1);
  });

  it("messages are idempotent on externalMessageId, also when two copies race", async () => {
    const { guid, ticketId } = await createTicket();
    const msg = { externalMessageId: "X-2", author: { role: "staff", name: "超级管理员" }, body: "客户补充：安全组已放行 22 端口。" };
    const answers = await Promise.all([1, 2, 3].map(() => post(`${TICKETS}/${guid}/messages`, msg)));
    const ids = await Promise.all(answers.map((r) => json<{ id: string }>(r)));
    expect(new Set(ids.map((x) => x.id)).size).toBe(1);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    expect(await t.prisma.ticketMessage.count({ where: { ticketId, externalId: "X-2" } })).toBe(1);
  });

  it("staff replies become message.created callbacks as 云技术客服 agents; notes and system messages never cross", async () => {
    const { guid, ticketId } = await createTicket();
    await acceptTicket(t.prisma, admin, { ticketId });
    await addInternalNote(t.prisma, admin, { ticketId, body: "内部备注：不要外传", attachmentIds: [] });
    const reply = await replyToTicket(t.prisma, admin, { ticketId, body: "已为您重启宿主机网络服务，请再试。", attachmentIds: [] });
    const events = await callbacks(ticketId);
    // Accepting told the partner first (ticket.accepted); the note and system lines sent nothing.
    expect(events.map((e) => e.type)).toEqual(["ticket.accepted", "message.created"]);
    const created = events[1];
    expect(created).toMatchObject({
      eventId: `msg-${reply.result.messageId}`,
      type: "message.created",
      guid,
      data: { id: `m-${reply.result.messageId}`, author: { kind: "agent", id: "1", name: "超级管理员" }, body: "已为您重启宿主机网络服务，请再试。" },
    });
    const view = ZGetUpstreamTicketResponse.parse(await json(await get(`${TICKETS}/${guid}`)));
    expect(view.messages.map((m) => m.author.kind)).toEqual(["partner", "agent"]);
    expect(view.messages[0]!.author).toEqual({ kind: "partner", id: p.partnerId, name: "客户" });
    expect(JSON.stringify(view)).not.toContain("内部备注");
    expect(view.messages[1]).toEqual(created!.data);
  });

  it("ticket.accepted: the console's accept queues a callback naming the staff member", async () => {
    const { guid, ticketId } = await createTicket();
    await acceptTicket(t.prisma, { kind: "staff", staffId: 2, name: "客服小王", role: "STAFF" }, { ticketId });
    const [accepted] = await callbacks(ticketId);
    expect(accepted).toMatchObject({ type: "ticket.accepted", guid, data: { agent: { id: "2", name: "客服小王" } } });
    const view = ZGetUpstreamTicketResponse.parse(await json(await get(`${TICKETS}/${guid}`)));
    expect(view.events).toEqual([{ id: accepted!.eventId, type: "ticket.accepted", occurredAt: accepted!.occurredAt, data: accepted!.data }]);
  });

  it("转移工单 returns it (ticket.returned); the partner escalates again (OPEN, staff-only system message); a repeated escalate is a no-op", async () => {
    const { guid, ticketId } = await createTicket();
    await acceptTicket(t.prisma, admin, { ticketId });
    await asStaff(t.prisma).partnerTickets.returnToPartner({ ticketId, reason: "请客户确认后再提交" });
    expect(await ticketState(ticketId)).toMatchObject({ partnerState: "RETURNED", status: "REPLIED" });
    const returned = (await callbacks(ticketId)).find((e) => e.type === "ticket.returned");
    expect(returned).toMatchObject({ type: "ticket.returned", data: { agent: { id: "2" }, reason: "请客户确认后再提交" } });
    const system = await t.prisma.ticketMessage.findFirstOrThrow({ where: { ticketId, systemCode: "returnedToPartner" } });
    expect(system.visibility).toBe("STAFF_ONLY");

    // A second return is refused by the table (R4) rather than sending a second callback.
    await expect(asStaff(t.prisma).partnerTickets.returnToPartner({ ticketId })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });

    const again = await post(`${TICKETS}/${guid}/escalate`, { reason: "客户反馈问题仍未解决" });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ guid, externalId: expect.any(String), state: "OPEN" });
    expect(await ticketState(ticketId)).toMatchObject({ partnerState: "OPEN", status: "MEMBER_REPLIED" });
    const reEscalated = await t.prisma.ticketMessage.findFirstOrThrow({ where: { ticketId, systemCode: "partnerReEscalated" } });
    expect(reEscalated.visibility).toBe("STAFF_ONLY");
    const version = (await ticketState(ticketId)).version;
    expect((await post(`${TICKETS}/${guid}/escalate`, {})).status).toBe(200);
    expect((await ticketState(ticketId)).version).toBe(version);

    const view = ZGetUpstreamTicketResponse.parse(await json(await get(`${TICKETS}/${guid}`)));
    expect(view.events.map((e) => e.type)).toEqual(["ticket.accepted", "ticket.returned", "ticket.escalated"]);
    expect(view.events[1]!.id).toBe(returned!.eventId);
    // The partner's own escalate is not echoed: only accepted + returned went out.
    expect((await callbacks(ticketId)).map((e) => e.type)).toEqual(["ticket.accepted", "ticket.returned"]);
  });

  it("R4: after our side closed it, the partner's escalate gets 409 upstream_closed, and so does a new message", async () => {
    const { guid, ticketId } = await createTicket();
    await asSuperAdmin(t.prisma).partnerTickets.returnToPartner({ ticketId });
    await asSuperAdmin(t.prisma).partnerTickets.closeUpstreamSide({ ticketId, reason: "该业务已到期释放" });
    expect(await ticketState(ticketId)).toMatchObject({ partnerState: "CLOSED", status: "COMPLETED" });
    expect((await callbacks(ticketId)).map((e) => e.type)).toEqual(["ticket.returned", "ticket.closed"]);

    const escalate = await post(`${TICKETS}/${guid}/escalate`, {});
    expect(escalate.status).toBe(409);
    expect(await escalate.json()).toMatchObject({ error: { code: "upstream_closed" } });
    const message = await post(`${TICKETS}/${guid}/messages`, { externalMessageId: "late-1", author: { role: "member", name: "客户" }, body: "还在吗" });
    expect(message.status).toBe(409);
    expect(await message.json()).toMatchObject({ error: { code: "upstream_closed" } });
    // The partner may still finish it (R5: only the reseller closes for good).
    expect(await json(await post(`${TICKETS}/${guid}/close`, {}))).toMatchObject({ state: "FINISHED" });
  });

  it("R5: after the partner's final close nothing more is accepted (ticket_finished); the close itself is idempotent", async () => {
    const { guid, ticketId } = await createTicket();
    const pre = await post(`${TICKETS}/${guid}/messages`, { externalMessageId: "before-close", author: { role: "member", name: "客户" }, body: "谢谢" });
    expect(pre.status).toBe(201);
    const close = await post(`${TICKETS}/${guid}/close`, { reason: "问题已解决" });
    expect(await close.json()).toMatchObject({ guid, state: "FINISHED" });
    expect(await ticketState(ticketId)).toMatchObject({ partnerState: "FINISHED", status: "COMPLETED" });
    expect((await t.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } })).finishedAt).not.toBeNull();

    for (const [path, body] of [
      [`${TICKETS}/${guid}/messages`, { externalMessageId: "after-close", author: { role: "member", name: "客户" }, body: "再问一下" }],
      [`${TICKETS}/${guid}/escalate`, {}],
    ] as const) {
      const res = await post(path, body);
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({ error: { code: "ticket_finished" } });
    }
    // A retry of a message stored before the close still gets its id (§9: idempotency before state).
    expect((await post(`${TICKETS}/${guid}/messages`, { externalMessageId: "before-close", author: { role: "member", name: "客户" }, body: "谢谢" })).status).toBe(200);
    const version = (await ticketState(ticketId)).version;
    expect((await post(`${TICKETS}/${guid}/close`, {})).status).toBe(200);
    expect((await ticketState(ticketId)).version).toBe(version);
    // Our staff cannot act on it either.
    await expect(asSuperAdmin(t.prisma).partnerTickets.returnToPartner({ ticketId })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await expect(asSuperAdmin(t.prisma).partnerTickets.closeUpstreamSide({ ticketId })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await expect(replyToTicket(t.prisma, admin, { ticketId, body: "x", attachmentIds: [] })).rejects.toMatchObject({ code: "RULE_VIOLATION", rule: "R5" });
    const view = ZGetUpstreamTicketResponse.parse(await json(await get(`${TICKETS}/${guid}`)));
    expect(view.events.map((e) => [e.type, e.data.reason])).toEqual([["ticket.finished", "问题已解决"]]);
  });

  it("a member's ticket is not a partner ticket: 转移工单 and 关闭工单 (upstream side) are refused", async () => {
    const ticket = await t.prisma.ticket.findFirstOrThrow({ where: { memberId: { not: null } } });
    await expect(asStaff(t.prisma).partnerTickets.returnToPartner({ ticketId: ticket.id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await expect(asStaff(t.prisma).partnerTickets.closeUpstreamSide({ ticketId: ticket.id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
  });

  it("GET ticket pages with its cursor: nothing is repeated or skipped", async () => {
    const { guid, ticketId } = await createTicket();
    const first = ZGetUpstreamTicketResponse.parse(await json(await get(`${TICKETS}/${guid}`)));
    expect(first.messages).toHaveLength(1);
    const empty = ZGetUpstreamTicketResponse.parse(await json(await get(`${TICKETS}/${guid}?after=${first.cursor}`)));
    expect(empty).toMatchObject({ messages: [], events: [], cursor: first.cursor, hasMore: false });
    await replyToTicket(t.prisma, admin, { ticketId, body: "第一条回复", attachmentIds: [] });
    await asSuperAdmin(t.prisma).partnerTickets.returnToPartner({ ticketId });
    const next = ZGetUpstreamTicketResponse.parse(await json(await get(`${TICKETS}/${guid}?after=${first.cursor}`)));
    expect(next.messages.map((m) => m.body)).toEqual(["第一条回复"]);
    expect(next.events.map((e) => e.type)).toEqual(["ticket.returned"]);
    expect(next.state).toBe("RETURNED");
  });

  it("list changed pages through the partner's tickets in change order; a ticket that changes again reappears", async () => {
    const q = await createPartner(t, "下级合作商乙");
    const created = [];
    for (let i = 0; i < 3; i++) created.push(await json<{ guid: string }>(await post(TICKETS, createBody(), q)));
    const page1 = ZListChangedTicketsResponse.parse(await json(await get(`${TICKETS}?limit=2`, q)));
    expect(page1.tickets.map((x) => x.guid)).toEqual(created.slice(0, 2).map((c) => c.guid));
    const page2 = ZListChangedTicketsResponse.parse(await json(await get(`${TICKETS}?changedAfter=${page1.nextCursor}&limit=2`, q)));
    expect(page2.tickets.map((x) => x.guid)).toEqual([created[2]!.guid]);
    const page3 = ZListChangedTicketsResponse.parse(await json(await get(`${TICKETS}?changedAfter=${page2.nextCursor}&limit=2`, q)));
    expect(page3).toEqual({ tickets: [], nextCursor: null });
    await post(`${TICKETS}/${created[0]!.guid}/close`, {}, q);
    const page4 = ZListChangedTicketsResponse.parse(await json(await get(`${TICKETS}?changedAfter=${page2.nextCursor}`, q)));
    expect(page4.tickets).toEqual([expect.objectContaining({ guid: created[0]!.guid, state: "FINISHED" })]);
  });

  it("the change feed holds back changes younger than the settle window (uncommitted work is never skipped)", async () => {
    const r = await createPartner(t, "下级合作商丙");
    await post(TICKETS, createBody(), r);
    const settling = { ...env, changeSettleMs: 60_000 };
    const page = ZListChangedTicketsResponse.parse(await json(await dispatch(settling, signedRequest(r, "GET", TICKETS))));
    expect(page.tickets).toEqual([]);
  });

  it("attachments: stored from the partner's message, listed with a URL, downloadable only by that partner", async () => {
    const body = createBody();
    const bytes = Buffer.from("诊断报告 ok", "utf8");
    body.messages[0] = { ...body.messages[0]!, attachments: [{ fileName: "诊断报告.txt", mimeType: "text/plain", content: bytes.toString("base64") }] } as never;
    const { guid } = await json<{ guid: string }>(await post(TICKETS, body));
    const view = ZGetUpstreamTicketResponse.parse(await json(await get(`${TICKETS}/${guid}`)));
    const [ref] = view.messages[0]!.attachments;
    expect(ref).toMatchObject({ fileName: "诊断报告.txt", size: bytes.length, url: `${TICKETS}/${guid}/attachments/${ref!.sha256}` });
    const file = await get(ref!.url!);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("text/plain");
    expect(file.headers.get("content-disposition")).toContain("filename*=UTF-8''%E8%AF%8A");
    expect(Buffer.from(await file.arrayBuffer()).equals(bytes)).toBe(true);
    const other = await createPartner(t, "下级合作商丁");
    expect((await get(ref!.url!, other)).status).toBe(404);
    expect((await get(`${TICKETS}/${guid}/attachments/${"0".repeat(64)}`)).status).toBe(404);
  });
});

describe("partner administration", () => {
  it("the secret is shown once: stored sealed, never listed; only the super admin manages partners", async () => {
    const { partner, secret } = await asSuperAdmin(t.prisma).partners.create({
      name: "下级合作商戊",
      partnerId: "p-1001",
      callbackUrl: "https://reseller.example.com/api/upstream/v1/callbacks/1",
      enabled: true,
      allowedTypes: ["OTHER", "OTHER", "ICP_FILING"],
    });
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(partner).toMatchObject({ partnerId: "p-1001", allowedTypes: ["OTHER", "ICP_FILING"], rotationInProgress: false });
    const list = await asSuperAdmin(t.prisma).partners.list();
    expect(JSON.stringify(list)).not.toContain(secret);
    expect(JSON.stringify(list)).not.toContain("secretEncrypted");
    const row = await t.prisma.downstreamPartner.findUniqueOrThrow({ where: { id: partner.id } });
    expect(row.secretEncrypted).not.toContain(secret);

    const rotated = await asSuperAdmin(t.prisma).partners.rotateSecret({ id: partner.id });
    expect(rotated.secret).not.toBe(secret);
    expect(rotated.partner.rotationInProgress).toBe(true);
    const days = (rotated.partner.previousSecretExpiresAt!.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);

    await expect(asStaff(t.prisma).partners.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      asSuperAdmin(t.prisma).partners.create({ name: "下级合作商戊", callbackUrl: "https://x.example.com/cb", enabled: true, allowedTypes: ["OTHER"] }),
    ).rejects.toMatchObject({ code: "CONFLICT", message: "合作商名称或合作商 ID 已存在" });
    await expect(
      asSuperAdmin(t.prisma).partners.create({ name: "坏地址", callbackUrl: "ftp://x", enabled: true, allowedTypes: ["OTHER"] }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", fieldErrors: { callbackUrl: "回调地址须为 http(s) 网址" } });
  });

  it("the delivery log lists a partner's recent callbacks with status, attempts and last error", async () => {
    const { ticketId } = await createTicket();
    await asSuperAdmin(t.prisma).partnerTickets.returnToPartner({ ticketId });
    const outbox = await t.prisma.outboxMessage.findFirstOrThrow({ where: { ticketId } });
    await t.prisma.outboxMessage.update({ where: { id: outbox.id }, data: { attempts: 2, lastError: "HTTP 503" } });
    const log = await asSuperAdmin(t.prisma).partners.deliveries({ partnerId: p.id, limit: 5 });
    expect(log[0]).toMatchObject({ type: "ticket.returned", ticketId, status: "PENDING", attempts: 2, lastError: "HTTP 503", eventId: expect.stringMatching(/^e-\d+$/) });
  });
});
