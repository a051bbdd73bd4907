import type { AppConfig } from "./config.ts";
import type { Db } from "./db/client.ts";
import { logger } from "./logger.ts";
import { startWorker, type Worker } from "./outbox/worker.ts";
import { upstreamDepsFromConfig } from "./upstream/deps.ts";

/**
 * In-process background work (outbox delivery, periodic upstream sync). On PGlite the web
 * process is the only owner of the database, so this is where the work runs; on PostgreSQL the
 * same loop can also run in `npm run worker` processes. Idempotent: Next may register twice.
 */
const holder = globalThis as unknown as { __relaydeskWorker?: Worker };

export function startBackgroundWork(db: Db, config: AppConfig): void {
  if (holder.__relaydeskWorker) return;
  holder.__relaydeskWorker = startWorker(db, upstreamDepsFromConfig(config));
  logger.info("background work started (outbox delivery, upstream sync)");
}

/** Lets the delivery in hand finish (its lease would otherwise hold it for a while). */
export async function stopBackgroundWork(): Promise<void> {
  const worker = holder.__relaydeskWorker;
  holder.__relaydeskWorker = undefined;
  await worker?.stop();
}
