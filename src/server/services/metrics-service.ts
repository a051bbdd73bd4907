import type { Db } from "../db/client.ts";
import { countSlaBreachesOpen, readOutboxGauges } from "../db/repos/metrics.ts";
import type { Metrics } from "../metrics.ts";

const OUTBOX_KINDS = ["UPSTREAM_REQUEST", "PARTNER_CALLBACK", "NOTIFY_EMAIL", "NOTIFY_CHAT"] as const;

/**
 * What a scrape reads from the database (two cheap queries), written into the gauges; then the
 * exposition text. Every kind is always present (0 when it has no rows), so alerts need no absent().
 */
export async function scrapeMetrics(db: Db, metrics: Metrics, liveStreams: number, now = new Date()): Promise<string> {
  const [outbox, breaches] = await Promise.all([readOutboxGauges(db), countSlaBreachesOpen(db, now)]);
  for (const kind of OUTBOX_KINDS) {
    const row = outbox.find((r) => r.kind === kind);
    metrics.outboxPending.set({ kind }, row?.pending ?? 0);
    metrics.outboxDead.set({ kind }, row?.dead ?? 0);
    metrics.outboxOldestPendingSeconds.set({ kind }, row?.oldestPendingAt ? Math.max(0, (now.getTime() - row.oldestPendingAt.getTime()) / 1000) : 0);
  }
  metrics.slaBreachesOpen.set(breaches);
  metrics.liveStreams.set(liveStreams);
  return metrics.registry.metrics();
}
