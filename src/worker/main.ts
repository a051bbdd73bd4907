// `npm run worker`: outbox delivery and upstream sync as their own process, for PostgreSQL
// deployments (RELAYDESK_WORKER=off on the web processes, any number of these). Several run
// safely side by side: rows are leased under FOR UPDATE SKIP LOCKED.
import { loadConfig } from "../server/config.ts";
import { openDatabase } from "../server/db/client.ts";
import { checkFileStore } from "../server/storage/from-config.ts";
import { logger } from "../server/logger.ts";
import { startWorker } from "../server/outbox/worker.ts";
import { upstreamDepsFromConfig } from "../server/upstream/deps.ts";
import { notificationDepsFromConfig } from "../server/notifications/deps.ts";
import { startInboundListener } from "../server/notifications/inbound-listener.ts";
import { closeRedis } from "../server/redis.ts";

async function main() {
  const config = loadConfig();
  if (config.database.kind !== "postgres") {
    // PGlite has one owner, the web process, which already runs this loop in-process.
    console.error("relaydesk: the worker needs DATABASE_URL (PostgreSQL); with the embedded database `npm start` runs background work itself");
    process.exit(1);
  }
  await checkFileStore(config);
  const database = await openDatabase(config.database);
  const notifications = notificationDepsFromConfig(config);
  const worker = startWorker(database.prisma, { ...upstreamDepsFromConfig(config), notifications }, config.retryBaseMs ? { retryBaseMs: config.retryBaseMs } : {});
  logger.info({ pid: process.pid }, "relaydesk worker started");
  // Set MAIL_INBOUND_PORT on the one process that should receive reply mails.
  const listener = config.mail.inbound ? await startInboundListener(database.prisma, notifications, config.mail.inbound) : null;
  const shutdown = async () => {
    await listener?.close();
    await worker.stop(); // finish the delivery in hand; its lease would otherwise delay it a minute
    await closeRedis();
    await database.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());
}

main().catch((e: unknown) => {
  console.error(`relaydesk: worker failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
