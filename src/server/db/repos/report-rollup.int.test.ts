import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { seedDemoData } from "@/server/db/seed-demo";
import { aggregateReport, aggregateReportFromRollup, REPORT_ROLLUP_ZONE, type ReportDimension, type ReportRow } from "./reports.ts";
import { getReport } from "@/server/services/report-service";
import { nextDay, startOfZonedDay } from "@/lib/zoned-date";

// The daily rollup against the tickets themselves: random tickets around Asia/Shanghai midnights,
// then the writes that change what a report counts — clocks settling, a close undone by a reopen
// and closed again, category moves, reassignments, ratings, escalations to one vendor and then
// another, a link removed, tickets deleted — each through the tables' triggers. After every round
// the rollup's report must equal the raw computation for every dimension and range.

let t: TestDatabase;
let categories: number[];
let staff: number[];
let connections: number[] = [];

// A fixed-seed generator: a failure reproduces (the seed is in the test's name).
const SEED = 20261202;
function generator(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const random = generator(SEED);
const pick = <T,>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
const maybe = <T,>(p: number, v: () => T) => (random() < p ? v() : null);
const minutes = () => Math.floor(random() * 600) + (random() < 0.3 ? 0.5 : 0);

const DAYS = ["2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12"];
/** Just before, at and just after an Asia/Shanghai midnight (16:00 UTC), or inside the day. */
function filedAt(): Date {
  const midnight = startOfZonedDay(pick(DAYS), REPORT_ROLLUP_ZONE).getTime();
  const offsets = [-1, 0, 1, -60_000, 59_999, 3_600_000 * 15];
  return new Date(midnight + pick(offsets) + (random() < 0.3 ? Math.floor(random() * 86_400_000) : 0));
}

function facts() {
  const responded = random() < 0.8;
  const finished = random() < 0.5;
  return {
    assigneeId: maybe(0.85, () => pick(staff)),
    slaFirstResponseMinutes: responded ? minutes() : null,
    slaFirstResponseMet: responded ? random() < 0.6 : null,
    slaResolutionMinutes: finished ? minutes() : null,
    slaResolutionMet: finished ? random() < 0.5 : null,
    rating: finished ? maybe(0.5, () => 1 + Math.floor(random() * 5)) : null,
  };
}

const ids: number[] = [];
async function fileTickets(n: number) {
  for (let i = 0; i < n; i++) {
    const row = await t.prisma.ticket.create({ data: { title: "汇总测试", memberId: 1100001, categoryId: pick(categories), createdAt: filedAt(), ...facts() } });
    ids.push(row.id);
  }
}

async function escalate(id: number) {
  const connectionId = pick(connections);
  await t.prisma.$transaction([
    t.prisma.upstreamLink.upsert({ where: { ticketId: id }, create: { ticketId: id, connectionId, state: "OPEN" }, update: { connectionId, state: "OPEN" } }),
    t.prisma.ticket.update({
      where: { id },
      data: {
        escalation: pick(["ESCALATED", "RETURNED", "UPSTREAM_CLOSED"] as const),
        upstreamAckMinutes: minutes(),
        upstreamAckMet: random() < 0.5,
        upstreamFirstReplyMinutes: maybe(0.7, minutes),
        upstreamSettleMinutes: maybe(0.5, minutes),
        upstreamResolutionMet: maybe(0.5, () => random() < 0.5),
      },
    }),
  ]);
}

/** One round of the writes a report counts, on random tickets. */
async function churn() {
  for (const id of ids.filter(() => random() < 0.5)) {
    const r = random();
    if (r < 0.15) {
      // Closed, reopened (the verdict cleared), closed again — twice.
      for (let k = 0; k < 2; k++) {
        await t.prisma.ticket.update({ where: { id }, data: { slaResolutionMinutes: minutes(), slaResolutionMet: random() < 0.5 } });
        await t.prisma.ticket.update({ where: { id }, data: { slaResolutionMinutes: null, slaResolutionMet: null, rating: null } });
      }
      await t.prisma.ticket.update({ where: { id }, data: { slaResolutionMinutes: minutes(), slaResolutionMet: random() < 0.5, rating: 1 + Math.floor(random() * 5) } });
    } else if (r < 0.35) await t.prisma.ticket.update({ where: { id }, data: { categoryId: pick(categories) } });
    else if (r < 0.5) await t.prisma.ticket.update({ where: { id }, data: { assigneeId: maybe(0.8, () => pick(staff)) } });
    else if (r < 0.7) await escalate(id);
    else if (r < 0.8) await t.prisma.upstreamLink.deleteMany({ where: { ticketId: id } });
    else if (r < 0.9) await t.prisma.ticket.update({ where: { id }, data: facts() });
    else if (r < 0.93) {
      await t.prisma.upstreamLink.deleteMany({ where: { ticketId: id } });
      await t.prisma.ticket.delete({ where: { id } });
      ids.splice(ids.indexOf(id), 1);
    }
    // What a reply or a callback writes: nothing the rollup counts (the trigger skips these).
    else await t.prisma.ticket.update({ where: { id }, data: { status: pick(["PROCESSING", "REPLIED", "MEMBER_REPLIED"] as const), updatedAt: new Date(), title: "汇总测试 (已回复)" } });
  }
}

// Averages: the rollup divides float sums, the raw query averages (numeric for ratings).
function comparable(rows: ReportRow[]) {
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "number" && !Number.isInteger(v) ? Number(v.toFixed(9)) : v])));
}

const DIMENSIONS: ReportDimension[] = ["day", "staff", "category", "upstream"];
const RANGES: [string, string][] = [
  [DAYS[0]!, DAYS[3]!],
  [DAYS[1]!, DAYS[1]!],
  [DAYS[1]!, DAYS[2]!],
  ["2026-03-20", "2026-03-21"],
];

async function expectRollupEqualsRaw() {
  for (const [fromDay, toDay] of RANGES) {
    const from = startOfZonedDay(fromDay, REPORT_ROLLUP_ZONE);
    const to = startOfZonedDay(nextDay(toDay), REPORT_ROLLUP_ZONE);
    for (const dimension of DIMENSIONS) {
      for (const categoryId of [null, categories[0]!]) {
        const raw = await aggregateReport(t.prisma, { from, to, timeZone: REPORT_ROLLUP_ZONE, dimension, categoryId });
        const rolled = await aggregateReportFromRollup(t.prisma, { fromDay, toDay: nextDay(toDay), dimension, categoryId });
        expect({ fromDay, toDay, dimension, categoryId, rows: comparable(rolled) }).toEqual({ fromDay, toDay, dimension, categoryId, rows: comparable(raw) });
      }
    }
  }
}

const rollupTable = () => t.prisma.$queryRaw<unknown[]>`SELECT * FROM "TicketReportDay" WHERE tickets > 0 ORDER BY 1, 2, 3, 4`;

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.prisma);
  categories = (await t.prisma.category.findMany({ select: { id: true }, take: 3, orderBy: { id: "asc" } })).map((c) => c.id);
  staff = (await t.prisma.staff.findMany({ select: { id: true }, take: 3, orderBy: { id: "asc" } })).map((s) => s.id);
  for (const name of ["小鸟云", "阿帕云"]) {
    const c = await t.prisma.upstreamConnection.create({ data: { name, baseUrl: `https://${name}.invalid`, partnerId: name, keyId: "k", secretEncrypted: "x", isDefault: false } });
    connections.push(c.id);
  }
}, 120_000);
afterAll(() => t?.close());

describe(`the daily report rollup equals the raw computation (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"}, seed ${SEED})`, () => {
  it("after filing tickets on both sides of Asia/Shanghai midnights", async () => {
    await fileTickets(120);
    expect(ids.length).toBe(120);
    await expectRollupEqualsRaw();
  }, 120_000);

  it("after three rounds of settling, reopening twice, moves, reassignment, escalations, removed links and deletions", async () => {
    for (let round = 0; round < 3; round++) {
      await churn();
      await expectRollupEqualsRaw();
    }
    const escalated = await t.prisma.ticket.count({ where: { escalation: { not: "NONE" } } });
    expect(escalated).toBeGreaterThan(0);
  }, 240_000);

  it("an update that changes nothing the rollup counts leaves its row alone: not rewritten, not locked", async () => {
    const id = ids.find((x) => x !== ids[0])!;
    const rowVersion = () => t.prisma.$queryRaw<{ v: string }[]>`
      SELECT r.xmin::text AS v FROM "TicketReportDay" r JOIN "Ticket" k ON k.id = ${id}
       WHERE r.day = (k."createdAt" AT TIME ZONE 'Asia/Shanghai')::date AND r."categoryId" = k."categoryId"
         AND r."assigneeId" = COALESCE(k."assigneeId", 0)
         AND r."connectionId" = k."reportConnectionId"`.then((rows) => rows[0]?.v);
    const before = await rowVersion();
    expect(before).toBeDefined();
    const { escalation } = await t.prisma.ticket.findUniqueOrThrow({ where: { id }, select: { escalation: true } });
    // The command's own columns, escalation named with its current value, as every command sends it.
    await t.prisma.ticket.update({ where: { id }, data: { status: "REPLIED", escalation, updatedAt: new Date(), lastReplyAt: new Date() } });
    expect(await rowVersion()).toBe(before);
    // A counted column moves: the row is rewritten (the check above can fail).
    await t.prisma.ticket.update({ where: { id }, data: { slaFirstResponseMinutes: 42 } });
    expect(await rowVersion()).not.toBe(before);
    await expectRollupEqualsRaw();
  });

  it("the migration's rebuild from the tickets gives the rows the triggers kept", async () => {
    const kept = await rollupTable();
    expect(kept.length).toBeGreaterThan(10);
    await t.prisma.$executeRaw`SELECT "report_day_rebuild"()`;
    expect(await rollupTable()).toEqual(kept);
  });

  it("a ticket written past the triggers shows as a difference (the comparison can fail)", async () => {
    const id = ids[0]!;
    await t.prisma.$executeRaw`ALTER TABLE "Ticket" DISABLE TRIGGER "report_day_ticket_maintain"`;
    await t.prisma.$executeRaw`UPDATE "Ticket" SET "slaFirstResponseMinutes" = 100000 WHERE id = ${id}`;
    await t.prisma.$executeRaw`ALTER TABLE "Ticket" ENABLE TRIGGER "report_day_ticket_maintain"`;
    await expect(expectRollupEqualsRaw()).rejects.toThrow();
    await t.prisma.$executeRaw`SELECT "report_day_rebuild"()`;
    await expectRollupEqualsRaw();
  });

  it("the service reads the rollup in Asia/Shanghai and the tickets in another zone, with the same figures where the days agree", async () => {
    const view = { timeZone: REPORT_ROLLUP_ZONE, locale: "zh-CN" as const };
    const rolled = await getReport(t.prisma, { from: DAYS[0], to: DAYS[3], dimension: "category" }, view);
    // Asia/Taipei keeps +8 all year: the same days, served by the rollup too.
    const taipei = await getReport(t.prisma, { from: DAYS[0], to: DAYS[3], dimension: "category" }, { ...view, timeZone: "Asia/Taipei" });
    expect(taipei.lines).toEqual(rolled.lines);
    const filed = (zone: string) => ({ createdAt: { gte: startOfZonedDay(DAYS[0]!, zone), lt: startOfZonedDay(nextDay(DAYS[3]!), zone) } });
    expect(rolled.total?.tickets).toBe(await t.prisma.ticket.count({ where: filed(REPORT_ROLLUP_ZONE) }));
    // Tokyo's days start an hour earlier: computed from the tickets, so the tickets filed in the
    // last Shanghai hour before a midnight count on the next day there.
    const tokyo = await getReport(t.prisma, { from: DAYS[0], to: DAYS[3], dimension: "day" }, { ...view, timeZone: "Asia/Tokyo" });
    expect(tokyo.total?.tickets).toBe(await t.prisma.ticket.count({ where: filed("Asia/Tokyo") }));
    expect(tokyo.total?.tickets).not.toBe(rolled.total?.tickets);
  });
});
