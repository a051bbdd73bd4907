// The outbox entries the escalation feature writes (kind UPSTREAM_REQUEST). Payloads hold ids only:
// the request is built from the database at delivery time, so no body or file sits in the queue
// twice, and a message is always sent as it is stored.
import { z } from "zod";

export const UPSTREAM_OUTBOX_TYPES = ["ticket.create", "message.create", "ticket.escalate", "ticket.close", "attachment.fetch"] as const;
type UpstreamOutboxType = (typeof UPSTREAM_OUTBOX_TYPES)[number];

/**
 * The public history at the moment of escalation (转移到云技术客服), oldest first, and the files
 * staff ticked in the dialog (absent in entries from before it: the sharing policy decides).
 */
export const ZCreatePayload = z.object({ messageIds: z.array(z.number().int().positive()), fileIds: z.array(z.number().int().positive()).optional() });
export const ZMessagePayload = z.object({ messageId: z.number().int().positive() });
/** An upstream file whose bytes we still have to fetch (GET attachment) and verify. */
export const ZAttachmentFetchPayload = z.object({ attachmentId: z.number().int().positive() });

/** One queue per ticket at one upstream: a later request waits while an earlier one is pending (§11). */
export const upstreamOrderingKey = (connectionId: number, ticketId: number) => `upstream:${connectionId}:ticket:${ticketId}`;

/** Files are fetched on their own queue: a slow or missing file never holds up the ticket's requests. */
export const attachmentOrderingKey = (connectionId: number, attachmentId: number) => `upstream:${connectionId}:file:${attachmentId}`;

/**
 * An upstream file's storage key until its bytes arrived and matched its hash. Never a blob key,
 * so it resolves to no stored file, whatever hash the upstream claims (R7).
 */
export const remoteFileKey = (sha256: string) => `remote:${sha256}`;
export const remoteFileHash = (storageKey: string) => (storageKey.startsWith("remote:") ? storageKey.slice("remote:".length) : null);

/** Our message id on the wire; continuation parts (more than 3 files) add `-2`, `-3` … */
export const externalMessageId = (messageId: number, part = 1) => (part === 1 ? `msg-${messageId}` : `msg-${messageId}-${part}`);
