import type { Db, Tx } from "./client.ts";

/** Services own transactions but not Prisma: they pass their work to this. */
export function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(work, { timeout: 15_000, maxWait: 10_000 });
}
