import type { Tx } from "../db/client.ts";
import { enqueueOutbox, insertTicketEvent, type NewOutboxMessage } from "../db/repos/tickets.ts";
import type { CallbackEvent, UpstreamMessage } from "../protocol/schemas.ts";
import type { ActorRef } from "../services/ticket-command.ts";
import { CALLED_BACK_EVENT_TYPES, messageEventId, wireEventId, type PartnerEventType, type StoredEventData } from "./wire.ts";

export type PartnerTicketKeys = { id: number; guid: string | null; partnerTicketNo: string | null; partnerId: number | null };

/** Callbacks of one ticket to one partner go out in order (protocol §11). */
export const partnerOrderingKey = (partnerId: number, ticketId: number) => `partner:${partnerId}:ticket:${ticketId}`;

function keysOf(ticket: PartnerTicketKeys) {
  if (ticket.partnerId === null || !ticket.guid || !ticket.partnerTicketNo) {
    throw new Error(`ticket ${ticket.id} is not a partner ticket`);
  }
  return { partnerId: ticket.partnerId, guid: ticket.guid, externalId: ticket.partnerTicketNo };
}

function enqueueCallback(tx: Tx, ticket: PartnerTicketKeys, event: CallbackEvent) {
  const { partnerId } = keysOf(ticket);
  return enqueueOutbox(tx, {
    kind: "PARTNER_CALLBACK",
    type: event.type,
    partnerId,
    ticketId: ticket.id,
    orderingKey: partnerOrderingKey(partnerId, ticket.id),
    // The whole callback body, eventId included: a retry resends exactly this (stable eventId).
    payload: event as unknown as NewOutboxMessage["payload"],
  });
}

/**
 * A state change the partner can read in GET ticket (6.5). It is its own TicketEvent row (beside
 * the command's audit row) so that its id — the protocol event id — exists before the callback
 * that carries it is enqueued, in the same transaction.
 */
export async function recordPartnerEvent(
  tx: Tx,
  ticket: PartnerTicketKeys,
  type: PartnerEventType,
  data: StoredEventData,
  actor: ActorRef,
  at: Date,
): Promise<string> {
  const keys = keysOf(ticket);
  const row = await insertTicketEvent(tx, {
    ticketId: ticket.id,
    action: type,
    actorKind: actor.kind,
    actorId: actor.id ?? null,
    actorName: actor.name ?? null,
    data: { ...data, occurredAt: at.toISOString() },
  });
  const eventId = wireEventId(row.id);
  if (CALLED_BACK_EVENT_TYPES.includes(type)) {
    await enqueueCallback(tx, ticket, {
      eventId,
      type: type as "ticket.accepted" | "ticket.returned" | "ticket.closed",
      guid: keys.guid,
      externalId: keys.externalId,
      occurredAt: at.toISOString(),
      data,
    });
  }
  return eventId;
}

/** Our staff's public reply, called back as `message.created`. */
export async function enqueueMessageCallback(tx: Tx, ticket: PartnerTicketKeys, messageId: number, message: UpstreamMessage) {
  const keys = keysOf(ticket);
  await enqueueCallback(tx, ticket, {
    eventId: messageEventId(messageId),
    type: "message.created",
    guid: keys.guid,
    externalId: keys.externalId,
    occurredAt: message.createdAt,
    data: message,
  });
}
