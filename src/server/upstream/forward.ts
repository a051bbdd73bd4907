import type { Tx } from "../db/client.ts";
import { enqueueOutbox, type TicketForCommand } from "../db/repos/tickets.ts";
import type { PublicMessageEvent } from "../domain/public-message.ts";
import { upstreamOrderingKey } from "./outbox-types.ts";

// Called by ticket-hooks inside the transaction of the change, so the outbox entry commits (or
// rolls back) with it. `ticket` is the state before the change.

/**
 * R3: a public reply (member or staff) on an escalated ticket is forwarded to the upstream. Staff
 * notes and system messages never reach this hook. Once the upstream closed its side it refuses
 * messages (409 upstream_closed), so nothing is queued.
 */
export async function forwardPublicMessageUpstream(tx: Tx, ticket: TicketForCommand, message: PublicMessageEvent): Promise<void> {
  const link = ticket.upstream;
  if (!link || (ticket.escalation !== "ESCALATED" && ticket.escalation !== "RETURNED")) return;
  await enqueueOutbox(tx, {
    kind: "UPSTREAM_REQUEST",
    type: "message.create",
    connectionId: link.connectionId,
    ticketId: ticket.id,
    orderingKey: upstreamOrderingKey(link.connectionId, ticket.id),
    payload: { messageId: message.id },
  });
}

/** R5: the final close is reported to the upstream, whatever its state (close works from every state). */
export async function reportFinalCloseUpstream(tx: Tx, ticket: TicketForCommand): Promise<void> {
  const link = ticket.upstream;
  if (!link) return;
  await enqueueOutbox(tx, {
    kind: "UPSTREAM_REQUEST",
    type: "ticket.close",
    connectionId: link.connectionId,
    ticketId: ticket.id,
    orderingKey: upstreamOrderingKey(link.connectionId, ticket.id),
    payload: {},
  });
}
