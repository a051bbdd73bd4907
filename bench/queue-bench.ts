/**
 * `npm run bench` — the console queue on 1 000 000 tickets and 5 000 000 messages in PostgreSQL.
 *
 * Measures every queue view and its tab counts through the same service functions the router
 * calls (listQueue, queueCounts), and beside each the same SQL sent straight over `pg`, so the
 * ratio shows what Prisma + presentation cost. Targets (ANCHORS.md): p95 < 100 ms per view and
 * per count, a member's own list < 50 ms.
 *
 *   BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/relaydesk_bench)
 *   --reseed   drop the data and generate it again (else re-used when complete)
 *   --explain  print EXPLAIN (ANALYZE, BUFFERS) of every view's list query
 *   --runs N   measured runs per view (default 40, after 5 warm-up runs)
 *   --only S   measure only the views whose name contains S
 */
import pg from "pg";
import { openDatabase } from "../src/server/db/client.ts";
import {
  ONE_PASS_LIMIT,
  buildCappedCountsSql,
  buildMaintainedCountsSql,
  buildOnePassCountsSql,
  buildQueueSql,
  countableFromTicketCount,
} from "../src/server/db/repos/queue.ts";
import { ZQueueInput, decodeCursor, listQueue, queueCounts, resolveQueueFilter } from "../src/server/services/queue-service.ts";
import { listMyTickets } from "../src/server/services/member-ticket-queries.ts";
import { MESSAGES_PER_TICKET, TICKETS } from "./seed.ts";
import { BENCH_DATABASE_URL, ensureDatabase, ensureSeeded, machineLine, printTable, timeRuns } from "./support.ts";
import { TZ, benchViewer, queueViews, viewParameters } from "./queue-views.ts";

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1]) || 40;
const url = BENCH_DATABASE_URL;
const viewer = benchViewer;

const time = (fn: () => Promise<unknown>) => timeRuns(fn, runs);

const sqlArgs = (sql: { text: string; values: unknown[] }) => [sql.text, sql.values] as const;

async function main() {
  await ensureDatabase(url);
  const database = await openDatabase({ kind: "postgres", url });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await ensureSeeded(client, args.includes("--reseed"));
  const db = database.prisma;

  const params = await viewParameters(client, db);
  const { member } = params;
  const views = queueViews(params);

  const rows: string[][] = [];
  const f = (n: number) => n.toFixed(1);
  const only = args.includes("--only") ? args[args.indexOf("--only") + 1] ?? "" : "";
  for (const [name, input] of views.filter(([n]) => n.includes(only))) {
    const parsed = ZQueueInput.parse(input);
    const filter = await resolveQueueFilter(db, viewer, parsed, TZ);
    const listSql = buildQueueSql(filter, parsed.sort, parsed.cursor ? decodeCursor(parsed.cursor) : null, parsed.limit + 1);
    const countFilter = { ...filter, statuses: null };
    // The same statements the repository runs: the maintained SUM, or one pass then (rarely) five capped scans.
    const rawCounts = async () => {
      if (countableFromTicketCount(countFilter)) return client.query(...sqlArgs(buildMaintainedCountsSql(countFilter)));
      const pass = await client.query<{ n: number }>(...sqlArgs(buildOnePassCountsSql(countFilter)));
      if (pass.rows.reduce((s, r) => s + r.n, 0) >= ONE_PASS_LIMIT) await client.query(...sqlArgs(buildCappedCountsSql(countFilter)));
    };
    if (args.includes("--explain")) {
      const plan = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${listSql.text}`, listSql.values);
      console.log(`\n### ${name}\n${plan.rows.map((r) => r["QUERY PLAN"]).join("\n")}`);
    }
    const svc = await time(() => listQueue(db, viewer, input, TZ));
    const raw = await time(() => client.query(listSql.text, listSql.values));
    const csvc = await time(() => queueCounts(db, viewer, input, TZ));
    const craw = await time(rawCounts);
    const n = (await listQueue(db, viewer, input, TZ)).items.length;
    const counts = await queueCounts(db, viewer, input, TZ);
    rows.push([name, String(n), f(svc.p50), f(svc.p95), f(raw.p50), f(raw.p95), f(csvc.p50), f(csvc.p95), f(craw.p50), f(craw.p95), counts.source]);
  }
  const memberList = await time(() => listQueue(db, viewer, { memberId: member, limit: 20 }, TZ));
  const memberRaw = await time(() =>
    client.query(`SELECT id, title, status, "updatedAt" FROM "Ticket" WHERE "memberId" = $1 ORDER BY "updatedAt" DESC, id DESC LIMIT 21`, [member]),
  );
  rows.push(["member's own tickets (20)", "20", f(memberList.p50), f(memberList.p95), f(memberRaw.p50), f(memberRaw.p95), "", "", "", "", ""]);
  // 我的工单 search: the member's public terms only, through the portal's service.
  const memberViewer = { kind: "member" as const, memberId: member, name: "会员" };
  const memberSearch = await time(() => listMyTickets(db, memberViewer, { search: "备案", limit: 20 }));
  const memberHits = (await listMyTickets(db, memberViewer, { search: "备案", limit: 20 })).items.length;
  rows.push(["member search (common)", String(memberHits), f(memberSearch.p50), f(memberSearch.p95), "", "", "", "", "", "", ""]);

  const header = ["view", "rows", "list p50", "list p95", "SQL p50", "SQL p95", "counts p50", "counts p95", "SQL p50", "SQL p95", "counts from"];
  console.log(`\n${TICKETS.toLocaleString()} tickets, ${(TICKETS * MESSAGES_PER_TICKET).toLocaleString()} messages; ${runs} runs per cell, ms at the server`);
  console.log(machineLine((await client.query("SHOW server_version")).rows[0].server_version));
  printTable(header, rows, [0, 10]);
  const worst = Math.max(...rows.slice(0, -2).flatMap((r) => [Number(r[3] ?? 0), Number(r[7] ?? 0)]));
  console.log(`\nworst p95 of a view or its counts: ${f(worst)} ms (target < 100); member list p95 ${f(memberList.p95)} ms (target < 50)`);

  await client.end();
  await database.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
