import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { asMember, asStaff, asSuperAdmin } from "@/test/callers";
import { SETUP_TIMEOUT_MS } from "@/test/escalation-fixture";
import { setUpNotifications, type NotificationWorld } from "@/test/notification-world";
import { RobotReceiver } from "@/test/robot-receiver";
import { deliverDueOutbox } from "@/server/outbox/dispatcher";
import { fanOutNotifications } from "@/server/notifications/fan-out";
import { sweepSla } from "./sla-sweep";

/**
 * 自动化规则 on a real database with a real robot receiver: on a filing and on an SLA warning a
 * rule moves the ticket, hands it round its staff and posts to its robot — once, in the
 * transaction of what triggered it — and the member never sees any of it (R7).
 */
let w: NotificationWorld;
const receiver = new RobotReceiver();
const MIN = 60_000;
let general: number; // 使用咨询
let billing: number; // 财务问题 or any other enabled NORMAL category
let wang: number; // 客服小王 (seed)
let li: number;
let zhao: number;

const db = () => w.t.prisma;
const admin = () => asSuperAdmin(db());

beforeAll(async () => {
  w = await setUpNotifications({ smtp: false });
  await receiver.start();
  general = (await db().category.findFirstOrThrow({ where: { name: "使用咨询" } })).id;
  billing = (await db().category.findFirstOrThrow({ where: { type: "NORMAL", enabled: true, id: { not: general } } })).id;
  wang = (await db().staff.findFirstOrThrow({ where: { displayName: "客服小王" } })).id;
  li = (await db().staff.create({ data: { loginName: "li", displayName: "客服小李", passwordHash: "x" } })).id;
  zhao = (await db().staff.create({ data: { loginName: "zhao", displayName: "客服小赵", passwordHash: "x", disabled: true } })).id;
}, SETUP_TIMEOUT_MS);
afterAll(async () => {
  await receiver.stop();
  await w?.close();
});
beforeEach(async () => {
  await db().automationRule.deleteMany({});
  await db().chatChannel.deleteMany({});
  await db().rateLimit.deleteMany({});
  receiver.messages.length = 0;
});

async function file(title: string, body = "请尽快处理", categoryId = general) {
  return (await asMember(db()).portal.create({ categoryId, title, body })).ticketId;
}
const row = (id: number) => db().ticket.findUniqueOrThrow({ where: { id } });
/** A robot that takes no kind of its own: whatever reaches it, a rule sent. */
const silentRobot = async () =>
  (
    await admin().notificationChannels.createChat({
      name: `值班群 ${Math.random().toString(36).slice(2, 8)}`,
      kind: "WEBHOOK",
      webhookUrl: `${receiver.baseUrl}/webhook?team=ops`,
      secret: receiver.secrets.webhook,
      enabled: true,
      locale: "zh-CN",
      kinds: [],
      categoryIds: [],
      assigneeIds: [],
      mentionAssignee: false,
    })
  ).id;
async function fanOutAndDeliver() {
  for (let i = 0; i < 5; i++) {
    const more = (await fanOutNotifications(db(), w.deps)) + (await deliverDueOutbox(db(), w.delivery)).claimed;
    if (more === 0) return;
  }
}
const posted = (ticketId: number) => receiver.of("webhook").filter((m) => m.rawBody.includes(`"ticketId":${ticketId}`));

describe(`automation rules (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("on create: a keyword rule files the ticket in its category, hands tickets round its staff (skipping the disabled), posts to its robot; other tickets are left alone", async () => {
    const robot = await silentRobot();
    await admin().automation.save({ name: "退款转财务", trigger: "TICKET_CREATED", keywords: ["退款"], moveToCategoryId: billing, assignStaffIds: [wang, zhao, li], notifyChannelIds: [robot] });
    const ids = [await file("申请退款"), await file("续费问题", "想办理退款"), await file("退款进度")];
    const other = await file("控制台白屏");

    const rows = await Promise.all(ids.map(row));
    expect(rows.map((r) => r.categoryId)).toEqual([billing, billing, billing]);
    expect(rows.map((r) => r.assigneeId)).toEqual([wang, li, wang]);
    expect(await row(other)).toMatchObject({ categoryId: general, assigneeId: null });
    // The SLA clocks run on the category it was filed in by the rule; the audit row names the rule.
    const created = await db().ticketEvent.findFirstOrThrow({ where: { ticketId: ids[0], action: "member.create" } });
    expect(created.data).toMatchObject({ categoryId: billing, automation: { channelIds: [robot] } });

    const lines = await db().ticketMessage.findMany({ where: { ticketId: ids[0], authorKind: "SYSTEM" }, orderBy: { id: "asc" } });
    expect(lines.map((l) => [l.systemCode, l.visibility])).toEqual([
      ["automationMoved", "STAFF_ONLY"],
      ["automationAssigned", "STAFF_ONLY"],
    ]);
    expect(lines[1]!.body).toContain("被自动化规则[退款转财务]分配给[客服小王]");

    await fanOutAndDeliver();
    expect(posted(ids[0]!)).toHaveLength(1);
    expect(posted(other)).toHaveLength(0);
    // The one it was handed to hears of it as theirs.
    expect(await db().notification.count({ where: { ticketId: ids[1], recipientKind: "STAFF", recipientId: li, kind: "ticket.assigned" } })).toBe(1);

    // R7: the member's view carries none of it.
    const seen = JSON.stringify(await asMember(db()).portal.ticket({ ticketId: ids[0]! }));
    expect(seen).not.toContain("自动化规则");
    expect(seen).not.toContain("automation");
  });

  it("on SLA warning: the sweep moves and assigns the ticket as one system command, once however often it runs", async () => {
    await db().slaPolicy.create({ data: { name: "咨询", calendarId: 2, categoryId: general, firstResponseMinutes: 60 } });
    try {
      await admin().automation.save({ name: "即将超时升级", trigger: "SLA_WARNING", clocks: ["firstResponse"], categoryIds: [general], moveToCategoryId: billing, assignStaffIds: [li] });
      const id = await file("数据库连接超时");
      const warnAt = (await row(id)).slaWarnAt!;
      await sweepSla(db(), new Date(warnAt.getTime() - MIN));
      expect(await row(id)).toMatchObject({ categoryId: general, assigneeId: null });
      const at = new Date(warnAt.getTime() + MIN);
      await Promise.all([sweepSla(db(), at), sweepSla(db(), at)]);
      await sweepSla(db(), at);

      expect(await row(id)).toMatchObject({ categoryId: billing, assigneeId: li, status: "PENDING" });
      const moves = await db().ticketEvent.findMany({ where: { ticketId: id, action: "staff.move" } });
      expect(moves).toHaveLength(1);
      expect(moves[0]).toMatchObject({ actorKind: "SYSTEM", actorName: "即将超时升级", data: { categoryId: billing, assigneeId: li } });
      // The rule moved it, nobody answered: the first response is still owed.
      expect((await row(id)).respondedAt).toBeNull();
    } finally {
      await db().slaPolicy.deleteMany({ where: { name: "咨询" } });
    }
  });

  it("a rule never moves a finished ticket: the sweep goes on with the others", async () => {
    await db().slaPolicy.create({ data: { name: "咨询", calendarId: 2, categoryId: general, firstResponseMinutes: 60 } });
    try {
      await admin().automation.save({ name: "超时转财务", trigger: "SLA_BREACHED", moveToCategoryId: billing });
      const open = await file("还没人处理");
      const done = await file("已经关闭");
      const due = (await row(done)).slaDueAt!;
      await asSuperAdmin(db()).console.close({ ticketId: done });
      // The closed ticket's row still says it is due (as a sweep racing the close would read it).
      await db().ticket.update({ where: { id: done }, data: { slaNextCheckAt: due, slaClocks: (await row(open)).slaClocks ?? undefined } });
      await sweepSla(db(), new Date(due.getTime() + 2 * MIN));
      expect((await row(open)).categoryId).toBe(billing);
      expect(await row(done)).toMatchObject({ categoryId: general, status: "COMPLETED" });
    } finally {
      await db().slaPolicy.deleteMany({ where: { name: "咨询" } });
    }
  });

  it("the editor refuses, with a sentence, a rule that does nothing, names what does not exist, or takes a name twice; staff cannot use it", async () => {
    await expect(admin().automation.save({ name: "空规则", trigger: "TICKET_CREATED", keywords: ["退款"] })).rejects.toThrow("规则至少要做一件事");
    await expect(admin().automation.save({ name: "坏分类", trigger: "TICKET_CREATED", moveToCategoryId: 999_999 })).rejects.toThrow("分类不存在");
    await expect(admin().automation.save({ name: "坏客服", trigger: "TICKET_CREATED", assignStaffIds: [999_999] })).rejects.toThrow("客服不存在");
    await expect(admin().automation.save({ name: "坏机器人", trigger: "TICKET_CREATED", notifyChannelIds: [999_999] })).rejects.toThrow("群机器人不存在");
    await admin().automation.save({ name: "重名", trigger: "TICKET_CREATED", assignStaffIds: [wang] });
    await expect(admin().automation.save({ name: "重名", trigger: "SLA_WARNING", assignStaffIds: [wang] })).rejects.toThrow("规则名称已存在");
    await expect(admin().automation.save({ name: "坏时钟", trigger: "SLA_WARNING", clocks: ["lunch" as never], assignStaffIds: [wang] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(asStaff(db()).automation.settings()).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await admin().automation.settings()).rules.map((r) => r.name)).toEqual(["重名"]);
  });

  it("editing a rule starts its rotation over; deleting it stops it", async () => {
    const { id } = await admin().automation.save({ name: "轮流", trigger: "TICKET_CREATED", assignStaffIds: [wang, li] });
    expect((await row(await file("第一张"))).assigneeId).toBe(wang);
    await admin().automation.save({ id, name: "轮流", trigger: "TICKET_CREATED", assignStaffIds: [li, wang] });
    expect((await row(await file("第二张"))).assigneeId).toBe(li);
    await admin().automation.delete({ id });
    expect((await row(await file("第三张"))).assigneeId).toBeNull();
    await expect(admin().automation.delete({ id })).rejects.toThrow("自动化规则不存在");
  });
});
