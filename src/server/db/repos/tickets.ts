import type { Prisma } from "../generated/client.ts";
import type { AuthorKind, OutboxKind, Visibility } from "../generated/enums.ts";
import type { DbOrTx, Tx } from "../client.ts";

/** What every ticket command needs to decide: the row, its category's eligibility, the link. */
export function findTicketForCommand(db: DbOrTx, id: number) {
  return db.ticket.findUnique({
    where: { id },
    include: {
      category: { select: { id: true, name: true, type: true, submitToApi: true, enabled: true } },
      upstream: { select: { id: true, connectionId: true, guid: true, state: true } },
      assignee: { select: { id: true, displayName: true } },
      partner: { select: { id: true, name: true, partnerId: true } },
    },
  });
}
export type TicketForCommand = NonNullable<Awaited<ReturnType<typeof findTicketForCommand>>>;

/**
 * Compare-and-set: the update applies only if nobody changed the ticket since it was read.
 * Returns false when the version moved (the caller reports CONFLICT).
 */
export async function updateTicketIfVersion(
  db: DbOrTx,
  id: number,
  version: number,
  data: Omit<Prisma.TicketUncheckedUpdateManyInput, "version" | "id">,
): Promise<boolean> {
  const { count } = await db.ticket.updateMany({
    where: { id, version },
    data: { ...data, version: { increment: 1 } },
  });
  return count === 1;
}

export type NewMessage = {
  ticketId: number;
  authorKind: AuthorKind;
  memberId?: number | null;
  staffId?: number | null;
  agentId?: string | null;
  agentName?: string | null;
  visibility?: Visibility;
  body: string;
  systemCode?: string | null;
  systemParams?: Prisma.InputJsonValue;
  externalId?: string | null;
  createdAt?: Date;
};

export function insertMessage(db: DbOrTx, message: NewMessage) {
  return db.ticketMessage.create({ data: message, select: { id: true, createdAt: true } });
}

export function findMessageByExternalId(db: DbOrTx, ticketId: number, externalId: string) {
  return db.ticketMessage.findUnique({ where: { ticketId_externalId: { ticketId, externalId } }, select: { id: true } });
}

export type NewTicketEvent = {
  ticketId: number;
  action: string;
  actorKind: AuthorKind;
  actorId?: string | null;
  actorName?: string | null;
  fromStatus?: Prisma.TicketEventUncheckedCreateInput["fromStatus"];
  toStatus?: Prisma.TicketEventUncheckedCreateInput["toStatus"];
  fromEscalation?: Prisma.TicketEventUncheckedCreateInput["fromEscalation"];
  toEscalation?: Prisma.TicketEventUncheckedCreateInput["toEscalation"];
  data?: Prisma.InputJsonValue;
  /** The conversation entry the action wrote (notifications render it). */
  messageId?: number | null;
};

export function insertTicketEvent(db: DbOrTx, event: NewTicketEvent) {
  return db.ticketEvent.create({ data: event, select: { id: true } });
}

export type NewOutboxMessage = {
  kind: OutboxKind;
  type: string;
  connectionId?: number | null;
  partnerId?: number | null;
  ticketId?: number | null;
  /** Deliveries sharing a key go out in order (one ticket at one peer). */
  orderingKey: string;
  payload: Prisma.InputJsonValue;
};

/** Always called inside the transaction of the change it announces. */
export function enqueueOutbox(db: DbOrTx, message: NewOutboxMessage) {
  return db.outboxMessage.create({ data: message, select: { id: true } });
}

/** Attach uploaded files (owned by the same uploader, not yet attached) to a message. */
export async function claimAttachments(db: DbOrTx, ids: number[], ownerKey: string, ticketId: number, messageId: number) {
  if (ids.length === 0) return 0;
  const { count } = await db.attachment.updateMany({
    where: { id: { in: ids }, ownerKey, messageId: null },
    data: { ticketId, messageId },
  });
  return count;
}

/**
 * Row lock for the rest of the transaction: concurrent commands on one ticket queue here and each
 * reads the state the previous one committed (a missing ticket locks nothing; the read reports it).
 */
export async function lockTicket(tx: Tx, id: number): Promise<void> {
  await tx.$queryRaw`SELECT 1 FROM "Ticket" WHERE id = ${id} FOR UPDATE`;
}
