/**
 * `npm run bench:cost` — what one unit of the data layer costs the web process, each beside the
 * same work straight over `pg` in the same run (docs/PERFORMANCE.md, "Where a request's time goes"):
 * a point read, a three-read transaction, one rate-limit take, and 提交工单 through the service the
 * router calls (no HTTP). Each runs at 16 at once in this one process; the figures are its
 * throughput and the process's CPU time per unit (`process.cpuUsage`, user + system).
 *
 *   BENCH_COST_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/relaydesk_cost_bench),
 *   dropped and created each run.   --units N (default 3000)
 */
import pg from "pg";
import { openDatabase } from "../src/server/db/client.ts";
import { seedDemoData } from "../src/server/db/seed-demo.ts";
import { createRateLimits } from "../src/server/rate-limits.ts";
import { createMemberTicket } from "../src/server/services/member-ticket-service.ts";
import { ZCreateTicketInput } from "../src/server/services/member-ticket-inputs.ts";
import { ensureDatabase, fileTicketOverPg, machineLine, printTable } from "./support.ts";

const args = process.argv.slice(2);
const UNITS = Number(args[args.indexOf("--units") + 1]) || 3000;
const CONCURRENCY = 16;
const MEMBERS = 400;
const url = process.env.BENCH_COST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/relaydesk_cost_bench";

type Cost = { perSecond: number; cpuMs: number };

/** `units` calls of `unit`, CONCURRENCY at once, after a warm-up of 200. */
async function measure(units: number, unit: (i: number) => Promise<unknown>): Promise<Cost> {
  for (let i = 0; i < 200; i++) await unit(units + i);
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < units) await unit(next++);
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { perSecond: units / seconds, cpuMs: (cpu.user + cpu.system) / 1000 / units };
}

async function main() {
  await ensureDatabase(url, { fresh: true });
  const database = await openDatabase({ kind: "postgres", url, poolSize: 10 });
  const db = database.prisma;
  await seedDemoData(db);
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const members = (
    await pool.query<{ id: number; name: string }>(
      `INSERT INTO "Member" (name, email, "passwordHash", "updatedAt")
       SELECT '会员' || g, 'cost' || g || '@bench.local', 'x', now() FROM generate_series(1, ${MEMBERS}) g RETURNING id, name`,
    )
  ).rows;
  const member = (i: number) => members[i % MEMBERS]!;
  const category = (await pool.query<{ id: number }>(`SELECT id FROM "Category" WHERE name = '使用咨询'`)).rows[0]!.id;
  await pool.query(`CREATE TABLE bench_limit (key text PRIMARY KEY, points int NOT NULL, expire bigint)`);

  const rows: string[][] = [];
  const row = (what: string, ours: Cost, ref: Cost, refWhat: string) =>
    rows.push([what, ours.perSecond.toFixed(0), ours.cpuMs.toFixed(3), ref.perSecond.toFixed(0), ref.cpuMs.toFixed(3), `${(ours.cpuMs / ref.cpuMs).toFixed(1)}×`, refWhat]);

  const read = await measure(UNITS, (i) => db.member.findUnique({ where: { id: member(i).id }, select: { id: true, name: true, disabled: true } }));
  const readRef = await measure(UNITS, (i) => pool.query(`SELECT id, name, disabled FROM "Member" WHERE id = $1`, [member(i).id]));
  row("a point read (Prisma findUnique)", read, readRef, "the same SELECT");

  const tx = await measure(UNITS, (i) =>
    db.$transaction(async (t) => {
      for (let k = 0; k < 3; k++) await t.member.findUnique({ where: { id: member(i + k).id }, select: { id: true, name: true } });
    }),
  );
  const txRef = await measure(UNITS, async (i) => {
    const c = await pool.connect();
    try {
      await c.query("BEGIN");
      for (let k = 0; k < 3; k++) await c.query(`SELECT id, name FROM "Member" WHERE id = $1`, [member(i + k).id]);
      await c.query("COMMIT");
    } finally {
      c.release();
    }
  });
  row("a transaction of three reads (interactive $transaction)", tx, txRef, "BEGIN, 3 SELECTs, COMMIT");

  // rate-limiter-flexible's Prisma store: an expired row is deleted, then the counter upserted.
  const limits = createRateLimits(db, { keyPrefix: `cost${Date.now()}:`, points: { newTicket: 1_000_000 } });
  const take = await measure(UNITS, (i) => limits.take("newTicket", `member:${member(i).id}`));
  const takeRef = await measure(UNITS, (i) =>
    pool.query(
      `INSERT INTO bench_limit VALUES ($1, 1, $2) ON CONFLICT (key) DO UPDATE SET
         points = CASE WHEN bench_limit.expire <= $3 THEN 1 ELSE bench_limit.points + 1 END,
         expire = CASE WHEN bench_limit.expire <= $3 THEN $2 ELSE bench_limit.expire END RETURNING points, expire`,
      [`member:${member(i).id}`, Date.now() + 600_000, Date.now()],
    ),
  );
  row("a rate-limit take (newTicket, database store)", take, takeRef, "one upsert with the expiry in it");

  const input = ZCreateTicketInput.parse({ categoryId: category, title: "控制台无法登录", body: "从今天早上开始控制台一直提示会话过期，清缓存也不行。", contactPhone: "13800138000" });
  const create = await measure(UNITS, (i) => createMemberTicket(db, limits, { kind: "member", memberId: member(i).id, name: member(i).name }, input));
  const createRef = await measure(UNITS, (i) =>
    fileTicketOverPg(pool, { title: input.title, memberId: member(i).id, categoryId: category, contactPhone: input.contactPhone ?? "", body: input.body }),
  );
  row("提交工单 through the service (take + transaction, no HTTP)", create, createRef, "the 3 rows inserted in one transaction");

  const serverVersion = (await pool.query<{ server_version: string }>("SHOW server_version")).rows[0]?.server_version;
  await pool.end();
  await database.close();
  console.log(`\nthe data layer's cost to the web process, ${CONCURRENCY} at once, ${UNITS} units each; ${new Date().toISOString()}`);
  console.log(machineLine(serverVersion));
  printTable(["unit", "ours /s", "ours ms CPU", "pg /s", "pg ms CPU", "CPU ratio", "reference"], rows, [0, 6]);
}

main()
  .then(() => process.exit(0))
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
