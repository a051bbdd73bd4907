import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { seedDemoData } from "@/server/db/seed-demo";

// "TicketCount" and "TicketReportDay" are kept by triggers that run at COMMIT (constraint triggers,
// deferred): a transaction that files or moves a ticket does not hold the shared counter rows
// locked while it does the rest of its work, so commands on other tickets do not wait for it.

let t: TestDatabase;
let categoryId: number;
beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.prisma);
  categoryId = (await t.prisma.category.findFirstOrThrow({ where: { name: "使用咨询" } })).id;
}, 120_000);
afterAll(() => t?.close());

const pendingCount = async (q: { $queryRaw: TestDatabase["prisma"]["$queryRaw"] }) =>
  Number(
    (await q.$queryRaw<{ n: bigint | number | null }[]>`
      SELECT sum(n) AS n FROM "TicketCount" WHERE status = 'PENDING' AND escalation = 'NONE' AND "categoryId" = ${categoryId} AND "assigneeId" = 0`)[0]?.n ?? 0,
  );
const tickets = () => t.prisma.ticket.count({ where: { status: "PENDING", escalation: "NONE", categoryId, assigneeId: null } });
const rollupTickets = async () =>
  Number((await t.prisma.$queryRaw<{ n: bigint | number | null }[]>`SELECT sum(tickets) AS n FROM "TicketReportDay" WHERE "categoryId" = ${categoryId}`)[0]?.n ?? 0);

describe(`counters change at commit (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("inside the filing transaction the counts are untouched; at its commit they count the ticket once, and a rollback leaves them as they were", async () => {
    const before = { count: await pendingCount(t.prisma), rollup: await rollupTickets() };
    expect(before.count).toBe(await tickets());
    await t.prisma.$transaction(async (tx) => {
      await tx.ticket.create({ data: { title: "计数", memberId: 1100001, categoryId } });
      expect(await pendingCount(tx)).toBe(before.count);
    });
    expect(await pendingCount(t.prisma)).toBe(before.count + 1);
    expect(await rollupTickets()).toBe(before.rollup + 1);
    expect(await pendingCount(t.prisma)).toBe(await tickets());

    await expect(
      t.prisma.$transaction(async (tx) => {
        await tx.ticket.create({ data: { title: "计数", memberId: 1100001, categoryId } });
        throw new Error("undone");
      }),
    ).rejects.toThrow("undone");
    expect(await pendingCount(t.prisma)).toBe(before.count + 1);
    expect(await rollupTickets()).toBe(before.rollup + 1);
  });

  it.runIf(!!process.env.TEST_DATABASE_URL)("a transaction that filed a ticket and is still open does not hold up another filing in the same category", async () => {
    const open = new pg.Client({ connectionString: t.url });
    const other = new pg.Client({ connectionString: t.url });
    await Promise.all([open.connect(), other.connect()]);
    try {
      const insert = `INSERT INTO "Ticket" (title, "memberId", "categoryId", "updatedAt") VALUES ('并发', 1100001, $1, now())`;
      await open.query("BEGIN");
      await open.query(insert, [categoryId]);
      // With the counters kept at each statement this waited for the open transaction's row lock.
      await other.query("SET lock_timeout = '2s'");
      await other.query(insert, [categoryId]);
      await open.query("COMMIT");
      expect(await pendingCount(t.prisma)).toBe(await tickets());
    } finally {
      await Promise.all([open.end(), other.end()]);
    }
  });
});
