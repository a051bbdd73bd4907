import type { AppConfig } from "./config.ts";
import type { Db } from "./db/client.ts";
import { logger, safeError } from "./logger.ts";
import { startWorker, type Worker } from "./outbox/worker.ts";
import { upstreamDepsFromConfig } from "./upstream/deps.ts";
import { notificationDepsFromConfig } from "./notifications/deps.ts";
import { startInboundListener } from "./notifications/inbound-listener.ts";

/**
 * In-process background work (notification fan-out, outbox delivery, periodic upstream sync,
 * and the reply-mail listener when MAIL_INBOUND_PORT is set). On PGlite the web
 * process is the only owner of the database, so this is where the work runs; on PostgreSQL the
 * same loop can also run in `npm run worker` processes. Idempotent: Next may register twice.
 */
const holder = globalThis as unknown as { __relaydeskWorker?: Worker };

export function startBackgroundWork(db: Db, config: AppConfig): void {
  if (holder.__relaydeskWorker) return;
  const notifications = notificationDepsFromConfig(config);
  holder.__relaydeskWorker = startWorker(db, { ...upstreamDepsFromConfig(config), notifications }, config.retryBaseMs ? { retryBaseMs: config.retryBaseMs } : {});
  logger.info("background work started (notifications, outbox delivery, upstream sync)");
  if (config.mail.inbound) {
    // One process listens; a second one on the same port logs why it does not.
    startInboundListener(db, notifications, config.mail.inbound).catch((e: unknown) => logger.error({ err: safeError(e) }, "inbound reply mail listener not started"));
  }
}

/** Lets the delivery in hand finish (its lease would otherwise hold it for a while). */
export async function stopBackgroundWork(): Promise<void> {
  const worker = holder.__relaydeskWorker;
  holder.__relaydeskWorker = undefined;
  await worker?.stop();
}
