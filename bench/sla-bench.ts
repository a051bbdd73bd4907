/**
 * `npm run bench:sla` — the reports page's queries at 1 000 000 tickets and the SLA sweep over
 * 100 000 due open tickets, in PostgreSQL.
 *
 * Works on a copy of the queue bench's database (seeded here when the machine has none, as
 * `npm run bench` would), so the queue bench's data stays as it was: relaydesk_sla_bench is created
 * from relaydesk_bench as a template, then migrated (the report rollup's migration backfills it),
 * then the newest finished tickets are reopened until 100 000 are open, every ticket gets stored
 * SLA durations and verdicts (as settled clocks write them) and the 100 000 open tickets a
 * first-response deadline that has passed. The copy drops the search GIN indexes before that fill
 * (searching is the queue bench's, and they make the fill crawl).
 *
 * Each report is timed through getReport (the daily rollup) and, as the reference, the raw
 * aggregate over the tickets that the rollup replaced.
 *
 *   BENCH_DATABASE_URL      the queue bench's database (default …/relaydesk_bench)
 *   BENCH_SLA_DATABASE_URL  the copy (default …/relaydesk_sla_bench)
 *   --runs N                measured runs per report (default 20, after 3 warm-up runs)
 *   --reference-runs N      measured runs of the raw reference (default 5, after 1 warm-up run)
 *   --sweep-only            skip the reports
 */
import pg from "pg";
import { openDatabase } from "../src/server/db/client.ts";
import { aggregateReport } from "../src/server/db/repos/reports.ts";
import { getReport } from "../src/server/services/report-service.ts";
import { sweepDeadlines } from "../src/server/services/sla-sweep.ts";
import { startOfZonedDay, nextDay } from "../src/lib/zoned-date.ts";
import { BENCH_DATABASE_URL, databaseExists, ensureDatabase, ensureSeeded, timeRuns } from "./support.ts";

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1]) || 20;
const referenceRuns = Number(args[args.indexOf("--reference-runs") + 1]) || 5;
const source = BENCH_DATABASE_URL;
const url = process.env.BENCH_SLA_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/relaydesk_sla_bench";
const DUE_TICKETS = 100_000;

/** The copy, made from the queue bench's data set (seeded first when the machine has none). */
async function ensureCopy() {
  if (await databaseExists(url)) return;
  await ensureDatabase(source);
  const sourceDb = await openDatabase({ kind: "postgres", url: source });
  const c = new pg.Client({ connectionString: source });
  await c.connect();
  await ensureSeeded(c, false);
  await c.end();
  await sourceDb.close();
  await ensureDatabase(url, { template: new URL(source).pathname.slice(1) });
}

async function main() {
  await ensureCopy();
  const database = await openDatabase({ kind: "postgres", url });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const filled = Number((await client.query(`SELECT count(*) AS n FROM (SELECT 1 FROM "Ticket" WHERE "slaFirstResponseMinutes" IS NOT NULL LIMIT 1) x`)).rows[0].n);
  if (!filled) {
    const t0 = Date.now();
    // The copy measures no search: without the GIN search indexes (and with room for HOT updates)
    // the one-time fill of a million rows takes a minute instead of an hour.
    await client.query(`DROP INDEX IF EXISTS "Ticket_searchHead_idx", "Ticket_searchAll_idx"`);
    // The data set has about 60 000 open tickets; the sweep's burst needs 100 000: the newest
    // finished ones are reopened (as 处理中, by their assignee), through the counters' triggers.
    await client.query(
      `UPDATE "Ticket" SET status = 'PROCESSING', "finishedAt" = NULL, "partnerState" = CASE WHEN "partnerId" IS NOT NULL THEN 'OPEN'::"UpstreamTicketState" END
        WHERE id IN (SELECT id FROM "Ticket" WHERE status = 'COMPLETED' ORDER BY id DESC
                      LIMIT GREATEST(0, $1 - (SELECT count(*) FROM "Ticket" WHERE status <> 'COMPLETED')))`,
      [DUE_TICKETS],
    );
    // The million-row fill bypasses the rollup's row trigger; the rollup is rebuilt after it.
    await client.query(`ALTER TABLE "Ticket" DISABLE TRIGGER "report_day_ticket_maintain"`);
    // Durations as settled clocks store them: first response for accepted tickets, resolution for
    // finished ones, the vendor's figures for escalated ones; verdicts against 60 / 480 minutes.
    await client.query(`
      UPDATE "Ticket" SET
        "slaFirstResponseMinutes" = CASE WHEN status <> 'PENDING' THEN (id::bigint * 7919 % 240)::float END,
        "slaFirstResponseMet"     = CASE WHEN status <> 'PENDING' THEN (id::bigint * 7919 % 240) <= 60 END,
        "slaResolutionMinutes"    = CASE WHEN status = 'COMPLETED' THEN (id::bigint * 104729 % 2400)::float END,
        "slaResolutionMet"        = CASE WHEN status = 'COMPLETED' THEN (id::bigint * 104729 % 2400) <= 480 END,
        "upstreamAckMinutes"      = CASE WHEN escalation <> 'NONE' THEN (id % 90)::float END,
        "upstreamAckMet"          = CASE WHEN escalation <> 'NONE' THEN id % 90 <= 30 END,
        "upstreamFirstReplyMinutes" = CASE WHEN escalation <> 'NONE' THEN (id % 300)::float END,
        "upstreamSettleMinutes"   = CASE WHEN escalation IN ('RETURNED', 'UPSTREAM_CLOSED') THEN (id % 1440)::float END,
        "upstreamResolutionMet"   = CASE WHEN escalation IN ('RETURNED', 'UPSTREAM_CLOSED') THEN id % 1440 <= 480 END`);
    // 100 000 open tickets whose first response is overdue: the sweep's burst.
    await client.query(
      `UPDATE "Ticket" t SET
         "slaClocks" = jsonb_build_object(
           'firstResponse', jsonb_build_object('startedAt', t."createdAt", 'warnAt', now() - interval '2 hours', 'dueAt', now() - interval '1 hour'),
           'nextResponse', NULL, 'resolution', NULL, 'resolutionUsedMinutes', 0, 'resolutionRunningSince', NULL,
           'upstreamAck', NULL, 'upstreamResolution', NULL, 'upstreamEscalatedAt', NULL, 'upstreamFirstReplyAt', NULL),
         "slaWarnAt" = now() - interval '2 hours', "slaDueAt" = now() - interval '1 hour', "slaNextCheckAt" = now() - interval '2 hours'
       FROM (SELECT id FROM "Ticket" WHERE status <> 'COMPLETED' ORDER BY id DESC LIMIT $1) due WHERE t.id = due.id`,
      [DUE_TICKETS],
    );
    await client.query(`ALTER TABLE "Ticket" ENABLE TRIGGER "report_day_ticket_maintain"`);
    await client.query(`SELECT "report_day_rebuild"()`);
    await client.query(`VACUUM ANALYZE "Ticket"`);
    await client.query(`VACUUM ANALYZE "TicketReportDay"`);
    console.log(`filled the SLA columns in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  const db = database.prisma;
  const view = { timeZone: "Asia/Shanghai", locale: "zh-CN" as const };
  const newest = (await client.query(`SELECT max("createdAt") AS at FROM "Ticket"`)).rows[0].at as Date;
  const day = (ms: number) => new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Shanghai" }).format(new Date(ms));
  const to = day(newest.getTime());
  const month = day(newest.getTime() - 29 * 86_400_000);
  const year = day(newest.getTime() - 365 * 86_400_000);

  const rows: string[][] = [];
  for (const [range, from] of args.includes("--sweep-only") ? [] : ([["30 days", month], ["366 days", year]] as const)) {
    for (const dimension of ["day", "staff", "category", "upstream"] as const) {
      const r = await getReport(db, { from, to, dimension }, view);
      const ours = await timeRuns(() => getReport(db, { from, to, dimension }, view), runs, 3);
      // The reference: the same figures computed from the tickets (the statement the rollup replaced).
      const q = { from: startOfZonedDay(from, view.timeZone), to: startOfZonedDay(nextDay(to), view.timeZone), timeZone: view.timeZone, dimension, categoryId: null };
      const ref = await timeRuns(() => aggregateReport(db, q), referenceRuns, 1);
      rows.push([`${range} by ${dimension}`, String(r.total?.tickets ?? 0), ours.p50.toFixed(1), ours.p95.toFixed(1), ref.p50.toFixed(1), ref.p95.toFixed(1)]);
    }
  }
  const rollupRows = Number((await client.query(`SELECT count(*) AS n FROM "TicketReportDay"`)).rows[0].n);
  console.log(`\nreports (${runs} runs each through getReport, which reads the rollup of ${rollupRows} rows; reference: the raw aggregate over the tickets, ${referenceRuns} runs; ms)`);
  console.log("| report | tickets | p50 | p95 | raw p50 | raw p95 |\n|---|---|---|---|---|---|");
  for (const r of rows) console.log(`| ${r.join(" | ")} |`);

  // The sweep: every due ticket once, batch after batch as the worker's ticks would. A re-run
  // starts from the same burst: the alerts of an earlier run are forgotten.
  await client.query(`DELETE FROM "SlaAlert"`);
  await client.query(`DELETE FROM "TicketEvent" WHERE action IN ('sla.warning', 'sla.breached')`);
  await client.query(`UPDATE "Ticket" SET "slaNextCheckAt" = now() - interval '2 hours' WHERE "slaClocks" IS NOT NULL`);
  const t0 = performance.now();
  let checked = 0;
  let alerts = 0;
  let rounds = 0;
  for (;;) {
    const r = await sweepDeadlines(db, new Date());
    if (r.checked === 0) break;
    checked += r.checked;
    alerts += r.alerts;
    rounds++;
  }
  const ms = performance.now() - t0;
  console.log(`\nsweep: ${checked} due tickets in ${rounds} rounds, ${alerts} alerts written, ${(ms / 1000).toFixed(1)} s (${(ms / Math.max(1, rounds)).toFixed(0)} ms a round of 200)`);

  await client.end();
  await database.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
