import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { asMember, asStaff } from "@/test/callers";
import { seedDemoData } from "@/server/db/seed-demo";
import { closeTicket, replyToTicket } from "./staff-ticket-service.ts";

/** What the hooks queued for the upstream (the real outbox, delivered later by the worker). */
const outboxOf = (ticketId: number) =>
  t.prisma.outboxMessage.findMany({ where: { ticketId, kind: "UPSTREAM_REQUEST" }, orderBy: { id: "asc" }, select: { type: true } });

let t: TestDatabase;
const admin = { kind: "staff", staffId: 1, name: "超级管理员", role: "SUPER_ADMIN" } as const;
let cat: Record<string, number>;

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.prisma);
  const rows = await t.prisma.category.findMany();
  cat = Object.fromEntries(rows.map((c) => [c.name, c.id]));
});
afterAll(() => t.close());
// The limits live in the database: each test starts with fresh allowances.
beforeEach(async () => {
  await t.prisma.rateLimit.deleteMany({});
});

const zhang = () => asMember(t.prisma);
const li = () => asMember(t.prisma, 1100002, "李四");

function upload(memberId = 1100001, fileName = "screenshot.png", mimeType = "image/png") {
  return t.prisma.attachment.create({
    data: { storageKey: "a".repeat(64), fileName, mimeType, size: 1234, ownerKey: `member:${memberId}` },
  });
}

const base = { title: "服务器无法远程连接", body: "第一行\n第二行 <b>不是HTML</b>", contactPhone: "13800138000", contactQq: "10001" };
const counts = async () => ({
  tickets: await t.prisma.ticket.count(),
  messages: await t.prisma.ticketMessage.count(),
  events: await t.prisma.ticketEvent.count(),
});

describe(`member ticket commands (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("creates a ticket in one go: PENDING, contacts, business from the member's service, public first message, claimed attachments, audit event", async () => {
    const [a, b] = [await upload(), await upload(1100001, "invoice.pdf", "application/pdf")];
    const { ticketId } = await zhang().portal.create({
      ...base,
      categoryId: cat["业务资源问题"]!,
      businessId: "VPS-10086",
      businessIp: "1.1.1.1", // ignored: the service's own IP is authoritative
      attachmentIds: [a.id, b.id],
    });
    const ticket = await t.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId }, include: { messages: { include: { attachments: true } }, events: true } });
    expect(ticket).toMatchObject({
      memberId: 1100001,
      status: "PENDING",
      escalation: "NONE",
      contactPhone: "13800138000",
      contactQq: "10001",
      businessId: "VPS-10086",
      businessIp: "103.45.67.89",
      businessType: "云服务器",
      lastReplyAt: null,
      version: 0,
    });
    expect(ticket.messages).toHaveLength(1);
    expect(ticket.messages[0]).toMatchObject({ authorKind: "MEMBER", memberId: 1100001, visibility: "PUBLIC", body: base.body });
    expect(ticket.messages[0]!.attachments.map((x) => [x.id, x.ticketId])).toEqual([[a.id, ticketId], [b.id, ticketId]]);
    expect(ticket.events.map((e) => [e.action, e.actorKind, e.actorId, e.toStatus])).toEqual([["member.create", "MEMBER", "1100001", "PENDING"]]);
  });

  it("business fields are kept only for BUSINESS_TECH; a member without services types them; an unknown service is refused", async () => {
    const normal = await zhang().portal.create({ ...base, categoryId: cat["使用咨询"]!, businessId: "VPS-10086", attachmentIds: [] });
    expect(await t.prisma.ticket.findUniqueOrThrow({ where: { id: normal.ticketId } })).toMatchObject({ businessId: null, businessIp: null, businessType: null });

    const typed = await li().portal.create({ ...base, categoryId: cat["业务资源问题"]!, businessId: "ECS-1", businessIp: "10.0.0.1", businessType: "云主机" });
    expect(await t.prisma.ticket.findUniqueOrThrow({ where: { id: typed.ticketId } })).toMatchObject({ businessId: "ECS-1", businessIp: "10.0.0.1", businessType: "云主机" });

    const before = await counts();
    await expect(zhang().portal.create({ ...base, categoryId: cat["业务资源问题"]!, businessId: "VPS-99999" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "所选业务不存在，请重新选择",
    });
    expect(await counts()).toEqual(before);
  });

  it("R10: a disabled category, or one in a disabled group, takes no new tickets; nothing is saved", async () => {
    const trademark = cat["商标类问题"]!;
    await t.prisma.category.update({ where: { id: trademark }, data: { enabled: false } });
    const before = await counts();
    await expect(zhang().portal.create({ ...base, categoryId: trademark })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: "该工单分类已禁用，不能提交新工单",
    });
    await t.prisma.category.update({ where: { id: trademark }, data: { enabled: true } });
    const group = await t.prisma.categoryGroup.findFirstOrThrow({ where: { categories: { some: { id: trademark } } } });
    await t.prisma.categoryGroup.update({ where: { id: group.id }, data: { enabled: false } });
    await expect(zhang().portal.create({ ...base, categoryId: trademark })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await t.prisma.categoryGroup.update({ where: { id: group.id }, data: { enabled: true } });
    await expect(zhang().portal.create({ ...base, categoryId: 999_999 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await counts()).toEqual(before);
  });

  it("input limits: title ≤ 200, body ≤ 20 000, ≤ 10 attachments, rating comment ≤ 1000 — clear field errors, nothing saved", async () => {
    const before = await counts();
    const attempts: [Record<string, unknown>, string, string][] = [
      [{ title: "标".repeat(201) }, "title", "标题不能超过 200 字"],
      [{ title: "   " }, "title", "标题不能为空"],
      [{ body: "x".repeat(20_001) }, "body", "内容不能超过 20000 字"],
      [{ body: "" }, "body", "内容不能为空"],
      [{ attachmentIds: Array.from({ length: 11 }, (_, i) => i + 1) }, "attachmentIds", "附件不能超过 10 个"],
      [{ contactQq: "abc" }, "contactQq", "QQ 号格式不正确"],
    ];
    for (const [patch, field, text] of attempts) {
      const error = await zhang()
        .portal.create({ ...base, categoryId: cat["使用咨询"]!, ...patch })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "BAD_REQUEST", message: "输入有误，请检查标红的字段" });
      expect((error as { fieldErrors: Record<string, string> }).fieldErrors[field]).toBe(text);
    }
    // Exactly at the limits is fine.
    await zhang().portal.create({ ...base, categoryId: cat["使用咨询"]!, title: "标".repeat(200), body: "x".repeat(20_000) });
    expect((await counts()).tickets).toBe(before.tickets + 1);
  });

  it("nothing partially saved: an attachment that is not the member's, or already used, undoes ticket, message, event and other claims", async () => {
    const mine = await upload();
    const theirs = await upload(1100002);
    const before = await counts();
    for (const ids of [[mine.id, theirs.id], [mine.id, 987_654]]) {
      await expect(zhang().portal.create({ ...base, categoryId: cat["使用咨询"]!, attachmentIds: ids })).rejects.toMatchObject({
        code: "BAD_REQUEST",
        message: "附件不存在或已被使用，请重新上传",
      });
    }
    expect(await counts()).toEqual(before);
    expect(await t.prisma.attachment.findUniqueOrThrow({ where: { id: mine.id } })).toMatchObject({ ticketId: null, messageId: null });
    // Still claimable afterwards; claimed once it cannot be claimed again.
    const { ticketId } = await zhang().portal.create({ ...base, categoryId: cat["使用咨询"]!, attachmentIds: [mine.id] });
    await expect(zhang().portal.reply({ ticketId, body: "再传一次", attachmentIds: [mine.id] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await t.prisma.ticketMessage.count({ where: { ticketId } })).toBe(1);
  });

  it("rate limits: the 11th ticket and the 31st reply in ten minutes are refused with a clear message", async () => {
    for (let i = 0; i < 10; i++) await li().portal.create({ ...base, categoryId: cat["使用咨询"]!, title: `工单 ${i}` });
    const before = await counts();
    await expect(li().portal.create({ ...base, categoryId: cat["使用咨询"]! })).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: "提交工单过于频繁：每 10 分钟最多提交 10 个工单，请稍后再试",
    });
    expect(await counts()).toEqual(before);
    // Another member is not affected.
    await zhang().portal.create({ ...base, categoryId: cat["使用咨询"]! });

    const { ticketId } = await zhang().portal.create({ ...base, categoryId: cat["使用咨询"]! });
    for (let i = 0; i < 30; i++) await zhang().portal.reply({ ticketId, body: `补充 ${i}` });
    await expect(zhang().portal.reply({ ticketId, body: "再补充" })).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: "回复过于频繁：每 10 分钟最多回复 30 次，请稍后再试",
    });
  });

  it("reply: PENDING stays 待处理; after a staff reply 已回复 → 待回复; attachments claimed; an escalated ticket forwards the reply upstream", async () => {
    const { ticketId } = await zhang().portal.create({ ...base, categoryId: cat["业务资源问题"]! });
    await zhang().portal.reply({ ticketId, body: "补充说明" });
    expect((await t.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } })).status).toBe("PENDING");

    await replyToTicket(t.prisma, admin, { ticketId, body: "您好, 问题已收到。", attachmentIds: [] });
    const file = await upload();
    const result = await zhang().portal.reply({ ticketId, body: "还是不行", attachmentIds: [file.id] });
    expect(Object.keys(result).sort()).toEqual(["messageId", "ticketId"]); // no escalation state in the answer
    const after = await t.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } });
    expect(after.status).toBe("MEMBER_REPLIED");
    expect((await t.prisma.attachment.findUniqueOrThrow({ where: { id: file.id } })).messageId).toBe(result.messageId);
    expect(await outboxOf(ticketId)).toEqual([]);

    const connection = await t.prisma.upstreamConnection.create({
      data: { name: "小鸟云", baseUrl: "http://127.0.0.1:1", partnerId: "p", keyId: "k", secretEncrypted: "x" },
    });
    await t.prisma.upstreamLink.create({ data: { ticketId, connectionId: connection.id, guid: "1556285580167838" } });
    await t.prisma.ticket.update({ where: { id: ticketId }, data: { escalation: "ESCALATED", assigneeId: 1 } });
    await zhang().portal.reply({ ticketId, body: "转上级后的补充" });
    expect(await outboxOf(ticketId)).toEqual([{ type: "message.create" }]);
  });

  it("R5: the member closes an open ticket (public 客户关闭 message, 结束时间, close hook) but not while it is escalated; no reply after 已完成", async () => {
    const { ticketId } = await zhang().portal.create({ ...base, categoryId: cat["业务资源问题"]! });
    await t.prisma.ticket.update({ where: { id: ticketId }, data: { escalation: "ESCALATED", assigneeId: 1 } });
    await expect(zhang().portal.close({ ticketId })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: "工单正在由云技术客服处理，只能由客服关闭",
    });
    const connection = await t.prisma.upstreamConnection.create({
      data: { name: "阿帕云", baseUrl: "http://127.0.0.1:1", partnerId: "p", keyId: "k", secretEncrypted: "x" },
    });
    await t.prisma.upstreamLink.create({ data: { ticketId, connectionId: connection.id, guid: "598", state: "RETURNED" } });
    await t.prisma.ticket.update({ where: { id: ticketId }, data: { escalation: "RETURNED" } });
    const version = (await t.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } })).version;
    await expect(zhang().portal.close({ ticketId, expectedVersion: version + 1 })).rejects.toMatchObject({ code: "CONFLICT" });
    await zhang().portal.close({ ticketId, expectedVersion: version });

    const closed = await t.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } });
    expect(closed.status).toBe("COMPLETED");
    expect(closed.finishedAt).not.toBeNull();
    const system = await t.prisma.ticketMessage.findFirstOrThrow({ where: { ticketId, authorKind: "SYSTEM" } });
    expect(system).toMatchObject({ systemCode: "closedByMember", visibility: "PUBLIC" });
    expect(system.body).toMatch(/^您的工单于\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}被客户关闭$/);
    expect(await outboxOf(ticketId)).toEqual([{ type: "ticket.close" }]);

    const messages = await t.prisma.ticketMessage.count({ where: { ticketId } });
    await expect(zhang().portal.reply({ ticketId, body: "还能回复吗" })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: "工单已完成，双方均不可再对此工单进行操作",
    });
    await expect(zhang().portal.close({ ticketId })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    expect(await t.prisma.ticketMessage.count({ where: { ticketId } })).toBe(messages);
  });

  it("R5: rate a finished ticket once (1–5 stars, comment ≤ 1000); not before it is finished, not twice; staff see it", async () => {
    const { ticketId } = await zhang().portal.create({ ...base, categoryId: cat["使用咨询"]! });
    await expect(zhang().portal.rate({ ticketId, rating: 5, comment: "好" })).rejects.toMatchObject({ message: "工单完成后才能评价" });
    await closeTicket(t.prisma, admin, { ticketId });
    for (const bad of [{ rating: 0 }, { rating: 6 }, { rating: 3, comment: "长".repeat(1001) }]) {
      await expect(zhang().portal.rate({ ticketId, ...bad })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    await zhang().portal.rate({ ticketId, rating: 4, comment: "处理很快\n谢谢" });
    await expect(zhang().portal.rate({ ticketId, rating: 1, comment: "改主意了" })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: "该工单已评价过",
    });
    const rated = await t.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } });
    expect(rated).toMatchObject({ rating: 4, ratingComment: "处理很快\n谢谢" });
    expect(rated.ratedAt).not.toBeNull();
    expect(await t.prisma.ticketEvent.count({ where: { ticketId, action: "member.rate" } })).toBe(1);
    // The member's own page shows it, without any further rating button.
    const view = await zhang().portal.ticket({ ticketId });
    expect(view).toMatchObject({ rating: 4, ratingComment: "处理很快\n谢谢", can: { reply: false, close: false, rate: false } });
  });

  it("staff and anonymous callers cannot use the member's procedures", async () => {
    await expect(asStaff(t.prisma).portal.list({})).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
