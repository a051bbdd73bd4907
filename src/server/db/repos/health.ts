import type { Db } from "../client.ts";

/** One round trip to the database: does it answer, and how fast. */
export async function pingDatabase(db: Db): Promise<number> {
  const started = performance.now();
  await db.$queryRaw`SELECT 1`;
  return performance.now() - started;
}
