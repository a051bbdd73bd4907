import type { Db } from "../client.ts";

type Query = { text: string; values?: unknown[] };
type Row = Record<string, unknown>;

/**
 * The `pg`-like client rate-limiter-flexible's PostgreSQL store speaks to (`query({ text, values })`
 * → `{ rows, rowCount }`), over Prisma's raw queries: the same store on PGlite and PostgreSQL, and
 * one statement per use. Its table is "RateLimit" (the migrations make it; the store never does).
 * `expire` is a BIGINT of milliseconds, which Prisma returns as a bigint: the store does arithmetic
 * with it, so it is handed over as a number.
 */
export function rateLimitStoreClient(db: Db) {
  return {
    async query(q: Query): Promise<{ rows: Row[]; rowCount: number }> {
      const values = q.values ?? [];
      if (/^\s*DELETE\b/i.test(q.text)) return { rows: [], rowCount: await db.$executeRawUnsafe(q.text, ...values) };
      const rows = await db.$queryRawUnsafe<Row[]>(q.text, ...values);
      return {
        rows: rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v]))),
        rowCount: rows.length,
      };
    },
  };
}
