import type { DbOrTx } from "../client.ts";

/** 操作记录: the newest `limit` audited actions on a ticket, newest first. */
export function findTicketEvents(db: DbOrTx, ticketId: number, limit: number) {
  return db.ticketEvent.findMany({
    where: { ticketId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: {
      id: true,
      action: true,
      actorKind: true,
      actorId: true,
      actorName: true,
      fromStatus: true,
      toStatus: true,
      fromEscalation: true,
      toEscalation: true,
      data: true,
      createdAt: true,
    },
  });
}
