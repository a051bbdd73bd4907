import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { asAnonymous, asMember, asStaff, asSuperAdmin } from "@/test/callers";
import { appRouter } from "@/server/api/root";
import { seedDemoData } from "@/server/db/seed-demo";
import { ESCALATION_STATES, TICKET_STATUSES, availableActions } from "@/server/domain/ticket-lifecycle";
import { actionsShown } from "@/server/domain/console-controls";
import { isEscalationEligible } from "@/server/domain/category-rules";

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.prisma);
});
afterAll(() => t.close());

async function newTicket(categoryName = "业务资源问题", data: Record<string, unknown> = {}) {
  const category = await t.prisma.category.findFirstOrThrow({ where: { name: categoryName } });
  const ticket = await t.prisma.ticket.create({ data: { title: "服务器无法远程连接", memberId: 1100001, categoryId: category.id, contactPhone: "13800138000", ...data } });
  await t.prisma.ticketMessage.create({ data: { ticketId: ticket.id, authorKind: "MEMBER", memberId: 1100001, body: "问题描述" } });
  return ticket;
}

const TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

describe(`console ticket page (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("基本信息 as the manual lays it out, `-` where empty, [API] beside an API category", async () => {
    const ticket = await newTicket();
    const page = await asSuperAdmin(t.prisma).console.ticket({ ticketId: ticket.id });
    expect(page.info).toMatchObject({
      title: "服务器无法远程连接",
      number: { text: String(ticket.id), guid: null, transferring: false },
      category: "业务资源问题 [API]",
      memberId: "1100001",
      contactPhone: "13800138000",
      contactQq: "-",
      respondedAt: "-",
      assignee: "-",
      status: "待处理",
      finishedAt: "-",
      rating: "-",
      businessId: "-",
      businessIp: "-",
      businessType: "-",
    });
    expect(page.info.createdAt).toMatch(TIME);
    expect(page.controls).toMatchObject({ accepted: false, notTransferable: false, buttons: ["accept", "move", "close"] });
  });

  it("R2: accept records 接单客服 and 响应时间 (and the audit trail shows who and when)", async () => {
    const ticket = await newTicket();
    const admin = asSuperAdmin(t.prisma);
    await admin.console.accept({ ticketId: ticket.id, expectedVersion: ticket.version });
    const page = await admin.console.ticket({ ticketId: ticket.id });
    expect(page.info.assignee).toBe("超级管理员");
    expect(page.info.respondedAt).toMatch(TIME);
    expect(page.info.status).toBe("处理中");
    expect(page.controls.accepted).toBe(true);
    expect(page.controls.buttons).toEqual(["move", "escalate", "close"]);
    expect(page.events).toEqual([expect.objectContaining({ action: "staff.accept", actor: "超级管理员(ID: 1)", at: expect.stringMatching(TIME), toStatus: "PROCESSING" })]);
  });

  it("a stale expectedVersion gets CONFLICT with 工单已被他人修改，请刷新后重试", async () => {
    const ticket = await newTicket();
    await asStaff(t.prisma).console.accept({ ticketId: ticket.id, expectedVersion: 0 });
    await expect(asSuperAdmin(t.prisma).console.reply({ ticketId: ticket.id, expectedVersion: 0, body: "您好", attachmentIds: [] })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "工单已被他人修改，请刷新后重试",
    });
  });

  it("R7: an internal note is marked 仅平台客服可见 in the console's DTO; a member gets FORBIDDEN for every console.* and cannedReplies.* procedure", async () => {
    const ticket = await newTicket();
    const admin = asSuperAdmin(t.prisma);
    await admin.console.note({ ticketId: ticket.id, body: "客户此前咨询过", attachmentIds: [] });
    await admin.console.reply({ ticketId: ticket.id, body: "您好, 问题已收到。", attachmentIds: [] });
    const page = await admin.console.ticket({ ticketId: ticket.id });
    expect(page.messages.map((m) => [m.author, m.staffOnly, m.body])).toEqual([
      ["客户", false, "问题描述"],
      ["超级管理员(ID: 1)", true, "客户此前咨询过"],
      ["超级管理员(ID: 1)", false, "您好, 问题已收到。"],
    ]);
    const stored = await t.prisma.ticketMessage.findFirstOrThrow({ where: { ticketId: ticket.id, body: "客户此前咨询过" } });
    expect(stored.visibility).toBe("STAFF_ONLY");

    const paths = Object.keys(appRouter._def.procedures).filter((p) => p.startsWith("console.") || p.startsWith("cannedReplies."));
    expect(paths.length).toBeGreaterThanOrEqual(15);
    for (const [caller, code] of [[asMember(t.prisma), "FORBIDDEN"], [asAnonymous(t.prisma), "UNAUTHORIZED"]] as const) {
      for (const path of paths) {
        const [ns, name] = path.split(".") as [string, string];
        const fn = (caller as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>)[ns]![name]!;
        await expect(fn({ ticketId: ticket.id, id: 1, body: "x", title: "x", attachmentIds: [] }), path).rejects.toMatchObject({ code });
      }
    }
  });

  it("author lines as in the manual: 客户, 超级管理员(ID: 1), 云技术客服404907(ID: 404907), 系统消息", async () => {
    const ticket = await newTicket("备案类问题", { escalation: "ESCALATED", assigneeId: 1 });
    const connection = await t.prisma.upstreamConnection.create({ data: { name: "小鸟云", baseUrl: "https://up.invalid", partnerId: "p", keyId: "k", secretEncrypted: "x" } });
    await t.prisma.upstreamLink.create({ data: { ticketId: ticket.id, connectionId: connection.id } });
    const admin = asSuperAdmin(t.prisma);
    expect((await admin.console.ticket({ ticketId: ticket.id })).info.number).toEqual({ text: String(ticket.id), guid: null, transferring: true });
    await t.prisma.upstreamLink.update({ where: { ticketId: ticket.id }, data: { guid: "1556285580167838" } });
    await t.prisma.ticketMessage.create({ data: { ticketId: ticket.id, authorKind: "UPSTREAM_AGENT", agentId: "404907", body: "你好，很高兴为你服务" } });
    await t.prisma.ticketMessage.create({
      data: { ticketId: ticket.id, authorKind: "SYSTEM", visibility: "STAFF_ONLY", systemCode: "upstreamClosed", body: "远程技术客服已关闭该工单，将不再接受该工单的转移请求。" },
    });
    const page = await admin.console.ticket({ ticketId: ticket.id });
    expect(page.info.number).toEqual({ text: `${ticket.id} [GUID: 1556285580167838]`, guid: "1556285580167838", transferring: false });
    expect(page.messages.map((m) => m.author)).toEqual(["客户", "云技术客服404907(ID: 404907)", "系统消息"]);
    expect(page.messages[2]).toMatchObject({ staffOnly: true, body: "远程技术客服已关闭该工单，将不再接受该工单的转移请求。" });
    expect(page.controls.buttons).toEqual(["move", "sync", "close"]);
  });

  it("R9: move changes category and assignee, refused for an escalated ticket into a non-API category", async () => {
    const ticket = await newTicket();
    const general = await t.prisma.category.findFirstOrThrow({ where: { name: "使用咨询" } });
    const admin = asSuperAdmin(t.prisma);
    await admin.console.move({ ticketId: ticket.id, expectedVersion: 0, categoryId: general.id, assigneeId: 2 });
    const page = await admin.console.ticket({ ticketId: ticket.id });
    expect(page.info).toMatchObject({ category: "使用咨询", assignee: "客服小王" });
    expect(page.messages.filter((m) => m.author === "系统消息").every((m) => m.staffOnly)).toBe(true);
    expect(page.events.map((e) => e.action)).toEqual(["staff.move"]);

    const escalated = await newTicket("业务资源问题", { escalation: "ESCALATED", assigneeId: 1, status: "PROCESSING" });
    await expect(admin.console.move({ ticketId: escalated.id, categoryId: general.id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
  });

  it("R5: after the final close nobody acts; the member-visible close message 您的工单于{time}被客服关闭 is in the conversation", async () => {
    const ticket = await newTicket("备案类问题", { escalation: "UPSTREAM_CLOSED", assigneeId: 1, status: "PROCESSING" });
    const admin = asSuperAdmin(t.prisma);
    await admin.console.close({ ticketId: ticket.id, expectedVersion: ticket.version });
    const page = await admin.console.ticket({ ticketId: ticket.id });
    expect(page.info.status).toBe("已完成");
    expect(page.info.finishedAt).toMatch(TIME);
    // The manual's 合作商关闭 row: 已接单 不可移交 同步工单.
    expect(page.controls).toMatchObject({ accepted: true, notTransferable: true, buttons: ["sync"], reply: false, note: false });
    const closing = page.messages.at(-1)!;
    expect(closing).toMatchObject({ author: "系统消息", staffOnly: false });
    expect(closing.body).toMatch(/^您的工单于\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}被客服关闭$/);
    for (const attempt of [
      () => admin.console.accept({ ticketId: ticket.id }),
      () => admin.console.reply({ ticketId: ticket.id, body: "x", attachmentIds: [] }),
      () => admin.console.note({ ticketId: ticket.id, body: "x", attachmentIds: [] }),
      () => admin.console.move({ ticketId: ticket.id, assigneeId: 2 }),
      () => admin.console.close({ ticketId: ticket.id }),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: "PRECONDITION_FAILED", message: "工单已完成，双方均不可再对此工单进行操作" });
    }
  });

  it("LIFECYCLE: the table allows exactly what the page shows (every persisted state, through console.ticket)", async () => {
    const api = await t.prisma.category.findFirstOrThrow({ where: { name: "备案类问题" } });
    const normal = await t.prisma.category.findFirstOrThrow({ where: { name: "财务与发票" } });
    const partner = await t.prisma.downstreamPartner.create({
      data: { name: "蓝海主机", partnerId: "dp-lifecycle", keyId: "k", secretEncrypted: "x", callbackUrl: "https://p.invalid", allowedTypes: ["ICP_FILING"] },
    });
    const rows = [];
    let n = 0;
    for (const status of TICKET_STATUSES)
      for (const escalation of ESCALATION_STATES)
        for (const partnerState of [null, "OPEN", "RETURNED", "CLOSED", "FINISHED"] as const)
          for (const assigneeId of [null, 1])
            for (const category of [api, normal])
              for (const rating of [null, 4]) {
                n++;
                rows.push({
                  title: `lifecycle ${n}`,
                  categoryId: category.id,
                  status,
                  escalation,
                  assigneeId,
                  rating,
                  partnerState,
                  ...(partnerState === null ? { memberId: 1100002 } : { partnerId: partner.id, partnerTicketNo: `L${n}` }),
                });
              }
    await t.prisma.ticket.createMany({ data: rows });
    const tickets = await t.prisma.ticket.findMany({ where: { title: { startsWith: "lifecycle " } }, include: { category: true } });
    expect(tickets).toHaveLength(800);
    const admin = asSuperAdmin(t.prisma);
    for (const ticket of tickets) {
      const page = await admin.console.ticket({ ticketId: ticket.id });
      const snapshot = {
        status: ticket.status,
        escalation: ticket.escalation,
        partnerState: ticket.partnerState,
        accepted: ticket.assigneeId !== null,
        categoryEligible: isEscalationEligible(ticket.category),
        rated: ticket.rating !== null,
      };
      expect(new Set(actionsShown(page.controls)), JSON.stringify(snapshot)).toEqual(new Set(availableActions(snapshot, "staff")));
    }
  }, 120_000);

  it("预设回复: every staff member lists and inserts them; the author or the super admin edits or deletes", async () => {
    const kefu = asStaff(t.prisma);
    const created = await kefu.cannedReplies.create({ title: "问候", body: "您好，很高兴为您服务。" });
    expect((await asSuperAdmin(t.prisma).cannedReplies.list()).map((r) => r.title)).toContain("问候");
    await expect(asStaff(t.prisma, 3, "别人").cannedReplies.update({ id: created.id, title: "x", body: "y" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await kefu.cannedReplies.update({ id: created.id, title: "问候语", body: "您好！" });
    await asSuperAdmin(t.prisma).cannedReplies.delete({ id: created.id });
    expect(await kefu.cannedReplies.list()).toEqual([]);
    await expect(kefu.cannedReplies.create({ title: "", body: "x" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("首页: counts per status from TicketCount and the viewer's open tickets", async () => {
    const home = await asSuperAdmin(t.prisma).console.home();
    for (const status of TICKET_STATUSES) expect(home.counts[status]).toBe(await t.prisma.ticket.count({ where: { status } }));
    const mine = await t.prisma.ticket.count({ where: { assigneeId: 1, status: { not: "COMPLETED" } } });
    expect(home.myOpen).toHaveLength(Math.min(20, mine));
    expect(home.myOpen.every((i) => i.assignee?.id === 1 && i.status !== "COMPLETED")).toBe(true);
  });
});
