import type { DbOrTx, Tx } from "../client.ts";

/**
 * Reads behind the live channel: the audit rows a notification names (with what decides who may
 * hear of them), presence rows, and the public messages a writer has not yet seen.
 */

const EVENT_SELECT = {
  id: true,
  ticketId: true,
  action: true,
  fromStatus: true,
  toStatus: true,
  fromEscalation: true,
  toEscalation: true,
  messageId: true,
  ticket: { select: { memberId: true } },
} as const;

async function withMessageVisibility<T extends { messageId: number | null }>(db: DbOrTx, rows: T[]) {
  const ids = rows.flatMap((r) => (r.messageId === null ? [] : [r.messageId]));
  const messages = ids.length ? await db.ticketMessage.findMany({ where: { id: { in: ids } }, select: { id: true, visibility: true } }) : [];
  const visibility = new Map(messages.map((m) => [m.id, m.visibility]));
  return rows.map((r) => ({ ...r, messageVisibility: r.messageId === null ? null : (visibility.get(r.messageId) ?? null) }));
}

export async function findLiveEvent(db: DbOrTx, id: number) {
  const row = await db.ticketEvent.findUnique({ where: { id }, select: EVENT_SELECT });
  return row ? (await withMessageVisibility(db, [row]))[0]! : null;
}
export type LiveEventRow = NonNullable<Awaited<ReturnType<typeof findLiveEvent>>>;

/** Audit rows after `afterId`, oldest first; scoped to one member's tickets when `memberId` is set. */
export async function findLiveEventsAfter(db: DbOrTx, afterId: number, scope: { memberId?: number }, limit: number) {
  const rows = await db.ticketEvent.findMany({
    where: { id: { gt: afterId }, ...(scope.memberId !== undefined ? { ticket: { memberId: scope.memberId } } : {}) },
    orderBy: { id: "asc" },
    take: limit,
    select: EVENT_SELECT,
  });
  return withMessageVisibility(db, rows);
}

export async function findLatestEventId(db: DbOrTx): Promise<number> {
  const row = await db.ticketEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
  return row?.id ?? 0;
}

/** A heartbeat: (re)enters the page or moves the expiry on; `since` stays from the first beat. */
export async function upsertPresence(db: DbOrTx, p: { ticketId: number; staffId: number; typing: boolean; now: Date; expiresAt: Date }) {
  // A row that had expired counts as a new visit: its `since` restarts.
  const existing = await db.ticketPresence.findUnique({ where: { ticketId_staffId: { ticketId: p.ticketId, staffId: p.staffId } }, select: { expiresAt: true } });
  const since = !existing || existing.expiresAt <= p.now ? { since: p.now } : {};
  await db.ticketPresence.upsert({
    where: { ticketId_staffId: { ticketId: p.ticketId, staffId: p.staffId } },
    create: { ticketId: p.ticketId, staffId: p.staffId, typing: p.typing, since: p.now, expiresAt: p.expiresAt },
    update: { typing: p.typing, expiresAt: p.expiresAt, ...since },
  });
}

export async function deletePresence(db: DbOrTx, ticketId: number, staffId: number) {
  await db.ticketPresence.deleteMany({ where: { ticketId, staffId } });
}

export async function deleteExpiredPresence(db: DbOrTx, now: Date) {
  await db.ticketPresence.deleteMany({ where: { expiresAt: { lte: now } } });
}

/** Who is on these tickets now (all tickets when `ticketIds` is omitted), with their names. */
export async function findPresence(db: DbOrTx, now: Date, ticketIds?: number[]) {
  const rows = await db.ticketPresence.findMany({
    where: { expiresAt: { gt: now }, ...(ticketIds ? { ticketId: { in: ticketIds } } : {}) },
    orderBy: [{ ticketId: "asc" }, { since: "asc" }],
    take: 500,
  });
  const staffIds = [...new Set(rows.map((r) => r.staffId))];
  const staff = staffIds.length ? await db.staff.findMany({ where: { id: { in: staffIds } }, select: { id: true, displayName: true } }) : [];
  const names = new Map(staff.map((s) => [s.id, s.displayName]));
  return rows.map((r) => ({ ticketId: r.ticketId, staffId: r.staffId, name: names.get(r.staffId) ?? "", typing: r.typing, since: r.since }));
}

/**
 * Public entries after `afterId` that someone other than the writer wrote: what a reply composed
 * against `afterId` has not taken into account. Inside the command's transaction, after its lock.
 */
export function findPublicMessagesAfter(tx: Tx, ticketId: number, afterId: number, writer: { staffId?: number; memberId?: number }) {
  return tx.ticketMessage.findMany({
    where: {
      ticketId,
      id: { gt: afterId },
      visibility: "PUBLIC",
      // NULL-safe "not by the writer": a NOT over a nullable column would drop the NULL rows.
      OR: writer.staffId !== undefined ? [{ staffId: null }, { staffId: { not: writer.staffId } }] : [{ memberId: null }, { memberId: { not: writer.memberId } }],
    },
    orderBy: { id: "asc" },
    select: { id: true },
    take: 50,
  });
}

export async function ticketExists(db: DbOrTx, id: number): Promise<boolean> {
  return (await db.ticket.count({ where: { id } })) > 0;
}
