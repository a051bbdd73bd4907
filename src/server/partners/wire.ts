import {
  PROTOCOL_PATHS,
  type AttachmentRef,
  type StateChangeData,
  type TicketEventType,
  type UpstreamMessage,
} from "../protocol/schemas.ts";
import type { PublicMessageRow } from "../db/repos/partner-tickets.ts";

// How our rows look on the wire. Ids carry a prefix so a partner's logs say what they are, and
// stay URL-safe (protocol §2).

export const wireMessageId = (messageId: number) => `m-${messageId}`;
export const wireEventId = (ticketEventId: number) => `e-${ticketEventId}`;
/** The callback of a message gets its own event id; the message keeps its message id. */
export const messageEventId = (messageId: number) => `msg-${messageId}`;

export const PARTNER_EVENT_TYPES = [
  "ticket.accepted",
  "ticket.returned",
  "ticket.closed",
  "ticket.escalated",
  "ticket.finished",
] as const satisfies readonly TicketEventType[];
export type PartnerEventType = (typeof PARTNER_EVENT_TYPES)[number];
/** Only what our side did is called back; the partner's own acts appear in GET ticket only. */
export const CALLED_BACK_EVENT_TYPES: readonly PartnerEventType[] = ["ticket.accepted", "ticket.returned", "ticket.closed"];

/** What a protocol event row keeps in TicketEvent.data. */
export type StoredEventData = StateChangeData;

export function toWireAttachment(guid: string, a: { storageKey: string; fileName: string; mimeType: string; size: number }): AttachmentRef {
  return { fileName: a.fileName, mimeType: a.mimeType, size: a.size, sha256: a.storageKey, url: PROTOCOL_PATHS.attachment(guid, a.storageKey) };
}

/**
 * Staff appear as agents with their staff id, so the partner's console shows
 * `云技术客服{id}(ID: {id})`; the partner's own messages come back with its X-Partner-Id.
 */
export function toWireMessage(
  row: PublicMessageRow,
  ctx: { guid: string; partnerPublicId: string; staffNames: ReadonlyMap<number, string> },
): UpstreamMessage {
  const author =
    row.authorKind === "STAFF"
      ? {
          kind: "agent" as const,
          id: String(row.staffId ?? 0),
          name: (row.staffId !== null && ctx.staffNames.get(row.staffId)) || `云技术客服${row.staffId ?? ""}`,
        }
      : { kind: "partner" as const, id: ctx.partnerPublicId, name: row.agentName || "-" };
  return {
    id: wireMessageId(row.id),
    ...(row.authorKind === "PARTNER" && row.externalId ? { externalMessageId: row.externalId } : {}),
    author,
    body: row.body,
    createdAt: row.createdAt.toISOString(),
    attachments: row.attachments.map((a) => toWireAttachment(ctx.guid, a)),
  };
}
