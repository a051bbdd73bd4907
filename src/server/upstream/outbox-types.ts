// The outbox entries the escalation feature writes (kind UPSTREAM_REQUEST). Payloads hold ids only:
// the request is built from the database at delivery time, so no body or file sits in the queue
// twice, and a message is always sent as it is stored.
import { z } from "zod";

export const UPSTREAM_OUTBOX_TYPES = ["ticket.create", "message.create", "ticket.escalate", "ticket.close"] as const;
export type UpstreamOutboxType = (typeof UPSTREAM_OUTBOX_TYPES)[number];

/**
 * The public history at the moment of escalation (转移到云技术客服), oldest first, and the files
 * staff ticked in the dialog (absent in entries from before it: the sharing policy decides).
 */
export const ZCreatePayload = z.object({ messageIds: z.array(z.number().int().positive()), fileIds: z.array(z.number().int().positive()).optional() });
export const ZMessagePayload = z.object({ messageId: z.number().int().positive() });
export const ZEmptyPayload = z.object({});

/** One queue per ticket at one upstream: a later request waits while an earlier one is pending (§11). */
export const upstreamOrderingKey = (connectionId: number, ticketId: number) => `upstream:${connectionId}:ticket:${ticketId}`;

/** Our message id on the wire; continuation parts (more than 3 files) add `-2`, `-3` … */
export const externalMessageId = (messageId: number, part = 1) => (part === 1 ? `msg-${messageId}` : `msg-${messageId}-${part}`);
