import type { AppConfig } from "./config.ts";
import type { Db } from "./db/client.ts";

/**
 * In-process background work (outbox delivery, periodic upstream sync). On PGlite the web
 * process is the only owner of the database, so this is where the work runs; on PostgreSQL the
 * same loop can also run in `npm run worker` processes.
 */
export function startBackgroundWork(_db: Db, _config: AppConfig): void {
  // Filled in by the escalation feature (src/worker).
}
