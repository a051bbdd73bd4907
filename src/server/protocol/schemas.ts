// Wire schemas of the upstream protocol v1; docs/UPSTREAM_PROTOCOL.md is the prose contract.
// Both roles parse with these: the upstream its requests, the downstream its answers and callbacks.
// z.object strips unknown keys, which is the protocol's tolerant-reader rule for additive changes.
import { z } from "zod";
import type { VerifyFailureCode } from "./signature.ts";

// ---------------------------------------------------------------------------------- limits
const MiB = 1024 * 1024;
/** Any request body (downstream → upstream), inline base64 attachments included. */
export const MAX_BODY_BYTES = 8 * MiB;
/** Callbacks carry attachment metadata only, never content. */
export const MAX_CALLBACK_BODY_BYTES = 1 * MiB;
export const MAX_ATTACHMENTS_PER_MESSAGE = 3;
/** Decoded size of one attachment. */
export const MAX_ATTACHMENT_BYTES = 2 * MiB;
/** Lengths below are Unicode code points, so every language counts them alike. */
export const MAX_TITLE_LENGTH = 200;
export const MAX_MESSAGE_BODY_LENGTH = 20_000;
export const MAX_REASON_LENGTH = 2_000;
/** A create's history: at most this many messages, and this much message text in all. */
export const MAX_CREATE_MESSAGES = 100;
export const MAX_REQUEST_TEXT_LENGTH = 200_000;
export const MAX_ID_LENGTH = 100;
export const MAX_NAME_LENGTH = 100;
export const MAX_FILE_NAME_LENGTH = 200;
export const DEFAULT_CHANGED_LIMIT = 100;
export const MAX_CHANGED_LIMIT = 500;
/** GET ticket answers at most this many messages plus events; `hasMore` says to call again. */
export const MAX_TICKET_PAGE_ITEMS = 500;

const MAX_ATTACHMENT_BASE64_LENGTH = 4 * Math.ceil(MAX_ATTACHMENT_BYTES / 3);

// ------------------------------------------------------------------------------ primitives
const codePoints = (text: string) => [...text].length;
const text = (max: number) =>
  z.string().refine((value) => codePoints(value) <= max, `at most ${max} characters`);

// Ids and cursors travel unescaped in paths and queries; restricting them to RFC 3986
// unreserved characters means the signed path is the same string on both ends.
const URL_SAFE = /^[A-Za-z0-9._~-]+$/;
export const ZProtocolId = z.string().min(1).max(MAX_ID_LENGTH).regex(URL_SAFE);
export const ZCursor = z.string().min(1).max(MAX_ID_LENGTH).regex(URL_SAFE);
const ZLabel = text(MAX_NAME_LENGTH).min(1);
const ZTimestamp = z.iso.datetime({ offset: true });
const ZSha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const ZUpstreamTicketType = z.enum(["BUSINESS_TECH", "ICP_FILING", "TRADEMARK", "OTHER"]);
export type UpstreamTicketType = z.infer<typeof ZUpstreamTicketType>;

export const ZUpstreamTicketState = z.enum(["OPEN", "RETURNED", "CLOSED", "FINISHED"]);
export type UpstreamTicketState = z.infer<typeof ZUpstreamTicketState>;

// ----------------------------------------------------------------------------- attachments
/** Bytes a padded base64 string decodes to, without decoding megabytes just to count them. */
export function base64DecodedLength(base64: string): number {
  const padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
  return (base64.length / 4) * 3 - padding;
}

const ZFileName = z
  .string()
  .min(1)
  .max(MAX_FILE_NAME_LENGTH)
  // A name is shown and offered for download; separators or control characters never belong.
  .refine((name) => !/[\\/\u0000-\u001f\u007f]/.test(name), "no path separators or control characters");
const ZMimeType = z.string().max(100).regex(/^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+$/);

/** An attachment sent inline by the downstream. */
export const ZInlineAttachment = z.object({
  fileName: ZFileName,
  mimeType: ZMimeType,
  content: z
    .base64()
    .min(1)
    .max(MAX_ATTACHMENT_BASE64_LENGTH)
    .refine((b64) => base64DecodedLength(b64) <= MAX_ATTACHMENT_BYTES, "attachment over 2 MiB"),
});
export type InlineAttachment = z.infer<typeof ZInlineAttachment>;

/** An attachment as the upstream describes it; `url` is fetched with a signed GET. */
export const ZAttachmentRef = z.object({
  fileName: ZFileName,
  mimeType: ZMimeType,
  size: z.number().int().min(0).max(MAX_ATTACHMENT_BYTES),
  sha256: ZSha256Hex,
  // Relative to the upstream's baseUrl so a downstream never sends a signed request elsewhere.
  url: z.string().startsWith("/api/upstream/v1/").max(300).optional(),
});
export type AttachmentRef = z.infer<typeof ZAttachmentRef>;

// -------------------------------------------------------------------------------- messages
/** A message needs words or a file; an empty bubble helps nobody. */
const hasContent = (message: { body: string; attachments?: readonly unknown[] }) =>
  message.body.trim().length > 0 || (message.attachments?.length ?? 0) > 0;
const EMPTY_MESSAGE = { message: "body or attachments required", path: ["body"] };

/** A message the downstream sends: in a create's history or posted on its own. */
export const ZNewUpstreamMessage = z
  .object({
    externalMessageId: ZProtocolId,
    author: z.object({ role: z.enum(["member", "staff"]), name: ZLabel }),
    body: text(MAX_MESSAGE_BODY_LENGTH),
    attachments: z.array(ZInlineAttachment).max(MAX_ATTACHMENTS_PER_MESSAGE).optional(),
    /** When it was written downstream; the upstream uses it to order a create's history. */
    createdAt: ZTimestamp.optional(),
  })
  .refine(hasContent, EMPTY_MESSAGE);
export type NewUpstreamMessage = z.infer<typeof ZNewUpstreamMessage>;

export const ZMessageAuthor = z.object({
  kind: z.enum(["agent", "partner"]),
  /** agent: the upstream agent's id; partner: the partner's X-Partner-Id. */
  id: ZLabel,
  name: ZLabel,
});
export type MessageAuthor = z.infer<typeof ZMessageAuthor>;

/** A public message as the upstream reports it (GET ticket, message.created). */
export const ZUpstreamMessage = z
  .object({
    id: ZProtocolId,
    /** Present when the message came from the downstream: its own id, for deduplication. */
    externalMessageId: ZProtocolId.optional(),
    author: ZMessageAuthor,
    body: text(MAX_MESSAGE_BODY_LENGTH),
    createdAt: ZTimestamp,
    attachments: z.array(ZAttachmentRef).max(MAX_ATTACHMENTS_PER_MESSAGE),
  })
  .refine(hasContent, EMPTY_MESSAGE);
export type UpstreamMessage = z.infer<typeof ZUpstreamMessage>;

/** What MAX_REQUEST_TEXT_LENGTH counts: the code points of every message body. */
export const messageTextLength = (messages: readonly { body: string }[]) => messages.reduce((sum, m) => sum + codePoints(m.body), 0);

// ------------------------------------------------------------------------ tickets: requests
export const ZCreateUpstreamTicketRequest = z.object({
  externalId: ZProtocolId,
  type: ZUpstreamTicketType,
  title: text(MAX_TITLE_LENGTH).refine((title) => title.trim().length > 0, "title required"),
  messages: z
    .array(ZNewUpstreamMessage)
    .min(1)
    .max(MAX_CREATE_MESSAGES)
    .refine(
      (messages) => messageTextLength(messages) <= MAX_REQUEST_TEXT_LENGTH,
      `at most ${MAX_REQUEST_TEXT_LENGTH} characters of message text in one request`,
    ),
  /** Only the contact fields the partner chooses to share. */
  member: z.object({
    id: ZLabel,
    name: ZLabel.optional(),
    email: z.string().max(200).optional(),
    phone: z.string().max(40).optional(),
    qq: z.string().max(20).optional(),
  }),
  /** Omitted when the ticket concerns no service (备案, 商标, 其他). */
  business: z
    .object({ id: ZLabel, ip: z.string().max(100).optional(), type: text(100).optional() })
    .optional(),
  /** Advisory: the upstream always calls the URL registered for the partner. */
  callbackUrl: z.url({ protocol: /^https?$/ }).max(300).optional(),
});
export type CreateUpstreamTicketRequest = z.infer<typeof ZCreateUpstreamTicketRequest>;

export const ZPostUpstreamMessageRequest = ZNewUpstreamMessage;
export type PostUpstreamMessageRequest = NewUpstreamMessage;

const ZOptionalReason = z.object({ reason: text(MAX_REASON_LENGTH).optional() });
export const ZEscalateUpstreamTicketRequest = ZOptionalReason;
export type EscalateUpstreamTicketRequest = z.infer<typeof ZEscalateUpstreamTicketRequest>;
export const ZCloseUpstreamTicketRequest = ZOptionalReason;
export type CloseUpstreamTicketRequest = z.infer<typeof ZCloseUpstreamTicketRequest>;

/** Query strings arrive as text; `limit` is coerced. */
export const ZGetUpstreamTicketQuery = z.object({ after: ZCursor.optional() });
export type GetUpstreamTicketQuery = z.infer<typeof ZGetUpstreamTicketQuery>;

export const ZListChangedTicketsQuery = z.object({
  changedAfter: ZCursor.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_CHANGED_LIMIT).default(DEFAULT_CHANGED_LIMIT),
});
export type ListChangedTicketsQuery = z.infer<typeof ZListChangedTicketsQuery>;

// ----------------------------------------------------------------------- tickets: responses
/** Answer of create, escalate and close. */
export const ZUpstreamTicketStateResponse = z.object({
  guid: ZProtocolId,
  externalId: ZProtocolId,
  state: ZUpstreamTicketState,
});
export type UpstreamTicketStateResponse = z.infer<typeof ZUpstreamTicketStateResponse>;
export const ZCreateUpstreamTicketResponse = ZUpstreamTicketStateResponse;
export type CreateUpstreamTicketResponse = UpstreamTicketStateResponse;
export const ZEscalateUpstreamTicketResponse = ZUpstreamTicketStateResponse;
export type EscalateUpstreamTicketResponse = UpstreamTicketStateResponse;
export const ZCloseUpstreamTicketResponse = ZUpstreamTicketStateResponse;
export type CloseUpstreamTicketResponse = UpstreamTicketStateResponse;

export const ZPostUpstreamMessageResponse = z.object({ id: ZProtocolId });
export type PostUpstreamMessageResponse = z.infer<typeof ZPostUpstreamMessageResponse>;

/** Who did it and why; the agent is absent when the downstream itself acted. */
export const ZStateChangeData = z.object({
  agent: z.object({ id: ZLabel, name: ZLabel }).optional(),
  reason: text(MAX_REASON_LENGTH).optional(),
});
export type StateChangeData = z.infer<typeof ZStateChangeData>;

export const ZTicketEventType = z.enum([
  "ticket.accepted",
  "ticket.returned",
  "ticket.closed",
  "ticket.escalated",
  "ticket.finished",
]);
export type TicketEventType = z.infer<typeof ZTicketEventType>;

/** A state change in the ticket's history; `id` equals the eventId of its callback, if any. */
export const ZTicketEvent = z.object({
  id: ZProtocolId,
  type: ZTicketEventType,
  occurredAt: ZTimestamp,
  data: ZStateChangeData,
});
export type TicketEvent = z.infer<typeof ZTicketEvent>;

export const ZGetUpstreamTicketResponse = z.object({
  guid: ZProtocolId,
  externalId: ZProtocolId,
  /** The current state, whatever the cursor: the truth every callback converges to. */
  state: ZUpstreamTicketState,
  messages: z.array(ZUpstreamMessage).max(MAX_TICKET_PAGE_ITEMS),
  events: z.array(ZTicketEvent).max(MAX_TICKET_PAGE_ITEMS),
  cursor: ZCursor,
  hasMore: z.boolean(),
});
export type GetUpstreamTicketResponse = z.infer<typeof ZGetUpstreamTicketResponse>;

export const ZChangedTicket = z.object({
  guid: ZProtocolId,
  externalId: ZProtocolId,
  state: ZUpstreamTicketState,
  updatedAt: ZTimestamp,
});
export type ChangedTicket = z.infer<typeof ZChangedTicket>;

export const ZListChangedTicketsResponse = z.object({
  tickets: z.array(ZChangedTicket).max(MAX_CHANGED_LIMIT),
  /** Position after the last ticket listed; null only when `tickets` is empty (keep yours). */
  nextCursor: ZCursor.nullable(),
});
export type ListChangedTicketsResponse = z.infer<typeof ZListChangedTicketsResponse>;

// ------------------------------------------------------------------------------- callbacks
const callbackEnvelope = {
  eventId: ZProtocolId,
  guid: ZProtocolId,
  externalId: ZProtocolId,
  occurredAt: ZTimestamp,
};

export const ZMessageCreatedCallback = z.object({
  ...callbackEnvelope,
  type: z.literal("message.created"),
  data: ZUpstreamMessage,
});
export const ZTicketAcceptedCallback = z.object({
  ...callbackEnvelope,
  type: z.literal("ticket.accepted"),
  data: ZStateChangeData,
});
export const ZTicketReturnedCallback = z.object({
  ...callbackEnvelope,
  type: z.literal("ticket.returned"),
  data: ZStateChangeData,
});
export const ZTicketClosedCallback = z.object({
  ...callbackEnvelope,
  type: z.literal("ticket.closed"),
  data: ZStateChangeData,
});

// ticket.escalated and ticket.finished are the downstream's own acts: never called back.
export const ZCallbackEvent = z.discriminatedUnion("type", [
  ZMessageCreatedCallback,
  ZTicketAcceptedCallback,
  ZTicketReturnedCallback,
  ZTicketClosedCallback,
]);
export type CallbackEvent = z.infer<typeof ZCallbackEvent>;
export type CallbackEventType = CallbackEvent["type"];
export type MessageCreatedCallback = z.infer<typeof ZMessageCreatedCallback>;
export type TicketAcceptedCallback = z.infer<typeof ZTicketAcceptedCallback>;
export type TicketReturnedCallback = z.infer<typeof ZTicketReturnedCallback>;
export type TicketClosedCallback = z.infer<typeof ZTicketClosedCallback>;

// ---------------------------------------------------------------------------------- errors
export const PROTOCOL_ERROR_CODES = [
  "invalid_signature",
  "stale_timestamp",
  "not_found",
  "upstream_closed",
  "ticket_finished",
  "rate_limited",
  "validation_failed",
  "payload_too_large",
  "type_not_allowed",
  "partner_disabled",
] as const;
export const ZProtocolErrorCode = z.enum(PROTOCOL_ERROR_CODES);
export type ProtocolErrorCode = z.infer<typeof ZProtocolErrorCode>;

export const HTTP_STATUS_FOR_ERROR = {
  invalid_signature: 401,
  stale_timestamp: 401,
  not_found: 404,
  upstream_closed: 409,
  ticket_finished: 409,
  rate_limited: 429,
  validation_failed: 422,
  payload_too_large: 413,
  type_not_allowed: 403,
  partner_disabled: 403,
} as const satisfies Record<ProtocolErrorCode, number>;

/** Missing headers are an authentication failure on the wire; the detail stays in our logs. */
export function errorCodeForVerifyFailure(code: VerifyFailureCode): ProtocolErrorCode {
  return code === "stale_timestamp" ? "stale_timestamp" : "invalid_signature";
}

export const ZProtocolErrorBody = z.object({
  error: z.object({
    code: ZProtocolErrorCode,
    message: z.string(),
    /** Only with validation_failed: which fields, so a vendor can fix its payload. */
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ProtocolErrorBody = z.infer<typeof ZProtocolErrorBody>;

// ----------------------------------------------------------------------------------- paths
export const PROTOCOL_BASE_PATH = "/api/upstream/v1";
const ticketPath = (guid: string) => `${PROTOCOL_BASE_PATH}/tickets/${encodeURIComponent(guid)}`;
const withQuery = (path: string, params: Record<string, string | number | undefined>) => {
  // Fixed key order: the signature covers the query string exactly as written here.
  const query = Object.entries(params)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`)
    .join("&");
  return query ? `${path}?${query}` : path;
};

/** Paths with query, ready to sign and to append to the upstream's baseUrl. */
export const PROTOCOL_PATHS = {
  tickets: () => `${PROTOCOL_BASE_PATH}/tickets`,
  ticket: (guid: string, after?: string) => withQuery(ticketPath(guid), { after }),
  messages: (guid: string) => `${ticketPath(guid)}/messages`,
  escalate: (guid: string) => `${ticketPath(guid)}/escalate`,
  close: (guid: string) => `${ticketPath(guid)}/close`,
  attachment: (guid: string, sha256: string) => `${ticketPath(guid)}/attachments/${sha256}`,
  changedTickets: (query: { changedAfter?: string; limit?: number } = {}) =>
    withQuery(`${PROTOCOL_BASE_PATH}/tickets`, { changedAfter: query.changedAfter, limit: query.limit }),
} as const;
