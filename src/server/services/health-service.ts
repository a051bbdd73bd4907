import type { Db } from "../db/client.ts";
import { pingDatabase } from "../db/repos/health.ts";

export type Readiness = { ready: boolean; database: { ok: boolean; ms?: number } };

/**
 * Readiness for a proxy or orchestrator: this process answers and its database does. It says
 * nothing else (no versions, no counts): the endpoint is public.
 */
export async function checkReadiness(db: Db, timeoutMs = 2_000): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("database did not answer in time")), timeoutMs);
  });
  try {
    const ms = await Promise.race([pingDatabase(db), late]);
    return { ready: true, database: { ok: true, ms: Math.round(ms) } };
  } catch {
    return { ready: false, database: { ok: false } };
  } finally {
    clearTimeout(timer);
  }
}
