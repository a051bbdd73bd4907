import type { Prisma } from "../generated/client.ts";
import type { DbOrTx } from "../client.ts";
import { findStaffNames } from "./staff-names.ts";

// White-label escalation: each upstream connection's sharing policy, and the record of what was
// delivered to it (the exact bodies live in the file store under their sha256).

export async function findSharingPolicy(db: DbOrTx, connectionId: number): Promise<{ stored: unknown } | null> {
  const row = await db.upstreamConnection.findUnique({ where: { id: connectionId }, select: { sharingPolicy: true } });
  return row ? { stored: row.sharingPolicy } : null;
}

export async function saveSharingPolicy(db: DbOrTx, connectionId: number, policy: Prisma.InputJsonValue): Promise<boolean> {
  const { count } = await db.upstreamConnection.updateMany({ where: { id: connectionId }, data: { sharingPolicy: policy } });
  return count === 1;
}

export type NewUpstreamDelivery = {
  connectionId: number;
  ticketId: number;
  type: string;
  method: string;
  path: string;
  bodySha256: string;
  bodySize: number;
  status: number | null;
  messageIds: number[];
  maskedMessageIds: number[];
};

/**
 * Raw SQL: Prisma does not turn a list into a query parameter, so a `create` with these id lists
 * compiled a new plan for every delivery and pushed useful ones out of its plan cache.
 */
export async function insertUpstreamDelivery(db: DbOrTx, d: NewUpstreamDelivery): Promise<{ id: number }> {
  const [row] = await db.$queryRaw<{ id: number }[]>`
    INSERT INTO "UpstreamDelivery" ("connectionId", "ticketId", "type", "method", "path", "bodySha256", "bodySize", "status", "messageIds", "maskedMessageIds")
    VALUES (${d.connectionId}, ${d.ticketId}, ${d.type}, ${d.method}, ${d.path}, ${d.bodySha256}, ${d.bodySize}, ${d.status}::int,
            ${d.messageIds}::int[], ${d.maskedMessageIds}::int[])
    RETURNING "id"`;
  return row!;
}

const deliverySelect = {
  id: true,
  connectionId: true,
  ticketId: true,
  type: true,
  method: true,
  path: true,
  bodySha256: true,
  bodySize: true,
  status: true,
  messageIds: true,
  maskedMessageIds: true,
  createdAt: true,
} as const;

/** Newest first, keyset on id. */
export function listUpstreamDeliveries(db: DbOrTx, filter: { ticketId?: number; beforeId?: number }, limit: number) {
  return db.upstreamDelivery.findMany({
    where: { ...(filter.ticketId !== undefined ? { ticketId: filter.ticketId } : {}), ...(filter.beforeId !== undefined ? { id: { lt: filter.beforeId } } : {}) },
    orderBy: { id: "desc" },
    take: limit,
    select: deliverySelect,
  });
}
type UpstreamDeliveryRow = Awaited<ReturnType<typeof listUpstreamDeliveries>>[number];

export function findUpstreamDelivery(db: DbOrTx, id: number) {
  return db.upstreamDelivery.findUnique({ where: { id }, select: deliverySelect });
}

/** Which of a ticket's messages an upstream accepted (2xx), and whether a mask changed any. */
export async function findForwardedMessages(db: DbOrTx, ticketId: number): Promise<Map<number, { masked: boolean }>> {
  const rows = await db.upstreamDelivery.findMany({
    where: { ticketId, status: { gte: 200, lt: 300 } },
    select: { messageIds: true, maskedMessageIds: true },
  });
  const out = new Map<number, { masked: boolean }>();
  for (const r of rows) for (const id of r.messageIds) out.set(id, { masked: (out.get(id)?.masked ?? false) || r.maskedMessageIds.includes(id) });
  return out;
}

/** The ticket as the sharing policy sees it: the title and what identifies the member. */
export function findTicketForSharing(db: DbOrTx, ticketId: number) {
  return db.ticket.findUnique({
    where: { id: ticketId },
    select: {
      id: true,
      title: true,
      memberId: true,
      contactPhone: true,
      contactQq: true,
      businessId: true,
      businessIp: true,
      businessType: true,
      member: { select: { name: true, email: true, phone: true, qq: true } },
      category: { select: { type: true } },
    },
  });
}

/** Public member/staff entries (never notes, never system lines), oldest first, with files and staff names. */
export async function findPublicEntriesForSharing(db: DbOrTx, ticketId: number, ids?: number[]) {
  const rows = await db.ticketMessage.findMany({
    where: { ticketId, visibility: "PUBLIC", authorKind: { in: ["MEMBER", "STAFF"] }, ...(ids ? { id: { in: ids } } : {}) },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      authorKind: true,
      body: true,
      createdAt: true,
      staffId: true,
      attachments: { orderBy: { id: "asc" }, select: { id: true, fileName: true, mimeType: true, size: true, storageKey: true } },
    },
  });
  const staffIds = [...new Set(rows.map((r) => r.staffId).filter((id): id is number => id !== null))];
  const names = new Map(staffIds.length === 0 ? [] : (await findStaffNames(db, staffIds)).map((s) => [s.id, s.displayName]));
  return rows.map((r) => ({
    id: r.id,
    authorKind: r.authorKind as "MEMBER" | "STAFF",
    staffName: r.staffId !== null ? (names.get(r.staffId) ?? null) : null,
    body: r.body,
    createdAt: r.createdAt,
    files: r.attachments,
  }));
}

/** The upstream already holding this ticket (a re-escalation stays with it), if any. */
export function findLinkedConnection(db: DbOrTx, ticketId: number) {
  return db.upstreamLink.findUnique({ where: { ticketId }, select: { connection: { select: { id: true, name: true } } } });
}

/** Each escalated ticket's upstream sharing policy (as stored), for masking vendor replies for members. */
export async function findPoliciesOfTickets(db: DbOrTx, ticketIds: number[]): Promise<Map<number, unknown>> {
  if (ticketIds.length === 0) return new Map();
  const links = await db.upstreamLink.findMany({ where: { ticketId: { in: ticketIds } }, select: { ticketId: true, connection: { select: { sharingPolicy: true } } } });
  return new Map(links.map((l) => [l.ticketId, l.connection.sharingPolicy]));
}
