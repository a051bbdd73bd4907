import type { Db, Tx } from "./client.ts";

/**
 * The one way to open a transaction. Services own transactions but not Prisma: they pass their
 * work to this, and the work receives the only kind of client that says "inside a transaction".
 */
export function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction((tx) => work(tx as unknown as Tx), { timeout: 15_000, maxWait: 10_000 });
}
