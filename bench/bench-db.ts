import pg from "pg";
import { seed, MESSAGES_PER_TICKET, TICKETS } from "./seed.ts";

/**
 * What the benches share: the database (created when missing, seeded once — `npm run bench` and
 * `npm run bench:sla` both re-use a complete data set) and the timing of a query.
 */
export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/relaydesk_bench";

/** A connection to the server's maintenance database (to create or copy a database). */
export async function withServer<T>(url: string, fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const server = new URL(url);
  server.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

export const databaseExists = async (admin: pg.Client, name: string) => (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount === 1;

/** The queue bench's data set in `url` (migrated by the caller's openDatabase first); seeded when incomplete or with --reseed. */
export async function ensureSeeded(client: pg.Client, reseed: boolean) {
  const have = Number((await client.query(`SELECT count(*) AS n FROM (SELECT 1 FROM "TicketMessage" OFFSET ${TICKETS * MESSAGES_PER_TICKET - 1} LIMIT 1) x`)).rows[0].n);
  if (reseed || have === 0) {
    const t0 = Date.now();
    await seed(client);
    console.log(`seeded in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  } else {
    console.log("re-using the seeded data (--reseed to generate it again)");
  }
}

export function pct(samples: number[], p: number) {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0;
}

/** p50 / p95 in ms over `runs` measured runs after `warmup` unmeasured ones. */
export async function timeRuns(fn: () => Promise<unknown>, runs: number, warmup: number) {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return { p50: pct(samples, 50), p95: pct(samples, 95) };
}
