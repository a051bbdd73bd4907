import type { Db } from "../client.ts";

export type OutboxGauge = { kind: string; pending: number; dead: number; oldestPendingAt: Date | null };

/**
 * The outbox at a glance, per kind: one query over the (status, nextAttemptAt) index's PENDING and
 * DEAD rows — delivered rows, the bulk of the table, are never read.
 */
export async function readOutboxGauges(db: Db): Promise<OutboxGauge[]> {
  const rows = await db.$queryRaw<{ kind: string; pending: bigint; dead: bigint; oldest: Date | null }[]>`
    SELECT kind::text AS kind,
           count(*) FILTER (WHERE status = 'PENDING') AS pending,
           count(*) FILTER (WHERE status = 'DEAD') AS dead,
           min("createdAt") FILTER (WHERE status = 'PENDING') AS oldest
      FROM "OutboxMessage"
     WHERE status IN ('PENDING', 'DEAD')
     GROUP BY kind`;
  return rows.map((r) => ({ kind: r.kind, pending: Number(r.pending), dead: Number(r.dead), oldestPendingAt: r.oldest }));
}

/** Open tickets past their nearest deadline of ours (the materialised, indexed "slaDueAt"). */
export async function countSlaBreachesOpen(db: Db, now: Date): Promise<number> {
  const [row] = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "Ticket" WHERE "slaDueAt" <= ${now}::timestamptz`;
  return Number(row?.n ?? 0);
}
