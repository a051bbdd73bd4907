import { Prisma } from "../generated/client.ts";
import type { RecipientKind } from "../generated/enums.ts";
import type { DbOrTx, Tx } from "../client.ts";

// Notifications: the fan-out's reads and writes (batched: a round costs a fixed number of
// queries, whatever its size), the bell's reads, and preferences.

/**
 * Leases up to `limit` audit rows not yet fanned out, oldest first. The row locks are held until
 * the caller's transaction ends, and other workers skip them, so each row is fanned out once.
 * Must run inside a transaction.
 */
export async function claimPendingEvents(tx: Tx, limit: number) {
  const ids = await tx.$queryRaw<{ id: number }[]>`
    SELECT id FROM "TicketEvent" WHERE "notifyPending" ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
  if (ids.length === 0) return [];
  return tx.ticketEvent.findMany({
    where: { id: { in: ids.map((r) => Number(r.id)) } },
    orderBy: { id: "asc" },
    select: {
      id: true,
      ticketId: true,
      action: true,
      actorKind: true,
      actorId: true,
      actorName: true,
      fromStatus: true,
      toStatus: true,
      fromEscalation: true,
      toEscalation: true,
      data: true,
      messageId: true,
      createdAt: true,
    },
  });
}
export type PendingEvent = Awaited<ReturnType<typeof claimPendingEvents>>[number];

export async function markEventsFannedOut(tx: Tx, ids: number[]) {
  if (ids.length > 0) await tx.ticketEvent.updateMany({ where: { id: { in: ids } }, data: { notifyPending: false } });
}

export function findTicketsForFanout(db: DbOrTx, ids: number[]) {
  return db.ticket.findMany({
    where: { id: { in: ids } },
    select: { id: true, title: true, memberId: true, assigneeId: true, categoryId: true, partnerId: true, category: { select: { name: true } } },
  });
}

export function findMessagesForFanout(db: DbOrTx, ids: number[]) {
  return db.ticketMessage.findMany({
    where: { id: { in: ids } },
    select: { id: true, ticketId: true, authorKind: true, visibility: true, body: true, staffId: true, agentName: true },
  });
}

/** The first public message of each ticket (a filed ticket's description), one query. */
export function findFirstPublicMessages(db: DbOrTx, ticketIds: number[]) {
  if (ticketIds.length === 0) return Promise.resolve([]);
  return db.$queryRaw<{ id: number; ticketId: number; authorKind: string; visibility: string; body: string; staffId: number | null; agentName: string | null }[]>`
    SELECT DISTINCT ON (m."ticketId") m.id, m."ticketId", m."authorKind"::text AS "authorKind", m.visibility::text AS visibility,
           m.body, m."staffId", m."agentName"
      FROM "TicketMessage" m
     WHERE m."ticketId" IN (${Prisma.join(ticketIds)}) AND m.visibility = 'PUBLIC' AND m."authorKind" IN ('MEMBER', 'PARTNER')
     ORDER BY m."ticketId", m."createdAt", m.id`;
}

export function findMembersForFanout(db: DbOrTx, ids: number[]) {
  return db.member.findMany({ where: { id: { in: ids }, disabled: false }, select: { id: true, name: true, email: true, locale: true } });
}

/** Every active staff member: the watchers of new tickets are found among them (a desk has tens). */
export function findActiveStaffForFanout(db: DbOrTx) {
  return db.staff.findMany({ where: { disabled: false }, select: { id: true, displayName: true, role: true, email: true, locale: true } });
}

export function findPreferences(db: DbOrTx, recipientKind: RecipientKind, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.notificationPreference.findMany({ where: { recipientKind, recipientId: { in: ids } }, select: { recipientId: true, settings: true } });
}

export function findPreference(db: DbOrTx, recipientKind: RecipientKind, recipientId: number) {
  return db.notificationPreference.findUnique({ where: { recipientKind_recipientId: { recipientKind, recipientId } }, select: { settings: true } });
}

export function upsertPreference(db: DbOrTx, recipientKind: RecipientKind, recipientId: number, settings: Prisma.InputJsonValue) {
  return db.notificationPreference.upsert({
    where: { recipientKind_recipientId: { recipientKind, recipientId } },
    create: { recipientKind, recipientId, settings },
    update: { settings },
    select: { settings: true },
  });
}

export type NewNotification = {
  recipientKind: RecipientKind;
  recipientId: number;
  eventId: number;
  ticketId: number;
  kind: string;
  actorName: string | null;
  ticketTitle: string;
  messageId: number | null;
  excerpt: string | null;
  inApp: boolean;
};

/** Writes the round's notifications; a row that exists already (same event and person) is skipped. */
export function insertNotifications(tx: Tx, rows: NewNotification[]) {
  if (rows.length === 0) return Promise.resolve([]);
  return tx.notification.createManyAndReturn({
    data: rows,
    skipDuplicates: true,
    select: { id: true, eventId: true, recipientKind: true, recipientId: true },
  });
}

export type NewOutboxRow = {
  kind: "NOTIFY_EMAIL" | "NOTIFY_CHAT";
  type: string;
  ticketId: number;
  orderingKey: string;
  payload: Prisma.InputJsonValue;
};

export async function enqueueOutboxRows(tx: Tx, rows: NewOutboxRow[]) {
  if (rows.length > 0) await tx.outboxMessage.createMany({ data: rows });
}

// --- The bell -------------------------------------------------------------------------------

/** Unread, shown notifications of one person, counted up to `cap` (the badge says 99+ beyond). */
export async function countUnread(db: DbOrTx, recipientKind: RecipientKind, recipientId: number, cap: number): Promise<number> {
  const [row] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM (
      SELECT 1 FROM "Notification"
       WHERE "recipientKind" = ${recipientKind}::"RecipientKind" AND "recipientId" = ${recipientId}
         AND "readAt" IS NULL AND "inApp"
       LIMIT ${cap}) capped`;
  return Number(row?.n ?? 0);
}

/** One page of the bell, newest first, keyset on id. */
export function listNotifications(db: DbOrTx, recipientKind: RecipientKind, recipientId: number, beforeId: number | undefined, take: number) {
  return db.notification.findMany({
    where: { recipientKind, recipientId, inApp: true, ...(beforeId !== undefined ? { id: { lt: beforeId } } : {}) },
    orderBy: { id: "desc" },
    take,
    select: { id: true, ticketId: true, kind: true, actorName: true, ticketTitle: true, excerpt: true, readAt: true, createdAt: true },
  });
}

export async function markNotificationsRead(db: DbOrTx, recipientKind: RecipientKind, recipientId: number, ids: number[], at: Date) {
  const { count } = await db.notification.updateMany({ where: { recipientKind, recipientId, id: { in: ids }, readAt: null }, data: { readAt: at } });
  return count;
}

export async function markAllNotificationsRead(db: DbOrTx, recipientKind: RecipientKind, recipientId: number, at: Date) {
  const { count } = await db.notification.updateMany({ where: { recipientKind, recipientId, readAt: null }, data: { readAt: at } });
  return count;
}

// --- Mail delivery --------------------------------------------------------------------------

export function findNotificationForMail(db: DbOrTx, id: number) {
  return db.notification.findUnique({
    where: { id },
    select: { id: true, recipientKind: true, recipientId: true, ticketId: true, kind: true, actorName: true, ticketTitle: true, messageId: true, excerpt: true },
  });
}

export function findMemberContact(db: DbOrTx, id: number) {
  return db.member.findUnique({ where: { id }, select: { id: true, name: true, email: true, locale: true, disabled: true } });
}

export function findStaffContact(db: DbOrTx, id: number) {
  return db.staff.findUnique({ where: { id }, select: { id: true, displayName: true, email: true, mobile: true, locale: true, disabled: true } });
}

/** A message's body only if it is public: the mail path re-checks R7 whatever the fan-out decided. */
export function findPublicMessageBody(db: DbOrTx, id: number) {
  return db.ticketMessage.findFirst({ where: { id, visibility: "PUBLIC" }, select: { id: true, ticketId: true, body: true, authorKind: true } });
}

export function findStaffMobiles(db: DbOrTx, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.staff.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true, mobile: true } });
}

export function findStaffNotificationProfile(db: DbOrTx, id: number) {
  return db.staff.findUnique({ where: { id }, select: { email: true, mobile: true, locale: true } });
}

export function updateStaffNotificationProfile(db: DbOrTx, id: number, data: { email: string | null; mobile: string | null; locale: string | null }) {
  return db.staff.update({ where: { id }, data, select: { id: true } });
}
