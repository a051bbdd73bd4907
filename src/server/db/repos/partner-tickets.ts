import type { Prisma } from "../generated/client.ts";
import type { TicketStatus, TicketType, UpstreamTicketState } from "../generated/enums.ts";
import type { DbOrTx } from "../client.ts";
import type { NewMessage } from "./tickets.ts";

// Queries of the upstream role: tickets our downstream partners sent us, always scoped by partner.

const TICKET_REF = {
  id: true,
  guid: true,
  partnerTicketNo: true,
  partnerState: true,
  status: true,
  updatedAt: true,
} as const satisfies Prisma.TicketSelect;
export type PartnerTicketRef = Prisma.TicketGetPayload<{ select: typeof TICKET_REF }>;

/** A partner only ever finds its own tickets: the partner is part of every lookup. */
export function findPartnerTicketByGuid(db: DbOrTx, partnerId: number, guid: string) {
  return db.ticket.findFirst({ where: { guid, partnerId }, select: TICKET_REF });
}

export function findPartnerTicketByExternalId(db: DbOrTx, partnerId: number, externalId: string) {
  return db.ticket.findUnique({
    where: { partnerId_partnerTicketNo: { partnerId, partnerTicketNo: externalId } },
    select: TICKET_REF,
  });
}

export function findPartnerTicketById(db: DbOrTx, id: number) {
  return db.ticket.findUnique({ where: { id }, select: { ...TICKET_REF, partnerId: true, assigneeId: true } });
}

/** Candidates for a partner's ticket of `type`, in the order they are tried (R10 picks one). */
export function findCategoriesOfType(db: DbOrTx, type: TicketType) {
  return db.category.findMany({
    where: { type },
    orderBy: [{ sortOrder: "asc" }, { id: "asc" }],
    select: { id: true, name: true, enabled: true, group: { select: { enabled: true } } },
  });
}

export type NewPartnerTicket = {
  status: TicketStatus;
  partnerState: UpstreamTicketState;
  title: string;
  categoryId: number;
  assigneeId: number | null;
  partnerId: number;
  partnerTicketNo: string;
  guid: string;
  partnerMember: Prisma.InputJsonValue;
  contactPhone: string | null;
  contactQq: string | null;
  businessId: string | null;
  businessIp: string | null;
  businessType: string | null;
  createdAt: Date;
};

export function insertPartnerTicket(db: DbOrTx, data: NewPartnerTicket) {
  return db.ticket.create({
    data: { ...data, updatedAt: data.createdAt },
    select: TICKET_REF,
  });
}

export type NewAttachment = {
  ticketId: number;
  messageId: number;
  storageKey: string;
  fileName: string;
  mimeType: string;
  size: number;
  ownerKey: string;
};

export function insertAttachment(db: DbOrTx, data: NewAttachment) {
  return db.attachment.create({ data, select: { id: true } });
}

/** A create's history in two statements, however long it is (bounded by the protocol's limits). */
export async function insertPartnerHistory(db: DbOrTx, messages: NewMessage[], files: Omit<NewAttachment, "ticketId" | "messageId">[][]) {
  const rows = await db.ticketMessage.createManyAndReturn({ data: messages, select: { id: true, ticketId: true, externalId: true } });
  const byExternalId = new Map(rows.map((r) => [r.externalId, r]));
  const attachments = messages.flatMap((m, i) => {
    const row = byExternalId.get(m.externalId ?? null)!;
    return (files[i] ?? []).map((f) => ({ ...f, ticketId: row.ticketId, messageId: row.id }));
  });
  if (attachments.length > 0) await db.attachment.createMany({ data: attachments });
  return rows.length;
}

const ATTACHMENT_META = { id: true, storageKey: true, fileName: true, mimeType: true, size: true } as const;

/**
 * The conversation as a partner may see it: public entries written by people (never system
 * messages, never staff-only notes — R7 and protocol §13), after `afterId`, oldest first.
 */
export function findPublicMessagesAfter(db: DbOrTx, ticketId: number, afterId: number, take: number) {
  return db.ticketMessage.findMany({
    where: { ticketId, id: { gt: afterId }, visibility: "PUBLIC", authorKind: { in: ["STAFF", "PARTNER"] } },
    orderBy: { id: "asc" },
    take,
    select: {
      id: true,
      authorKind: true,
      staffId: true,
      agentName: true,
      body: true,
      externalId: true,
      createdAt: true,
      attachments: { orderBy: { id: "asc" }, select: ATTACHMENT_META },
    },
  });
}
export type PublicMessageRow = Awaited<ReturnType<typeof findPublicMessagesAfter>>[number];

export function findPublicMessage(db: DbOrTx, id: number) {
  return db.ticketMessage.findUnique({
    where: { id },
    select: {
      id: true,
      authorKind: true,
      staffId: true,
      agentName: true,
      body: true,
      externalId: true,
      createdAt: true,
      attachments: { orderBy: { id: "asc" }, select: ATTACHMENT_META },
    },
  });
}

/** Protocol events of a ticket (rows whose action is one of `actions`), after `afterId`. */
export function findProtocolEventsAfter(db: DbOrTx, ticketId: number, afterId: number, take: number, actions: readonly string[]) {
  return db.ticketEvent.findMany({
    where: { ticketId, id: { gt: afterId }, action: { in: [...actions] } },
    orderBy: { id: "asc" },
    take,
    select: { id: true, action: true, data: true, createdAt: true },
  });
}

/**
 * The change feed (6.6): a partner's tickets ordered by (updatedAt, id), strictly after the
 * position given, and only changes older than `settledBefore` (see the service for why).
 */
export function findChangedPartnerTickets(
  db: DbOrTx,
  partnerId: number,
  after: { at: Date; id: number } | null,
  settledBefore: Date,
  take: number,
) {
  const position: Prisma.TicketWhereInput = after
    ? { OR: [{ updatedAt: { gt: after.at } }, { updatedAt: after.at, id: { gt: after.id } }] }
    : {};
  return db.ticket.findMany({
    where: { partnerId, updatedAt: { lt: settledBefore }, ...position },
    orderBy: [{ updatedAt: "asc" }, { id: "asc" }],
    take,
    select: TICKET_REF,
  });
}

/** An attachment a partner may download: on a public, non-system message of that ticket. */
export function findPublicAttachment(db: DbOrTx, ticketId: number, sha256: string) {
  return db.attachment.findFirst({
    where: {
      ticketId,
      storageKey: sha256,
      message: { visibility: "PUBLIC", authorKind: { in: ["STAFF", "PARTNER"] } },
    },
    select: { storageKey: true, fileName: true, mimeType: true, size: true },
  });
}
