import type { DbOrTx } from "../db/client.ts";
import {
  findChangedPartnerTickets,
  findPartnerTicketByGuid,
  findProtocolEventsAfter,
  findPublicAttachment,
  findPublicMessagesAfter,
} from "../db/repos/partner-tickets.ts";
import { findStaffNames } from "../db/repos/staff-names.ts";
import {
  MAX_TICKET_PAGE_ITEMS,
  ZStateChangeData,
  type GetUpstreamTicketResponse,
  type ListChangedTicketsQuery,
  type ListChangedTicketsResponse,
  type TicketEvent,
} from "../protocol/schemas.ts";
import type { BlobStore } from "../storage/blob-store.ts";
import { notFoundError, ProtocolError } from "../protocol/errors.ts";
import type { AuthenticatedPartner } from "./partner-inbound.ts";
import { PARTNER_EVENT_TYPES, toWireMessage, wireEventId, type PartnerEventType } from "./wire.ts";

// The partner's reads (protocol 6.5–6.7).

/**
 * A transaction may commit up to its timeout (15 s) after it stamped `updatedAt`; the change feed
 * lists only changes older than that, so a reader never moves its cursor past a change that was
 * still uncommitted when it read. The per-ticket cursor of GET needs no such window: changes of
 * one ticket are serialised by the compare-and-set on its row.
 */
export const CHANGE_SETTLE_MS = 15_000;

// ------------------------------------------------------------------------------ GET ticket
/** `c-{last message id}-{last event id}`: two positions, because messages and events are two streams. */
type TicketCursor = { messageId: number; eventId: number };
const encodeTicketCursor = (c: TicketCursor) => `c-${c.messageId}-${c.eventId}`;

function decodeTicketCursor(value: string | undefined): TicketCursor {
  if (value === undefined) return { messageId: 0, eventId: 0 };
  const m = /^c-(\d{1,15})-(\d{1,15})$/.exec(value);
  if (!m) throw new ProtocolError("validation_failed", "Malformed cursor.", [{ path: "after", message: "not a cursor from this upstream" }]);
  return { messageId: Number(m[1]), eventId: Number(m[2]) };
}

export async function getTicketForPartner(
  db: DbOrTx,
  partner: AuthenticatedPartner,
  guid: string,
  after: string | undefined,
): Promise<GetUpstreamTicketResponse> {
  const cursor = decodeTicketCursor(after);
  const ticket = await findPartnerTicketByGuid(db, partner.id, guid);
  if (!ticket) throw notFoundError();
  const limit = MAX_TICKET_PAGE_ITEMS;
  const [messages, events] = await Promise.all([
    findPublicMessagesAfter(db, ticket.id, cursor.messageId, limit + 1),
    findProtocolEventsAfter(db, ticket.id, cursor.eventId, limit + 1, PARTNER_EVENT_TYPES),
  ]);

  // Merge the two id-ordered streams by time; whatever is taken is a prefix of each stream, so
  // the cursor (last id taken of each) never skips an item.
  let mi = 0;
  let ei = 0;
  while (mi + ei < limit && (mi < messages.length || ei < events.length)) {
    const m = messages[mi];
    const e = events[ei];
    if (m && (!e || m.createdAt <= e.createdAt)) mi++;
    else ei++;
  }
  const takenMessages = messages.slice(0, mi);
  const takenEvents = events.slice(0, ei);
  const staffIds = [...new Set(takenMessages.flatMap((m) => (m.staffId !== null ? [m.staffId] : [])))];
  const staffNames = new Map((await findStaffNames(db, staffIds)).map((s) => [s.id, s.displayName]));
  const wireCtx = { guid: ticket.guid!, partnerPublicId: partner.partnerId, staffNames };

  return {
    guid: ticket.guid!,
    externalId: ticket.partnerTicketNo!,
    state: ticket.partnerState!,
    messages: takenMessages.map((m) => toWireMessage(m, wireCtx)),
    events: takenEvents.map((e): TicketEvent => {
      const data = ZStateChangeData.safeParse(e.data);
      // The time the callback carried (stored with the event), so both say the same.
      const stored = (e.data as { occurredAt?: unknown } | null)?.occurredAt;
      return {
        id: wireEventId(e.id),
        type: e.action as PartnerEventType,
        occurredAt: typeof stored === "string" ? stored : e.createdAt.toISOString(),
        data: data.success ? data.data : {},
      };
    }),
    cursor: encodeTicketCursor({
      messageId: takenMessages.at(-1)?.id ?? cursor.messageId,
      eventId: takenEvents.at(-1)?.id ?? cursor.eventId,
    }),
    hasMore: mi < messages.length || ei < events.length,
  };
}

// ------------------------------------------------------------------------ list changed (6.6)
/** `ch-{updatedAt in ms}-{ticket id}`: the position in (updatedAt, id) order. */
const encodeChangeCursor = (at: Date, id: number) => `ch-${at.getTime()}-${id}`;

function decodeChangeCursor(value: string | undefined): { at: Date; id: number } | null {
  if (value === undefined) return null;
  const m = /^ch-(\d{1,15})-(\d{1,15})$/.exec(value);
  if (!m) {
    throw new ProtocolError("validation_failed", "Malformed cursor.", [{ path: "changedAfter", message: "not a cursor from this upstream" }]);
  }
  return { at: new Date(Number(m[1])), id: Number(m[2]) };
}

export async function listChangedForPartner(
  db: DbOrTx,
  partner: AuthenticatedPartner,
  query: ListChangedTicketsQuery,
  settledBefore: Date,
): Promise<ListChangedTicketsResponse> {
  const after = decodeChangeCursor(query.changedAfter);
  const rows = await findChangedPartnerTickets(db, partner.id, after, settledBefore, query.limit);
  const last = rows.at(-1);
  return {
    tickets: rows.map((t) => ({ guid: t.guid!, externalId: t.partnerTicketNo!, state: t.partnerState!, updatedAt: t.updatedAt.toISOString() })),
    nextCursor: last ? encodeChangeCursor(last.updatedAt, last.id) : null,
  };
}

// ------------------------------------------------------------------------- attachment (6.7)
export async function readAttachmentForPartner(
  db: DbOrTx,
  store: BlobStore,
  partner: AuthenticatedPartner,
  guid: string,
  sha256: string,
) {
  const ticket = await findPartnerTicketByGuid(db, partner.id, guid);
  if (!ticket) throw notFoundError();
  const meta = await findPublicAttachment(db, ticket.id, sha256);
  const bytes = meta ? await store.get(meta.storageKey) : null;
  if (!meta || !bytes) throw new ProtocolError("not_found", "No such attachment on this ticket.");
  return { ...meta, bytes };
}
