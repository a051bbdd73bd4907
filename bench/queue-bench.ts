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
import os from "node:os";
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
import { ZQueueInput, decodeCursor, listQueue, queueCounts, resolveQueueFilter, type QueueInput } from "../src/server/services/queue-service.ts";
import type { StaffViewer } from "../src/server/viewer.ts";
import { listMyTickets } from "../src/server/services/member-ticket-queries.ts";
import { MESSAGES_PER_TICKET, RARE_WORD, TICKETS } from "./seed.ts";
import { BENCH_DATABASE_URL, databaseExists, ensureSeeded, timeRuns, withServer } from "./bench-db.ts";

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1]) || 40;
const url = BENCH_DATABASE_URL;
const TZ = "Asia/Shanghai";
const viewer: StaffViewer = { kind: "staff", staffId: 3, name: "客服3", role: "STAFF" };

const time = (fn: () => Promise<unknown>) => timeRuns(fn, runs, 5);

const sqlArgs = (sql: { text: string; values: unknown[] }) => [sql.text, sql.values] as const;

async function main() {
  const name = new URL(url).pathname.slice(1);
  await withServer(url, async (admin) => {
    if (!(await databaseExists(admin, name))) await admin.query(`CREATE DATABASE "${name}"`);
  });
  const database = await openDatabase({ kind: "postgres", url });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await ensureSeeded(client, args.includes("--reseed"));
  const db = database.prisma;

  // Parameters that exist in the data: a busy member, a GUID, a deep cursor.
  const member = (await client.query(`SELECT "memberId" FROM "Ticket" WHERE "memberId" IS NOT NULL ORDER BY id DESC LIMIT 1`)).rows[0].memberId as number;
  const guid = (await client.query(`SELECT guid FROM "UpstreamLink" WHERE guid IS NOT NULL ORDER BY id DESC LIMIT 1 OFFSET 500`)).rows[0].guid as string;
  // A server's IP and business ID from the middle of the data (each names about three tickets).
  const server = (await client.query(`SELECT "businessId", "businessIp" FROM "Ticket" WHERE "businessIp" IS NOT NULL ORDER BY id LIMIT 1 OFFSET ${Math.floor(TICKETS / 8)}`)).rows[0] as { businessId: string; businessIp: string };
  const today = new Date().toISOString().slice(0, 10);
  const weekAgo = new Date(Date.now() - 7 * 86400_000).toISOString().slice(0, 10);
  let deep: string | null = null;
  for (let i = 0; i < 19; i++) deep = (await listQueue(db, viewer, { status: "COMPLETED", cursor: deep }, TZ)).nextCursor;

  const views: [string, QueueInput][] = [
    ["待处理", { status: "PENDING" }],
    ["处理中", { status: "PROCESSING" }],
    ["待回复", { status: "MEMBER_REPLIED" }],
    ["已回复", { status: "REPLIED" }],
    ["已完成", { status: "COMPLETED" }],
    ["全部", {}],
    ["已完成, page 20 (keyset)", { status: "COMPLETED", cursor: deep }],
    ["待处理 + category", { status: "PENDING", categoryId: 3 }],
    ["已完成 + group (5 categories)", { status: "COMPLETED", groupId: 1 }],
    ["全部 + group", { groupId: 2 }],
    ["处理中 + mine", { status: "PROCESSING", assignee: "mine" }],
    ["全部 + mine", { assignee: "mine" }],
    ["待处理 + unassigned", { status: "PENDING", assignee: "unassigned" }],
    ["全部 + escalated", { escalation: "ESCALATED" }],
    ["已完成 + upstream closed + group", { status: "COMPLETED", escalation: "UPSTREAM_CLOSED", groupId: 2 }],
    ["member ID", { memberId: member }],
    ["last 7 days, by creation", { createdFrom: weekAgo, createdTo: today, sort: "created" }],
    ["待处理, last 7 days", { status: "PENDING", createdFrom: weekAgo, createdTo: today }],
    ["已完成, by creation", { status: "COMPLETED", sort: "created" }],
    ["待处理, by creation", { status: "PENDING", sort: "created" }],
    ["search ticket number", { q: "987654" }],
    ["search upstream GUID", { q: guid }],
    ["search text (common)", { q: "备案" }],
    ["search text (rare)", { q: RARE_WORD }],
    ["search IP", { q: server.businessIp }],
    ["search business ID", { q: server.businessId }],
    ["search phrase", { q: '"SSH 连接超时"' }],
    ["search common + 待处理", { q: "备案", status: "PENDING" }],
    ["search common + group", { q: "退款", groupId: 3 }],
  ];

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
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i < 1 || i === 10 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(" | ")} |`;
  console.log(`\n${TICKETS.toLocaleString()} tickets, ${(TICKETS * MESSAGES_PER_TICKET).toLocaleString()} messages; ${runs} runs per cell, ms at the server`);
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM, ${(await client.query("SHOW server_version")).rows[0].server_version}`);
  console.log(line(header));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const r of rows) console.log(line(r));
  const worst = Math.max(...rows.slice(0, -2).flatMap((r) => [Number(r[3] ?? 0), Number(r[7] ?? 0)]));
  console.log(`\nworst p95 of a view or its counts: ${f(worst)} ms (target < 100); member list p95 ${f(memberList.p95)} ms (target < 50)`);

  await client.end();
  await database.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
