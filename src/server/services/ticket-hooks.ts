import type { Tx } from "../db/client.ts";
import type { TicketForCommand } from "../db/repos/tickets.ts";
import { forwardPublicMessageUpstream, reportFinalCloseUpstream } from "../upstream/forward.ts";
import { notifyPartnerAccepted, notifyPartnerOfMessage } from "../partners/notify.ts";

import type { PublicMessageEvent } from "../domain/public-message.ts";


/**
 * What other systems must hear about a ticket change, called inside the change's transaction so
 * that the outbox entry commits (or rolls back) with it. Staff-only notes and system messages
 * never come here.
 */
export async function afterPublicMessage(tx: Tx, ticket: TicketForCommand, message: PublicMessageEvent): Promise<void> {
  if (ticket.upstream) await forwardPublicMessageUpstream(tx, ticket, message);
  if (ticket.partnerId !== null && message.authorKind === "STAFF") await notifyPartnerOfMessage(tx, ticket, message);
}

export async function afterFinalClose(tx: Tx, ticket: TicketForCommand): Promise<void> {
  if (ticket.upstream) await reportFinalCloseUpstream(tx, ticket);
}

/** A partner learns that our staff took its ticket (`ticket.accepted`). */
export async function afterAccepted(tx: Tx, ticket: TicketForCommand): Promise<void> {
  if (ticket.partnerId !== null) await notifyPartnerAccepted(tx, ticket);
}
