import type { DbOrTx } from "../client.ts";
import type { OutboxRow } from "../../outbox/types.ts";

// Outbox delivery bookkeeping. Claims take a lease (lockedUntil) under FOR UPDATE SKIP LOCKED, so any
// number of workers on PostgreSQL never deliver one row at the same time, and a worker that dies
// mid-delivery only delays its rows until the lease runs out.

const rowSelect = {
  id: true,
  kind: true,
  type: true,
  connectionId: true,
  partnerId: true,
  ticketId: true,
  orderingKey: true,
  payload: true,
  attempts: true,
  createdAt: true,
  lockedUntil: true,
} as const;

export type ClaimedRow = OutboxRow & { lockedUntil: Date };

/**
 * Leases up to `limit` due rows. A row is due when it is pending, its time has come, nobody holds a
 * lease on it, no earlier row with the same orderingKey is still pending (per-ticket order), and
 * its upstream connection (if any) is enabled (a disabled connection pauses its queue).
 */
export async function claimDueOutbox(db: DbOrTx, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedRow[]> {
  const claimed = await db.$queryRaw<{ id: number }[]>`
    WITH due AS (
      SELECT o.id FROM "OutboxMessage" o
      WHERE o.status = 'PENDING'
        AND o."nextAttemptAt" <= ${now}
        AND (o."lockedUntil" IS NULL OR o."lockedUntil" < ${now})
        AND NOT EXISTS (
          SELECT 1 FROM "OutboxMessage" e
          WHERE e."orderingKey" = o."orderingKey" AND e.status = 'PENDING' AND e.id < o.id)
        AND (o."connectionId" IS NULL OR EXISTS (
          SELECT 1 FROM "UpstreamConnection" c WHERE c.id = o."connectionId" AND c.enabled))
      ORDER BY o."nextAttemptAt", o.id
      LIMIT ${limit}
      FOR UPDATE OF o SKIP LOCKED
    )
    UPDATE "OutboxMessage" m SET "lockedUntil" = ${leaseUntil}
    FROM due WHERE m.id = due.id
    RETURNING m.id`;
  if (claimed.length === 0) return [];
  const rows = await db.outboxMessage.findMany({ where: { id: { in: claimed.map((c) => Number(c.id)) } }, orderBy: { id: "asc" }, select: rowSelect });
  return rows.filter((r): r is typeof r & { lockedUntil: Date } => r.lockedUntil !== null);
}

/** Every outcome write is conditional on still holding the lease: a worker whose lease ran out changes nothing. */
const leased = (row: ClaimedRow) => ({ id: row.id, lockedUntil: row.lockedUntil, status: "PENDING" as const });

export async function markOutboxDelivered(db: DbOrTx, row: ClaimedRow, now: Date): Promise<boolean> {
  const { count } = await db.outboxMessage.updateMany({
    where: leased(row),
    data: { status: "DELIVERED", deliveredAt: now, lockedUntil: null, attempts: { increment: 1 }, lastError: null },
  });
  return count === 1;
}

export async function scheduleOutboxRetry(db: DbOrTx, row: ClaimedRow, at: Date, error: string): Promise<boolean> {
  const { count } = await db.outboxMessage.updateMany({
    where: leased(row),
    data: { nextAttemptAt: at, lockedUntil: null, attempts: { increment: 1 }, lastError: error.slice(0, 1000) },
  });
  return count === 1;
}

export async function markOutboxDead(db: DbOrTx, row: ClaimedRow, error: string): Promise<boolean> {
  const { count } = await db.outboxMessage.updateMany({
    where: leased(row),
    data: { status: "DEAD", lockedUntil: null, attempts: { increment: 1 }, lastError: error.slice(0, 1000) },
  });
  return count === 1;
}

/** Redeliver a dead letter: back to pending, due now, with a fresh attempt budget. */
export async function resetDeadOutbox(db: DbOrTx, id: number, now: Date): Promise<boolean> {
  const { count } = await db.outboxMessage.updateMany({
    where: { id, status: "DEAD" },
    data: { status: "PENDING", attempts: 0, nextAttemptAt: now, lockedUntil: null },
  });
  return count === 1;
}

export function countPendingOutbox(db: DbOrTx) {
  return db.outboxMessage.count({ where: { status: "PENDING" } });
}

export function listDeadOutbox(db: DbOrTx, take: number) {
  return db.outboxMessage.findMany({
    where: { status: "DEAD" },
    orderBy: { id: "desc" },
    take,
    select: { id: true, kind: true, type: true, ticketId: true, connectionId: true, partnerId: true, attempts: true, lastError: true, createdAt: true },
  });
}

/** The oldest undelivered entry of a ticket: what "转移中" is waiting for, and its last error. */
export function findOpenOutboxForTicket(db: DbOrTx, ticketId: number, kind: "UPSTREAM_REQUEST" | "PARTNER_CALLBACK") {
  return db.outboxMessage.findFirst({
    where: { ticketId, kind, status: { in: ["PENDING", "DEAD"] } },
    orderBy: { id: "asc" },
    select: { id: true, type: true, status: true, attempts: true, lastError: true, nextAttemptAt: true },
  });
}

export async function hasPendingOutbox(db: DbOrTx, ticketId: number, type: string): Promise<boolean> {
  return (await db.outboxMessage.count({ where: { ticketId, type, status: "PENDING" } })) > 0;
}

/** Not an attempt (e.g. a chat robot's rate window is full): due again at `at`, attempts unchanged. */
export async function deferOutbox(db: DbOrTx, row: ClaimedRow, at: Date): Promise<boolean> {
  const { count } = await db.outboxMessage.updateMany({ where: leased(row), data: { nextAttemptAt: at, lockedUntil: null } });
  return count === 1;
}

/**
 * The pending rows queued behind `head` under its orderingKey, oldest first: what a digest may
 * carry along. Nobody else can hold them: they are not due while the head is pending.
 */
export function listPendingBehind(db: DbOrTx, head: ClaimedRow, take: number) {
  return db.outboxMessage.findMany({
    where: { orderingKey: head.orderingKey, status: "PENDING", id: { gt: head.id } },
    orderBy: { id: "asc" },
    take,
    select: { id: true, payload: true, ticketId: true, createdAt: true },
  });
}

/** Rows whose content went out inside another row's message (a digest). */
export async function markOutboxMerged(db: DbOrTx, ids: number[], now: Date): Promise<number> {
  if (ids.length === 0) return 0;
  const { count } = await db.outboxMessage.updateMany({
    where: { id: { in: ids }, status: "PENDING", OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
    data: { status: "DELIVERED", deliveredAt: now, lastError: null, attempts: { increment: 1 } },
  });
  return count;
}
