import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";

/**
 * The few operations the migration runner needs, so that it works the same on the embedded
 * PGlite and on PostgreSQL without involving the Prisma client (which expects a migrated schema).
 */
export interface SqlDriver {
  /** Runs one or more statements (simple protocol: no parameters, multi-statement allowed). */
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** The PGlite usually belongs to the caller (the app keeps using it), so close it only when told. */
export function pgliteDriver(db: PGlite, options: { closeDb?: boolean } = {}): SqlDriver {
  return {
    async exec(sql) {
      await db.exec(sql);
    },
    async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []) {
      return (await db.query<T>(sql, params)).rows;
    },
    async close() {
      if (options.closeDb) await db.close();
    },
  };
}

/**
 * One dedicated connection rather than a pool: a session advisory lock and BEGIN/COMMIT only
 * mean something when every statement runs on the same session. Connects before returning, so
 * a wrong URL or an unreachable server fails here, at the caller.
 */
export async function pgDriver(connectionString: string): Promise<SqlDriver> {
  const client = new pg.Client({ connectionString });
  // A connection dropped while idle is reported by the next query; unhandled, the event would
  // crash the process instead.
  client.on("error", () => undefined);
  await client.connect();
  return {
    async exec(sql) {
      await client.query(sql);
    },
    async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []) {
      return (await client.query(sql, params)).rows as T[];
    },
    async close() {
      await client.end();
    },
  };
}
