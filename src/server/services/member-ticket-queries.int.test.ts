import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { asMember } from "@/test/callers";
import { seedDemoData } from "@/server/db/seed-demo";
import { inTransaction } from "../db/transaction.ts";
import { authorizeAttachmentDownload } from "./file-service.ts";
import { replyToTicket } from "./staff-ticket-service.ts";
import { writeSystemMessage } from "./system-message.ts";

let t: TestDatabase;
const admin = { kind: "staff", staffId: 1, name: "超级管理员", role: "SUPER_ADMIN" } as const;
const zhang = () => asMember(t.prisma);
const li = () => asMember(t.prisma, 1100002, "李四");
let generalId: number;

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.prisma);
  generalId = (await t.prisma.category.findFirstOrThrow({ where: { name: "使用咨询" } })).id;
});
afterAll(() => t.close());

const newTicket = (memberId: number, title: string, updatedAt = new Date()) =>
  t.prisma.ticket.create({ data: { title, memberId, categoryId: generalId, createdAt: updatedAt, updatedAt } });

/** 1100001's escalated ticket with everything a member must never see. */
async function seedSecrets() {
  const resource = await t.prisma.category.findFirstOrThrow({ where: { name: "业务资源问题" } });
  const { ticketId } = await zhang().portal.create({ categoryId: resource.id, title: "备案需要什么？", body: "备案需要什么？\n第二行" });
  const mine = await t.prisma.attachment.create({
    data: { storageKey: "b".repeat(64), fileName: "mine.png", mimeType: "image/png", size: 10, ownerKey: "member:1100001" },
  });
  await zhang().portal.reply({ ticketId, body: "截图如下", attachmentIds: [mine.id] });
  await replyToTicket(t.prisma, admin, { ticketId, body: "您好, 问题已收到。", attachmentIds: [] });
  const note = await t.prisma.ticketMessage.create({
    data: { ticketId, authorKind: "STAFF", staffId: 1, visibility: "STAFF_ONLY", body: "内部备注：客户很急，转上级" },
  });
  const secret = await t.prisma.attachment.create({
    data: { ticketId, messageId: note.id, storageKey: "c".repeat(64), fileName: "internal.pdf", mimeType: "application/pdf", size: 10, ownerKey: "staff:1" },
  });
  await inTransaction(t.prisma, (tx) => writeSystemMessage(tx, ticketId, "escalated", { staff: "超级管理员" }));
  await t.prisma.ticketMessage.create({
    data: { ticketId, authorKind: "UPSTREAM_AGENT", agentId: "404907", agentName: "云技术客服404907", body: "你好，很高兴为你服务" },
  });
  await inTransaction(t.prisma, (tx) => writeSystemMessage(tx, ticketId, "upstreamClosed"));
  const connection = await t.prisma.upstreamConnection.upsert({
    where: { name: "阿帕云" },
    update: {},
    create: { name: "阿帕云", baseUrl: "http://127.0.0.1:1", partnerId: "p", keyId: "k", secretEncrypted: "x" },
  });
  await t.prisma.upstreamLink.create({ data: { ticketId, connectionId: connection.id, guid: `155628558${ticketId}` } });
  await t.prisma.ticket.update({ where: { id: ticketId }, data: { escalation: "ESCALATED", guid: `GUID-OF-OURS-${ticketId}` } });
  return { ticketId, mine, secret };
}

describe(`member portal reads (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("R7: another member gets NOT_FOUND from every procedure that takes a ticket, and nothing changes", async () => {
    const { ticketId, mine } = await seedSecrets();
    const before = await t.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId }, include: { _count: { select: { messages: true } } } });
    const notFound = { code: "NOT_FOUND", message: "工单不存在" };
    await expect(li().portal.ticket({ ticketId })).rejects.toMatchObject(notFound);
    await expect(li().portal.reply({ ticketId, body: "我也来" })).rejects.toMatchObject(notFound);
    await expect(li().portal.close({ ticketId })).rejects.toMatchObject(notFound);
    await expect(li().portal.rate({ ticketId, rating: 1 })).rejects.toMatchObject(notFound);
    // A missing ticket reads exactly the same (no existence leak).
    await expect(li().portal.ticket({ ticketId: 999_999 })).rejects.toMatchObject(notFound);
    // Searching by its number finds nothing; the list holds only 1100002's tickets.
    expect((await li().portal.list({ search: String(ticketId) })).items).toEqual([]);
    const own = await t.prisma.ticket.findMany({ where: { memberId: 1100002 }, select: { id: true } });
    expect((await li().portal.list({ limit: 50 })).items.map((i) => i.id).sort()).toEqual(own.map((o) => o.id).sort());
    // Another member's upload cannot be claimed, and their profile is not reachable.
    const pending = await t.prisma.attachment.create({
      data: { storageKey: "d".repeat(64), fileName: "x.png", mimeType: "image/png", size: 1, ownerKey: "member:1100001" },
    });
    await expect(li().portal.create({ categoryId: generalId, title: "借用附件", body: "x", attachmentIds: [pending.id] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await li().account.profile()).id).toBe(1100002);
    expect(JSON.stringify(await li().categories.listForNewTicket())).not.toContain("备案需要什么");
    // Downloads: the file route's check.
    await expect(authorizeAttachmentDownload(t.prisma, { kind: "member", memberId: 1100002, name: "李四" }, mine.id)).rejects.toMatchObject({ code: "NOT_FOUND" });

    const after = await t.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId }, include: { _count: { select: { messages: true } } } });
    expect(after.version).toBe(before.version);
    expect(after._count.messages).toBe(before._count.messages);
    expect(after.memberReadAt).toEqual(before.memberReadAt);
  });

  it("R7: staff-only notes, staff-only system messages and their attachments never appear; no GUID, escalation state or staff ids", async () => {
    const { ticketId, mine, secret } = await seedSecrets();
    const view = await zhang().portal.ticket({ ticketId });
    const text = JSON.stringify(view);
    for (const hidden of ["内部备注", "internal.pdf", "远程技术客服", "转移到", `155628558${ticketId}`, "GUID-OF-OURS", "ESCALATED", "404907"]) {
      expect(text).not.toContain(hidden);
    }
    const attachmentIds = view.messages.flatMap((m) => m.attachments.map((a) => a.id));
    expect(attachmentIds).toEqual([mine.id]);
    expect(attachmentIds).not.toContain(secret.id);
    for (const key of ["escalation", "guid", "assigneeId", "partnerState", "upstream"]) expect(view).not.toHaveProperty(key);
    for (const m of view.messages) {
      expect(m).not.toHaveProperty("staffOnly");
      expect(m).not.toHaveProperty("staffId");
    }
    expect(view.messages.map((m) => m.author)).toEqual(["客户", "客户", "超级管理员", "云技术客服"]);
    expect(view.messages[0]!.body).toBe("备案需要什么？\n第二行");
    // Downloads: own public file and own pending upload yes; staff-only file no.
    const viewer = { kind: "member", memberId: 1100001, name: "张三" } as const;
    await expect(authorizeAttachmentDownload(t.prisma, viewer, mine.id)).resolves.toMatchObject({ id: mine.id });
    await expect(authorizeAttachmentDownload(t.prisma, viewer, secret.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    // The member may not close while the upstream holds it; reply stays open.
    expect(view.can).toEqual({ reply: true, close: false, rate: false });
  });

  it("the ticket page: 基本信息 fields, the public close message rendered for the member, empty fields left null (shown as `-`)", async () => {
    const done = await t.prisma.ticket.findFirstOrThrow({ where: { title: "测试", memberId: 1100001 } });
    const view = await zhang().portal.ticket({ ticketId: done.id });
    expect(view).toMatchObject({
      id: done.id,
      title: "测试",
      categoryName: "使用咨询",
      memberId: 1100001,
      contactPhone: "13800138000",
      contactQq: "10001",
      assigneeName: "超级管理员",
      status: "COMPLETED",
      rating: null,
      businessId: null,
      can: { reply: false, close: false, rate: true },
    });
    const system = view.messages.at(-1)!;
    expect(system.author).toBe("系统消息");
    expect(system.body).toMatch(/^您的工单于\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}被客服关闭$/);
  });

  it("我的工单: unread marker when staff replied since the member looked; opening clears it without touching version or updatedAt", async () => {
    const ticket = await newTicket(1100002, "未读标记测试");
    const row = async () => (await li().portal.list({ search: "未读标记测试" })).items[0]!;
    expect((await row()).unread).toBe(false);
    await replyToTicket(t.prisma, admin, { ticketId: ticket.id, body: "请提供截图", attachmentIds: [] });
    expect(await row()).toMatchObject({ unread: true, status: "REPLIED", categoryName: "使用咨询" });
    const before = await t.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    await li().portal.ticket({ ticketId: ticket.id });
    const after = await t.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect((await row()).unread).toBe(false);
    expect(after.memberReadAt).not.toBeNull();
    expect([after.version, after.updatedAt]).toEqual([before.version, before.updatedAt]);
    expect(await t.prisma.ticketEvent.count({ where: { ticketId: ticket.id } })).toBe(1); // the staff reply only
    await replyToTicket(t.prisma, admin, { ticketId: ticket.id, body: "还在吗", attachmentIds: [] });
    expect((await row()).unread).toBe(true);
  });

  it("我的工单: keyset pages on (updatedAt desc, id desc) cover every ticket once, ties included; status filter and search", async () => {
    const memberId = (await t.prisma.member.create({ data: { name: "王五", email: "w5@example.com", passwordHash: "x" } })).id;
    const same = new Date("2026-01-01T08:00:00Z");
    const created = [];
    for (let i = 0; i < 7; i++) created.push(await newTicket(memberId, `分页 ${i} 100%_done`, i < 4 ? same : new Date(same.getTime() + i * 1000)));
    await t.prisma.ticket.update({ where: { id: created[1]!.id }, data: { status: "COMPLETED" } });
    const expected = [...created]
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || b.id - a.id)
      .map((c) => c.id);

    const caller = asMember(t.prisma, memberId, "王五");
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: { id: number }[]; nextCursor: string | null } = await caller.portal.list({ limit: 3, cursor });
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(expected);
    expect(pages).toBe(3);

    expect((await caller.portal.list({ status: "COMPLETED" })).items.map((i) => i.id)).toEqual([created[1]!.id]);
    expect((await caller.portal.list({ search: String(created[2]!.id) })).items.map((i) => i.id)).toEqual([created[2]!.id]);
    expect((await caller.portal.list({ search: "分页 5" })).items.map((i) => i.id)).toEqual([created[5]!.id]);
    // LIKE wildcards are literal text.
    expect((await caller.portal.list({ search: "100%_done" })).items).toHaveLength(7);
    // Punctuation alone is no search term: nothing is found (and nothing is scanned).
    expect((await caller.portal.list({ search: "%" })).items).toHaveLength(0);
    expect((await caller.portal.list({ search: "1x0" })).items).toHaveLength(0);
    await expect(caller.portal.list({ cursor: "garbage" })).rejects.toMatchObject({ code: "BAD_REQUEST", message: "分页参数无效，请刷新页面" });
  });

  it("提交工单 options: enabled groups and categories only, in sort order, with the picker's fields", async () => {
    const finance = await t.prisma.category.findFirstOrThrow({ where: { name: "财务与发票" } });
    await t.prisma.category.update({ where: { id: finance.id }, data: { enabled: false } });
    const { groups } = await zhang().categories.listForNewTicket();
    expect(groups.map((g) => [g.name, g.categories.map((c) => c.name)])).toEqual([
      ["技术支持", ["业务资源问题", "使用咨询"]],
      ["商务与备案", ["备案类问题", "商标类问题"]],
    ]);
    expect(groups[0]!.categories[0]).toEqual({
      id: expect.any(Number),
      name: "业务资源问题",
      description: "云服务器无法访问、性能异常、网络故障等业务资源问题",
      type: "BUSINESS_TECH",
      iconUrl: null,
      isBusinessTech: true,
    });
    await t.prisma.category.update({ where: { id: finance.id }, data: { enabled: true } });
  });
});
