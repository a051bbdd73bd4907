import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { asMember, asSuperAdmin } from "@/test/callers";
import { seedDemoData } from "@/server/db/seed-demo";
import { openDatabase } from "@/server/db/client";
import { escalateTicket } from "@/server/upstream/escalate";
import type { StaffViewer } from "@/server/viewer";
import { runTicketCommand } from "./ticket-command";
import { reconcileUpstreamState } from "./upstream-apply";
import { findLinkByTicket } from "@/server/db/repos/upstream";
import { inTransaction } from "@/server/db/transaction";
import { sweepSla } from "./sla-sweep";
import { clocksOf } from "./sla-clock";
import { listQueue } from "./queue-service";
import { getTicketDetail } from "./ticket-detail-service";

let t: TestDatabase;
const admin: StaffViewer = { kind: "staff", staffId: 1, name: "超级管理员", role: "SUPER_ADMIN" };
const MIN = 60_000;
const DAY = 86_400_000;
let filingId: number;
let generalId: number;

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.prisma);
  filingId = (await t.prisma.category.findFirstOrThrow({ where: { name: "备案类问题" } })).id;
  generalId = (await t.prisma.category.findFirstOrThrow({ where: { name: "使用咨询" } })).id;
  // 7×24 (calendar 2, shipped by the migration) keeps the arithmetic in wall-clock minutes.
  await t.prisma.slaPolicy.create({
    data: { name: "备案", calendarId: 2, categoryId: filingId, firstResponseMinutes: 60, nextResponseMinutes: 30, resolutionMinutes: 600, autoCloseDays: 3 },
  });
  await t.prisma.slaPolicy.create({ data: { name: "默认", calendarId: 2, firstResponseMinutes: 120, resolutionMinutes: 1440, autoCloseDays: 3 } });
  const connection = await t.prisma.upstreamConnection.create({
    data: { name: "小鸟云", baseUrl: "https://up.invalid", partnerId: "p", keyId: "k", secretEncrypted: "x", isDefault: true },
  });
  await t.prisma.upstreamSlaPolicy.create({ data: { connectionId: connection.id, calendarId: 2, ackMinutes: 15, resolutionMinutes: 240 } });
}, 120_000);
afterAll(() => t?.close());

// Two members take turns: each may file 10 tickets in 10 minutes.
const owner = new Map<number, number>();
async function file(categoryId = filingId) {
  const memberId = owner.size % 2 === 0 ? 1100001 : 1100002;
  const { ticketId } = await asMember(t.prisma, memberId).portal.create({ categoryId, title: "SLA 测试", body: "请尽快处理" });
  owner.set(ticketId, memberId);
  return ticketId;
}
const asOwner = (ticketId: number) => asMember(t.prisma, owner.get(ticketId));
const row = (id: number) => t.prisma.ticket.findUniqueOrThrow({ where: { id } });

describe(`SLA clocks in the command path (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("filing a ticket materialises its nearest deadline on the row (first response, 60 min on 7×24)", async () => {
    const before = Date.now();
    const r = await row(await file());
    expect(r.slaDueAt!.getTime() - r.createdAt.getTime()).toBe(60 * MIN);
    expect(r.slaWarnAt!.getTime() - r.createdAt.getTime()).toBe(48 * MIN);
    expect(r.slaNextCheckAt).toEqual(r.slaWarnAt);
    expect(r.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it("a category without its own policy takes the policy for every category", async () => {
    const r = await row(await file(generalId));
    expect(r.slaDueAt!.getTime() - r.createdAt.getTime()).toBe(120 * MIN);
  });

  it("the clock pauses while waiting for the member (已回复) and resumes when the member answers", async () => {
    const id = await file();
    await asSuperAdmin(t.prisma).console.reply({ ticketId: id, body: "请提供材料", attachmentIds: [] });
    const paused = await row(id);
    expect(paused.status).toBe("REPLIED");
    expect(paused.slaDueAt).toBeNull(); // first response paid, resolution paused
    expect(paused.slaFirstResponseMet).toBe(true);
    expect(paused.slaFirstResponseMinutes).toBeLessThan(1);
    expect(clocksOf(paused.slaClocks)!.resolutionRunningSince).toBeNull();

    await asOwner(id).portal.reply({ ticketId: id, body: "已上传", attachmentIds: [] });
    const resumed = await row(id);
    const clocks = clocksOf(resumed.slaClocks)!;
    expect(clocks.resolutionRunningSince).not.toBeNull();
    // The member's reply owes a next response in 30 minutes: the nearest deadline.
    expect(resumed.slaDueAt!.getTime() - clocks.nextResponse!.startedAt.getTime()).toBe(30 * MIN);
    expect(clocks.resolution!.dueAt.getTime()).toBeGreaterThan(resumed.slaDueAt!.getTime());
  });

  it("the upstream clock runs while escalated and the upstream's acknowledgement and return settle it; ours keeps running", async () => {
    const id = await file();
    await asSuperAdmin(t.prisma).console.accept({ ticketId: id });
    await escalateTicket(t.prisma, admin, { ticketId: id });
    const escalated = clocksOf((await row(id)).slaClocks)!;
    expect(escalated.upstreamAck!.dueAt.getTime() - escalated.upstreamEscalatedAt!.getTime()).toBe(15 * MIN);
    expect(escalated.upstreamResolution!.dueAt.getTime() - escalated.upstreamEscalatedAt!.getTime()).toBe(240 * MIN);
    expect(escalated.resolutionRunningSince).not.toBeNull();

    const upstream = { kind: "UPSTREAM_AGENT" as const, id: "404907", name: null };
    await runTicketCommand(t.prisma, { ticketId: id, action: "upstream.ack", actor: upstream });
    const acked = await row(id);
    expect(acked.upstreamAckMet).toBe(true);
    expect(clocksOf(acked.slaClocks)!.upstreamAck).toBeNull();
    expect(clocksOf(acked.slaClocks)!.upstreamResolution).not.toBeNull();

    await runTicketCommand(t.prisma, { ticketId: id, action: "upstream.return", actor: upstream });
    const back = await row(id);
    expect(back.escalation).toBe("RETURNED");
    expect(back.upstreamResolutionMet).toBe(true);
    expect(back.upstreamSettleMinutes).not.toBeNull();
    expect(clocksOf(back.slaClocks)!.upstreamResolution).toBeNull();

    // The periodic sync reporting the return we already applied writes nothing: no version step
    // (a person's next click on the ticket is no CONFLICT), no second audit row.
    const link = (await findLinkByTicket(t.prisma, id))!;
    await inTransaction(t.prisma, (tx) => reconcileUpstreamState(tx, { ...link }, "RETURNED"));
    expect((await row(id)).version).toBe(back.version);
    expect(await t.prisma.ticketEvent.count({ where: { ticketId: id, action: "upstream.return" } })).toBe(1);
  });
});

describe("the sweep", () => {
  it("two workers sweeping the same breach act on it once (one audit row per warning and breach)", async () => {
    const id = await file();
    const due = (await row(id)).slaDueAt!;
    const later = new Date(due.getTime() + MIN);
    // A second client is a second worker (on PostgreSQL a second pool; on PGlite the same engine).
    const other = t.url ? await openDatabase({ kind: "postgres", url: t.url }) : null;
    try {
      const results = await Promise.all([sweepSla(t.prisma, later), sweepSla(other?.prisma ?? t.prisma, later), sweepSla(t.prisma, later)]);
      expect(results.reduce((n, r) => n + r.alerts, 0)).toBeGreaterThanOrEqual(2);
      await sweepSla(t.prisma, new Date(later.getTime() + MIN));
    } finally {
      await other?.close();
    }
    const events = await t.prisma.ticketEvent.findMany({ where: { ticketId: id, action: { startsWith: "sla." } }, orderBy: { id: "asc" } });
    const firstResponse = events.filter((e) => (e.data as { clock?: string }).clock === "firstResponse");
    expect(firstResponse.map((e) => e.action)).toEqual(["sla.warning", "sla.breached"]);
    expect(firstResponse[1]!.actorKind).toBe("SYSTEM");
    expect((firstResponse[1]!.data as { reason: string }).reason).toContain("首次响应已超时");
    expect(await t.prisma.slaAlert.count({ where: { ticketId: id, clock: "firstResponse" } })).toBe(2);
    // The sweep looks next at the next threshold (the resolution warning), not at the spent ones.
    expect((await row(id)).slaNextCheckAt!.getTime()).toBeGreaterThan(later.getTime());
  });

  it("the breach notifies the handler through the notifications table (the category's watchers while nobody accepted it)", async () => {
    const id = await file();
    await sweepSla(t.prisma, new Date((await row(id)).slaDueAt!.getTime() + MIN));
    const breach = await t.prisma.ticketEvent.findFirstOrThrow({ where: { ticketId: id, action: "sla.breached" } });
    expect(breach.notifyPending).toBe(true);
  });
});

describe("工作日历 and SLA 策略 in the console", () => {
  it("calendars and their date overrides are edited in the console; bad periods, zones, dates and a second policy for a category are refused with a sentence", async () => {
    const caller = asSuperAdmin(t.prisma);
    const { id: calendarId } = await caller.sla.saveCalendar({ name: "测试日历", timeZone: "Asia/Shanghai", weekly: Array.from({ length: 7 }, () => [{ start: 0, end: 1440 }]) });
    await caller.sla.setDay({ calendarId, date: "2030-01-02", working: false, note: "测试假日" });
    const settings = await caller.sla.settings();
    expect(settings.calendars.find((c) => c.id === calendarId)!.days).toEqual([{ date: "2030-01-02", working: false, note: "测试假日" }]);

    const fields = (p: Promise<unknown>) => p.then(() => null, (e: { code?: string; fieldErrors?: Record<string, string> }) => ({ code: e.code, ...e.fieldErrors }));
    expect(await fields(caller.sla.saveCalendar({ name: "坏", timeZone: "Asia/Shanghai", weekly: [[{ start: 600, end: 540 }], [], [], [], [], [], []] }))).toEqual({ code: "BAD_REQUEST", weekly: "工作时段无效：开始须早于结束，时段按时间先后排列且不重叠" });
    expect(await fields(caller.sla.saveCalendar({ name: "坏", timeZone: "Mars/Olympus", weekly: [[], [], [], [], [], [], []] }))).toEqual({ code: "BAD_REQUEST", timeZone: "时区无效（例如 Asia/Shanghai）" });
    expect(await fields(caller.sla.setDay({ calendarId, date: "2030-02-30", working: true }))).toEqual({ code: "BAD_REQUEST", date: "日期格式应为 YYYY-MM-DD" });
    await expect(caller.sla.savePolicy({ name: "重复", calendarId, categoryId: filingId, firstResponseMinutes: 1, nextResponseMinutes: null, resolutionMinutes: null })).rejects.toThrow("该分类已有 SLA 策略");
    await expect(caller.sla.deleteCalendar({ id: 2 })).rejects.toThrow("正被 SLA 策略使用");
  });
});

describe("the queue and the ticket page", () => {
  it("a ticket turns 即将超时 at 80 % and 已超时 at its deadline in the queue filters and badges, with the time left", async () => {
    const id = await file();
    const r = await row(id);
    const ids = async (sla: "WARNING" | "BREACHED", now: Date) =>
      (await listQueue(t.prisma, admin, { status: undefined, sla, limit: 100 }, "Asia/Shanghai", now)).items.map((i) => i.id);
    const before = new Date(r.slaWarnAt!.getTime() - MIN);
    const warning = new Date(r.slaWarnAt!.getTime() + MIN);
    const breached = new Date(r.slaDueAt!.getTime() + MIN);
    expect(await ids("WARNING", before)).not.toContain(id);
    expect(await ids("WARNING", warning)).toContain(id);
    expect(await ids("BREACHED", warning)).not.toContain(id);
    expect(await ids("BREACHED", breached)).toContain(id);
    expect(await ids("WARNING", breached)).not.toContain(id);

    const item = (now: Date) => listQueue(t.prisma, admin, { status: "PENDING", limit: 100 }, "Asia/Shanghai", now).then((p) => p.items.find((i) => i.id === id)!);
    expect((await item(before)).sla).toMatchObject({ badge: "OK", minutesLeft: 13 });
    expect((await item(warning)).sla).toMatchObject({ badge: "WARNING", minutesLeft: 11 });
    expect((await item(breached)).sla).toMatchObject({ badge: "BREACHED", minutesLeft: -1 });

    const page = await getTicketDetail(t.prisma, id, { locale: "zh-CN", timeZone: "Asia/Shanghai" }, warning);
    expect(page.sla!.clocks.map((c) => [c.clock, c.badge])).toEqual([["firstResponse", "WARNING"], ["resolution", "OK"]]);
  });
});

describe("auto-close", () => {
  async function answered() {
    const id = await file();
    await asSuperAdmin(t.prisma).console.accept({ ticketId: id });
    await asSuperAdmin(t.prisma).console.reply({ ticketId: id, body: "已处理，请确认", attachmentIds: [] });
    return id;
  }

  it("reminds once, then closes a ticket left waiting for the member, with the system line in the manual's style", async () => {
    const id = await answered();
    const r = await row(id);
    expect(r.autoCloseAt!.getTime() - r.lastReplyAt!.getTime()).toBe(3 * DAY);
    const dayBefore = new Date(r.autoCloseAt!.getTime() - DAY + MIN);
    await sweepSla(t.prisma, dayBefore);
    await sweepSla(t.prisma, dayBefore);
    expect(await t.prisma.ticketEvent.count({ where: { ticketId: id, action: "sla.autoCloseReminder" } })).toBe(1);
    expect((await row(id)).status).toBe("REPLIED");

    await sweepSla(t.prisma, new Date(r.autoCloseAt!.getTime() + MIN));
    const closed = await row(id);
    expect(closed.status).toBe("COMPLETED");
    const line = await t.prisma.ticketMessage.findFirstOrThrow({ where: { ticketId: id, systemCode: "autoClosed" } });
    expect(line.visibility).toBe("PUBLIC");
    expect(line.body).toMatch(/^您的工单于\d{4}-\d\d-\d\d \d\d:\d\d:\d\d因3天内未收到您的回复被系统自动关闭$/);
    expect(closed.autoCloseAt).toBeNull();
  });

  it("a member's answer stops it; a staff note does not restart it (keyed on the last public message)", async () => {
    const id = await answered();
    const first = (await row(id)).autoCloseAt!;
    await asSuperAdmin(t.prisma).console.note({ ticketId: id, body: "内部备注", attachmentIds: [] });
    expect((await row(id)).autoCloseAt).toEqual(first);
    await asOwner(id).portal.reply({ ticketId: id, body: "还没好", attachmentIds: [] });
    expect((await row(id)).autoCloseAt).toBeNull();
  });

  it("never touches an escalated ticket, even when its row says it is due", async () => {
    const escalatedId = await answered();
    await escalateTicket(t.prisma, admin, { ticketId: escalatedId });
    expect((await row(escalatedId)).autoCloseAt).toBeNull();
    // The upstream writes: 已回复 while the upstream holds it.
    await runTicketCommand(t.prisma, { ticketId: escalatedId, action: "upstream.message", actor: { kind: "UPSTREAM_AGENT", id: "404907" }, patch: (_t, _n, now) => ({ lastReplyAt: now }) });
    expect((await row(escalatedId)).status).toBe("REPLIED");
    expect((await row(escalatedId)).autoCloseAt).toBeNull();
    // Even a stale column (a policy edited, a race) must not close it: the sweep decides again.
    const past = new Date(Date.now() - DAY);
    await t.prisma.ticket.update({ where: { id: escalatedId }, data: { autoCloseAt: past, autoCloseRemindAt: past } });
    // Positive control: a ticket in the same state but not escalated is closed by the same sweep.
    const control = await answered();
    await t.prisma.ticket.update({ where: { id: control }, data: { autoCloseAt: past, autoCloseRemindAt: past } });

    await sweepSla(t.prisma, new Date(Date.now() + 10 * DAY));
    expect((await row(control)).status).toBe("COMPLETED");
    const untouched = await row(escalatedId);
    expect(untouched.status).toBe("REPLIED");
    expect(untouched.escalation).toBe("ESCALATED");
    expect(await t.prisma.ticketEvent.count({ where: { ticketId: escalatedId, action: { in: ["sla.autoCloseReminder", "staff.close"] } } })).toBe(0);
  });
});

describe("报表", () => {
  const today = () => new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Shanghai" }).format(new Date());

  it("reports first response, SLA met %, escalation share and the upstream vendor's times from the durations stored at write time", async () => {
    const caller = asSuperAdmin(t.prisma);
    const byCategory = await caller.reports.get({ from: today(), to: today(), dimension: "category" });
    const filing = byCategory.lines.find((l) => l.label === "备案类问题")!;
    const stored = await t.prisma.ticket.findMany({ where: { categoryId: filingId, createdAt: { gte: new Date(Date.now() - DAY) } } });
    expect(filing.tickets).toBe(stored.length);
    const timed = stored.filter((r) => r.slaFirstResponseMet !== null);
    expect(filing.firstResponseMetPct).toBe(Math.round((timed.filter((r) => r.slaFirstResponseMet).length / timed.length) * 1000) / 10);
    expect(filing.escalatedPct).toBeGreaterThan(0);
    expect(byCategory.total!.tickets).toBe(byCategory.lines.reduce((n, l) => n + l.tickets, 0));

    const byVendor = await caller.reports.get({ from: today(), to: today(), dimension: "upstream" });
    const vendor = byVendor.lines.find((l) => l.label === "小鸟云")!;
    expect(vendor.upstreamAckMetPct).toBe(100);
    expect(vendor.upstreamSettleAvg).not.toBeNull();
    expect(byVendor.lines.some((l) => l.label === "未转移")).toBe(true);

    const csv = byVendor.csv.replace(/^\uFEFF/, "").split("\r\n");
    expect(csv[0]!.split(",").slice(0, 3)).toEqual(["名称", "工单数", "平均首次响应（分钟）"]);
    expect(csv.some((line) => line.startsWith("小鸟云,"))).toBe(true);
    expect(csv.at(-2)!.startsWith("合计,")).toBe(true);
  });

  it("by day in the viewer's zone, the last 30 days by default, one category", async () => {
    const r = await asSuperAdmin(t.prisma).reports.get({ categoryId: filingId });
    expect(r.dimension).toBe("day");
    expect(r.lines.map((l) => l.label)).toContain(today());
    expect(r.range.to).toBe(today());
    // The demo data's filing ticket of three days ago is in range too; every row is one day.
    expect(r.lines.every((l) => /^\d{4}-\d\d-\d\d$/.test(l.label))).toBe(true);
    expect(r.total!.tickets).toBe(await t.prisma.ticket.count({ where: { categoryId: filingId } }));
  });

  it("refuses a reversed or over-long range with a sentence", async () => {
    const caller = asSuperAdmin(t.prisma);
    await expect(caller.reports.get({ from: "2026-03-02", to: "2026-03-01" })).rejects.toThrow("日期范围无效");
    await expect(caller.reports.get({ from: "2024-01-01", to: "2026-01-01" })).rejects.toThrow("最长 366 天");
  });
});
