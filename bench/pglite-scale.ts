/**
 * The embedded-database part of `npm run bench:load` (run by bench/load-bench.ts in its own
 * process, BENCH_TICKETS=100000): seeds a PGlite data folder with bench/seed.ts's data, measures
 * every queue view and its counts through the services, prints one `RESULT {json}` line.
 *
 *   argv[2]  the data folder (RELAYDESK_DATA_DIR layout: <dir>/pglite)
 */
import path from "node:path";
import type pg from "pg";
import { openDatabase } from "../src/server/db/client.ts";
import { listQueue, queueCounts } from "../src/server/services/queue-service.ts";
import { TICKETS, seed } from "./seed.ts";
import { TZ, benchViewer, queueViews, viewParameters } from "./queue-views.ts";
import { timeRuns } from "./support.ts";

async function main() {
  const dir = process.argv[2];
  if (!dir) throw new Error("usage: pglite-scale.ts <data folder>");
  const database = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "pglite") });
  const driver = await database.openDriver();
  // seed() speaks pg's query(); PGlite answers rows the same way.
  const client = {
    async query(sql: string, values?: unknown[]) {
      const rows = await driver.query(sql, values);
      return { rows, rowCount: rows.length };
    },
  } as unknown as pg.Client;
  const t0 = performance.now();
  await seed(client);
  const seedSeconds = (performance.now() - t0) / 1000;
  const db = database.prisma;
  const views = queueViews(await viewParameters(client, db));
  const rows: { view: string; list: number; counts: number }[] = [];
  for (const [view, input] of views) {
    const list = await timeRuns(() => listQueue(db, benchViewer, input, TZ), 20, 3);
    const counts = await timeRuns(() => queueCounts(db, benchViewer, input, TZ), 20, 3);
    rows.push({ view, list: list.p95, counts: counts.p95 });
  }
  await driver.close();
  await database.close();
  console.log(`RESULT ${JSON.stringify({ tickets: TICKETS, seedSeconds, rss: process.memoryUsage().rss, rows })}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
