import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { asStaff, asSuperAdmin } from "@/test/callers";
import { seedDemoData } from "@/server/db/seed-demo";
import type { StaffViewer } from "@/server/viewer";
import { listQueue, queueCounts, type QueueFilterInput, type QueueInput } from "./queue-service";
import { startOfZonedDay, nextDay } from "@/lib/zoned-date";

let t: TestDatabase;
const admin: StaffViewer = { kind: "staff", staffId: 1, name: "超级管理员", role: "SUPER_ADMIN" };
const TZ = "Asia/Shanghai";
const STATUSES = ["PENDING", "PROCESSING", "REPLIED", "MEMBER_REPLIED", "COMPLETED"] as const;
const ESCALATIONS = ["NONE", "ESCALATED", "RETURNED", "UPSTREAM_CLOSED"] as const;
const base = Date.parse("2025-03-01T00:00:00Z");

/** 400 tickets spread over statuses, categories, assignees, escalations, members and 40 days. */
async function seedQueue() {
  const categories = await t.prisma.category.findMany({ orderBy: { id: "asc" } });
  const connection = await t.prisma.upstreamConnection.create({
    data: { name: "小鸟云", baseUrl: "https://up.invalid", partnerId: "p", keyId: "k", secretEncrypted: "x" },
  });
  const partner = await t.prisma.downstreamPartner.create({
    data: { name: "星河云", partnerId: "dp1", keyId: "k", secretEncrypted: "x", callbackUrl: "https://p.invalid", allowedTypes: ["BUSINESS_TECH"] },
  });
  const rows = Array.from({ length: 400 }, (_, i) => {
    const category = categories[(i * 7) % categories.length]!;
    const api = category.type !== "NORMAL" && category.submitToApi;
    const isPartner = i % 37 === 0;
    const created = new Date(base + i * 2.4 * 3600_000);
    return {
      title: i % 11 === 0 ? `磁盘空间不足 ${i}` : `测试工单 ${i}`,
      memberId: isPartner ? null : 1100001 + (i % 2),
      partnerId: isPartner ? partner.id : null,
      partnerTicketNo: isPartner ? `PT-${i}` : null,
      partnerState: isPartner ? ("OPEN" as const) : null,
      guid: isPartner ? `OURGUID${i}` : null,
      categoryId: category.id,
      status: STATUSES[(i * 3) % 5]!,
      escalation: api && !isPartner ? ESCALATIONS[i % 4]! : ("NONE" as const),
      assigneeId: i % 3 === 0 ? null : (i % 3),
      createdAt: created,
      updatedAt: new Date(created.getTime() + ((i * 13) % 50) * 3600_000),
    };
  });
  await t.prisma.ticket.createMany({ data: rows });
  const escalated = await t.prisma.ticket.findMany({ where: { escalation: { not: "NONE" } }, select: { id: true } });
  await t.prisma.upstreamLink.createMany({
    data: escalated.map((e, i) => ({ ticketId: e.id, connectionId: connection.id, guid: i % 5 === 0 ? null : `GUID${e.id}` })),
  });
  const some = await t.prisma.ticket.findMany({ where: { title: { startsWith: "测试工单 1" } }, select: { id: true }, take: 5 });
  await t.prisma.ticketMessage.createMany({
    data: some.map((s) => ({ ticketId: s.id, authorKind: "MEMBER" as const, memberId: 1100001, body: "网站 502 错误 Bad_Gateway" })),
  });
}

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.prisma);
  await seedQueue();
});
afterAll(() => t.close());

/** The same filter as a plain Prisma where: the reference the queue is checked against. */
async function referenceWhere(f: QueueFilterInput, viewer = admin) {
  const categoryIds = f.groupId
    ? (await t.prisma.category.findMany({ where: { groupId: f.groupId }, select: { id: true } })).map((c) => c.id).filter((id) => f.categoryId === undefined || id === f.categoryId)
    : f.categoryId !== undefined ? [f.categoryId] : undefined;
  return {
    ...(f.status ? { status: f.status } : {}),
    ...(categoryIds ? { categoryId: { in: categoryIds } } : {}),
    ...(f.assignee === "mine" ? { assigneeId: viewer.staffId } : f.assignee === "unassigned" ? { assigneeId: null } : {}),
    ...(f.escalation ? { escalation: f.escalation } : {}),
    ...(f.memberId ? { memberId: f.memberId } : {}),
    ...(f.createdFrom || f.createdTo
      ? { createdAt: { ...(f.createdFrom ? { gte: startOfZonedDay(f.createdFrom, TZ) } : {}), ...(f.createdTo ? { lt: startOfZonedDay(nextDay(f.createdTo), TZ) } : {}) } }
      : {}),
  };
}

async function walk(input: QueueInput, between?: (page: number) => Promise<void>) {
  const ids: number[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 200; page++) {
    const r = await listQueue(t.prisma, admin, { ...input, cursor, limit: 7 }, TZ);
    ids.push(...r.items.map((i) => i.id));
    if (!r.nextCursor) break;
    cursor = r.nextCursor;
    await between?.(page);
  }
  return ids;
}

const FILTERS: QueueFilterInput[] = [
  {},
  { status: "PENDING" },
  { status: "COMPLETED", groupId: 1 },
  { groupId: 2 },
  { categoryId: 1, escalation: "ESCALATED" },
  { assignee: "mine" },
  { status: "PROCESSING", assignee: "unassigned" },
  { escalation: "RETURNED", assignee: "mine", groupId: 1 },
  { memberId: 1100002 },
  { status: "REPLIED", createdFrom: "2025-03-05", createdTo: "2025-03-20" },
  { memberId: 1100001, groupId: 2, createdFrom: "2025-03-10" },
];

describe(`console queue (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("Queue: counts equal a real COUNT on a small dataset for several filter combinations", async () => {
    for (const f of FILTERS) {
      const counts = await queueCounts(t.prisma, admin, f, TZ);
      const where = await referenceWhere({ ...f, status: undefined });
      for (const status of STATUSES) {
        expect(counts.counts[status], `${JSON.stringify(f)} ${status}`).toBe(await t.prisma.ticket.count({ where: { ...where, status } }));
      }
      expect(counts.source).toBe(f.memberId || f.createdFrom ? "capped" : "maintained");
    }
  });

  it("Queue: every filter lists exactly the matching tickets in (updatedAt, id) DESC order", async () => {
    for (const f of FILTERS) {
      const expected = await t.prisma.ticket.findMany({ where: await referenceWhere(f), orderBy: [{ updatedAt: "desc" }, { id: "desc" }], select: { id: true } });
      expect(await walk(f), JSON.stringify(f)).toEqual(expected.map((e) => e.id));
    }
    const byCreation = await t.prisma.ticket.findMany({ where: { status: "PENDING" }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true } });
    expect(await walk({ status: "PENDING", sort: "created" })).toEqual(byCreation.map((e) => e.id));
  });

  it("Queue: keyset pagination returns every ticket exactly once across pages under concurrent updates of updatedAt", async () => {
    const all = (await t.prisma.ticket.findMany({ select: { id: true } })).map((r) => r.id).sort((a, b) => a - b);
    let bump = 0;
    const touch = async () => {
      // Another staff member works tickets meanwhile: their updatedAt jumps to now.
      const victims = all.filter((_, i) => (i + bump) % 53 === 0);
      bump++;
      await t.prisma.ticket.updateMany({ where: { id: { in: victims } }, data: { updatedAt: new Date() } });
      return victims;
    };
    // By creation time (immutable): every ticket exactly once, whatever changes meanwhile.
    const created = await walk({ sort: "created" }, async () => void (await touch()));
    expect(created.length).toBe(new Set(created).size);
    expect([...created].sort((a, b) => a - b)).toEqual(all);

    // By last update: never twice; every ticket that did not change exactly once; a changed one at most once.
    const touched = new Set<number>();
    const walkStart = new Date();
    const updated = await walk({}, async () => (await touch()).forEach((id) => touched.add(id)));
    expect(updated.length).toBe(new Set(updated).size);
    for (const id of all) if (!touched.has(id)) expect(updated).toContain(id);
    // …and what a walk missed had moved above it: a fresh first page (newer than the walk's start) shows it.
    const missed = all.filter((id) => !updated.includes(id));
    expect(missed.every((id) => touched.has(id))).toBe(true);
    const moved = await t.prisma.ticket.findMany({ where: { id: { in: missed } }, select: { updatedAt: true } });
    expect(moved.every((m) => m.updatedAt >= walkStart)).toBe(true);
  });

  it("Queue: search finds a ticket by number, upstream GUID, our partner GUID, partner number, title and message text; counts are capped counts", async () => {
    const link = await t.prisma.upstreamLink.findFirstOrThrow({ where: { guid: { not: null } } });
    const partnerTicket = await t.prisma.ticket.findFirstOrThrow({ where: { partnerId: { not: null } } });
    const ids = async (q: string) => (await listQueue(t.prisma, admin, { q, limit: 100 }, TZ)).items.map((i) => i.id);
    expect(await ids(String(link.ticketId))).toContain(link.ticketId);
    expect(await ids(link.guid!)).toEqual([link.ticketId]);
    expect(await ids(partnerTicket.guid!)).toEqual([partnerTicket.id]);
    expect(await ids(partnerTicket.partnerTicketNo!)).toEqual([partnerTicket.id]);
    const titled = await t.prisma.ticket.findMany({ where: { title: { contains: "磁盘空间" } }, select: { id: true } });
    expect((await ids("磁盘空间")).sort()).toEqual(titled.map((r) => r.id).sort());
    const withText = await t.prisma.ticketMessage.findMany({ where: { body: { contains: "bad_gateway", mode: "insensitive" } }, select: { ticketId: true } });
    expect((await ids("bad_gateway")).sort()).toEqual([...new Set(withText.map((m) => m.ticketId))].sort());
    expect(await ids("ad_ga%")).toEqual([]); // % and _ are literal characters, not wildcards
    const counts = await queueCounts(t.prisma, admin, { q: "磁盘空间" }, TZ);
    expect(counts.total).toBe(titled.length);
    expect(counts.source).toBe("bounded");
  });

  it("Queue: a partner's ticket carries the partner's name and its ticket number; escalated ones their GUID or 转移中", async () => {
    const page = await listQueue(t.prisma, admin, { limit: 100, escalation: "NONE" }, TZ);
    const partner = page.items.find((i) => i.partner);
    expect(partner?.partner).toMatchObject({ name: "星河云", ticketNo: expect.stringMatching(/^PT-/) });
    const escalated = await listQueue(t.prisma, admin, { limit: 100, escalation: "ESCALATED" }, TZ);
    expect(escalated.items.some((i) => i.awaitingAck && i.upstreamGuid === null)).toBe(true);
    expect(escalated.items.some((i) => !i.awaitingAck && i.upstreamGuid?.startsWith("GUID"))).toBe(true);
  });

  it("Queue: bulk accept / assign / close go through the single-ticket commands and report per ticket", async () => {
    const pending = await t.prisma.ticket.findMany({ where: { status: "PENDING", assigneeId: null, partnerId: null }, take: 2, orderBy: { id: "asc" } });
    const done = await t.prisma.ticket.findFirstOrThrow({ where: { status: "COMPLETED" } });
    const items = [...pending, done].map((p) => ({ ticketId: p.id, expectedVersion: p.version }));
    const accepted = await asStaff(t.prisma).console.bulk({ action: "accept", items });
    expect(accepted.map((r) => r.ok)).toEqual([true, true, false]);
    expect(accepted[2]).toMatchObject({ code: "RULE_VIOLATION", message: "工单已完成，双方均不可再对此工单进行操作" });
    const stale = await asSuperAdmin(t.prisma).console.bulk({ action: "assign", assigneeId: 1, items: items.slice(0, 1) });
    expect(stale[0]).toMatchObject({ ok: false, code: "CONFLICT", message: "工单已被他人修改，请刷新后重试" });
    const fresh = await t.prisma.ticket.findMany({ where: { id: { in: pending.map((p) => p.id) } }, orderBy: { id: "asc" } });
    const closed = await asSuperAdmin(t.prisma).console.bulk({ action: "close", items: fresh.map((p) => ({ ticketId: p.id, expectedVersion: p.version })) });
    expect(closed.every((r) => r.ok)).toBe(true);
    expect(await t.prisma.ticketEvent.count({ where: { ticketId: { in: pending.map((p) => p.id) }, action: "staff.close" } })).toBe(2);
  });
});
