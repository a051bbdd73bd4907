// What the super admin sees of background delivery: how much is queued, what died and why, and
// how each upstream's sync is doing; and the one repair, redeliver (safe: receivers deduplicate).
import type { Db } from "../db/client.ts";
import { countPendingOutbox, listDeadOutbox, resetDeadOutbox } from "../db/repos/outbox.ts";
import { listConnections } from "../db/repos/upstream.ts";
import { notFound } from "../errors.ts";

export async function getDeliveryOverview(db: Db) {
  const [pending, dead, upstreams] = await Promise.all([countPendingOutbox(db), listDeadOutbox(db, 100), listConnections(db)]);
  return {
    pending,
    dead,
    upstreams: upstreams.map((u) => ({ id: u.id, name: u.name, enabled: u.enabled, lastSyncAt: u.lastSyncAt, lastError: u.lastError })),
  };
}

export async function redeliverOutbox(db: Db, id: number) {
  if (!(await resetDeadOutbox(db, id, new Date()))) throw notFound("delivery");
  return { id };
}
