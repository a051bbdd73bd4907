import type { DbOrTx } from "../client.ts";

/** 操作记录: every audited action on a ticket, oldest first. */
export function findTicketEvents(db: DbOrTx, ticketId: number) {
  return db.ticketEvent.findMany({
    where: { ticketId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
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
