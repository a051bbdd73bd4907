import type { UpstreamTicketState } from "../generated/enums.ts";
import type { DbOrTx } from "../client.ts";

// 上级资源 connections and the per-ticket links to them. The encrypted secret is selected only by
// the functions that sign requests; listings never carry it.

export const connectionPublicSelect = {
  id: true,
  name: true,
  baseUrl: true,
  partnerId: true,
  keyId: true,
  enabled: true,
  isDefault: true,
  /** Only when the previous secret expires (the 上级资源 page shows the grace), never the secret. */
  previousSecretExpiresAt: true,
  lastSyncAt: true,
  lastError: true,
  createdAt: true,
  updatedAt: true,
} as const;

export const connectionWithSecretSelect = {
  ...connectionPublicSelect,
  secretEncrypted: true,
  previousSecretEncrypted: true,
  previousSecretExpiresAt: true,
  syncCursor: true,
} as const;

export function listConnections(db: DbOrTx) {
  return db.upstreamConnection.findMany({ orderBy: { id: "asc" }, select: connectionPublicSelect });
}

export function findConnectionWithSecret(db: DbOrTx, id: number) {
  return db.upstreamConnection.findUnique({ where: { id }, select: connectionWithSecretSelect });
}
export type ConnectionWithSecret = NonNullable<Awaited<ReturnType<typeof findConnectionWithSecret>>>;

export function listEnabledConnectionsWithSecret(db: DbOrTx) {
  return db.upstreamConnection.findMany({ where: { enabled: true }, orderBy: { id: "asc" }, select: connectionWithSecretSelect });
}

export type ConnectionData = {
  name: string;
  baseUrl: string;
  partnerId: string;
  keyId: string;
  secretEncrypted: string;
  previousSecretEncrypted?: string | null;
  previousSecretExpiresAt?: Date | null;
  enabled: boolean;
  isDefault: boolean;
};

export function insertConnection(db: DbOrTx, data: ConnectionData) {
  return db.upstreamConnection.create({ data, select: connectionPublicSelect });
}

export function updateConnection(db: DbOrTx, id: number, data: Partial<ConnectionData>) {
  return db.upstreamConnection.update({ where: { id }, data, select: connectionPublicSelect });
}

/** One default at a time: the caller sets the new one in the same transaction. */
export function clearDefaultConnection(db: DbOrTx, exceptId?: number) {
  return db.upstreamConnection.updateMany({ where: { isDefault: true, ...(exceptId ? { id: { not: exceptId } } : {}) }, data: { isDefault: false } });
}

export function recordConnectionStatus(db: DbOrTx, id: number, data: { lastSyncAt?: Date; lastError?: string | null; syncCursor?: string; enabled?: boolean }) {
  return db.upstreamConnection.update({ where: { id }, data, select: { id: true } });
}

export function findDefaultConnection(db: DbOrTx) {
  return db.upstreamConnection.findFirst({ where: { isDefault: true }, select: { id: true, enabled: true, name: true } });
}

/** The upstream that owns a member's service (MemberService.upstreamConnectionId). */
export function findServiceConnection(db: DbOrTx, memberId: number, businessId: string) {
  return db.memberService.findUnique({
    where: { memberId_businessId: { memberId, businessId } },
    select: { upstreamConnection: { select: { id: true, enabled: true, name: true } } },
  });
}

// ------------------------------------------------------------------------------------- links

const linkSelect = { id: true, ticketId: true, connectionId: true, guid: true, state: true, cursor: true, lastSyncedAt: true } as const;

export function findLinkByTicket(db: DbOrTx, ticketId: number) {
  return db.upstreamLink.findUnique({ where: { ticketId }, select: { ...linkSelect, connection: { select: { name: true } } } });
}
export type LinkWithConnection = NonNullable<Awaited<ReturnType<typeof findLinkByTicket>>>;

export function insertLink(db: DbOrTx, ticketId: number, connectionId: number) {
  return db.upstreamLink.create({ data: { ticketId, connectionId }, select: linkSelect });
}

export function updateLink(
  db: DbOrTx,
  id: number,
  data: { guid?: string; state?: UpstreamTicketState; cursor?: string; lastSyncedAt?: Date },
) {
  return db.upstreamLink.update({ where: { id }, data, select: linkSelect });
}

/** A callback names our ticket by its number (externalId); it must be linked to this upstream. */
export function findLinkForCallback(db: DbOrTx, connectionId: number, ticketId: number) {
  return db.upstreamLink.findFirst({ where: { connectionId, ticketId }, select: linkSelect });
}

export function findLinkByGuid(db: DbOrTx, connectionId: number, guid: string) {
  return db.upstreamLink.findUnique({ where: { connectionId_guid: { connectionId, guid } }, select: linkSelect });
}

export function findTicketEscalation(db: DbOrTx, ticketId: number) {
  return db.ticket.findUnique({ where: { id: ticketId }, select: { escalation: true, status: true } });
}

// ------------------------------------------------------------------- what a create carries

/** Ids of the public member/staff entries so far: the history a create carries (never notes, never system lines). */
export async function listPublicHistoryIds(db: DbOrTx, ticketId: number): Promise<number[]> {
  const rows = await db.ticketMessage.findMany({
    where: { ticketId, visibility: "PUBLIC", authorKind: { in: ["MEMBER", "STAFF"] } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true },
  });
  return rows.map((r) => r.id);
}


export type NewUpstreamAttachment = { storageKey: string; fileName: string; mimeType: string; size: number; ownerKey: string };

/** Attachments the upstream reported on one of its messages (metadata; content is fetched separately). */
export function insertUpstreamAttachments(db: DbOrTx, ticketId: number, messageId: number, files: NewUpstreamAttachment[]) {
  if (files.length === 0) return Promise.resolve([]);
  return db.attachment.createManyAndReturn({ data: files.map((f) => ({ ...f, ticketId, messageId })), select: { id: true } });
}

export function findAttachmentToFetch(db: DbOrTx, id: number) {
  return db.attachment.findUnique({ where: { id }, select: { id: true, ticketId: true, storageKey: true, size: true } });
}

/** The bytes arrived and matched: the row now points at them (only while it still waited for them). */
export function recordFetchedAttachment(db: DbOrTx, id: number, pendingKey: string, storageKey: string) {
  return db.attachment.updateMany({ where: { id, storageKey: pendingKey }, data: { storageKey } });
}
