// Delivers one UPSTREAM_REQUEST outbox entry: builds the request from the database, sends it
// signed, applies the answer (the create's GUID = upstream.ack), and says whether to retry (§8).
import type { Db } from "../db/client.ts";
import { inTransaction } from "../db/transaction.ts";
import { enqueueOutbox } from "../db/repos/tickets.ts";
import { hasPendingOutbox } from "../db/repos/outbox.ts";
import {
  findAttachmentToFetch,
  findConnectionWithSecret,
  findLinkByTicket,
  recordConnectionStatus,
  recordFetchedAttachment,
  updateLink,
  type ConnectionWithSecret,
  type LinkWithConnection,
} from "../db/repos/upstream.ts";
import { logger } from "../logger.ts";
import type { DeliveryOutcome, OutboxRow } from "../outbox/types.ts";
import { reconcileUpstreamState, recordGuid, reportLinkState } from "../services/upstream-apply.ts";
import type { UpstreamClient } from "./client.ts";
import { ProtocolCallError } from "../protocol/outbound-sender.ts";
import { callbackPath, clientForConnection, type UpstreamDeps } from "./deps.ts";
import { toUpstreamMessages } from "./outbound-messages.ts";
import { findPublicEntriesForSharing, findTicketForSharing, insertUpstreamDelivery } from "../db/repos/sharing.ts";
import { knownContactsOf, messageWasMasked, shareMessage, shareTicket, type SharedMessage } from "../domain/sharing-policy.ts";
import { getSharingPolicy } from "../services/sharing-service.ts";
import type { SentRequest } from "./client.ts";
import { ZAttachmentFetchPayload, ZCreatePayload, ZMessagePayload, remoteFileHash, upstreamOrderingKey } from "./outbox-types.ts";
import { sha256Hex } from "../protocol/signature.ts";
import { MAX_BODY_BYTES, MAX_CREATE_MESSAGES, MAX_REQUEST_TEXT_LENGTH, messageTextLength, type CreateUpstreamTicketRequest, type NewUpstreamMessage } from "../protocol/schemas.ts";
import { retryOnContention } from "../services/contention.ts";
import { syncLink } from "./sync.ts";

const dead = (error: string): DeliveryOutcome => ({ ok: false, retryable: false, error });

/** The create has not been answered yet; requests that need the GUID wait their turn. */
class NoGuidYet extends Error {}

type Context = {
  db: Db;
  deps: UpstreamDeps;
  row: OutboxRow & { ticketId: number };
  connection: ConnectionWithSecret;
  link: LinkWithConnection;
  client: UpstreamClient;
  /** Our messages the request carries, and those a mask changed (recorded with each delivery). */
  carried: { messageIds: number[]; maskedMessageIds: number[] };
};

export async function deliverUpstreamRequest(db: Db, deps: UpstreamDeps, row: OutboxRow): Promise<DeliveryOutcome> {
  if (row.connectionId === null || row.ticketId === null) return dead("outbox entry without connection or ticket");
  const [connection, link] = await Promise.all([findConnectionWithSecret(db, row.connectionId), findLinkByTicket(db, row.ticketId)]);
  if (!connection) return dead("the upstream connection no longer exists");
  if (!link) return dead("the ticket has no upstream link");
  let client: UpstreamClient;
  const sent: SentRequest[] = [];
  try {
    client = clientForConnection(deps, connection, (request) => sent.push(request));
  } catch {
    return dead("the connection's secret cannot be decrypted (was AUTH_SECRET changed?); enter the secret again");
  }
  const ctx: Context = { db, deps, row: { ...row, ticketId: row.ticketId }, connection, link, client, carried: { messageIds: [], maskedMessageIds: [] } };
  try {
    return await deliver(ctx);
  } finally {
    await recordDeliveries(ctx, sent);
  }
}

/** What left the building, byte for byte: each POST's body into the file store, a row per request. */
async function recordDeliveries(ctx: Context, sent: SentRequest[]) {
  for (const request of sent) {
    const bytes = Buffer.from(request.body, "utf8");
    const sha = await ctx.deps.files.put(bytes);
    const delivered = request.status !== null && request.status >= 200 && request.status < 300;
    await insertUpstreamDelivery(ctx.db, {
      connectionId: ctx.connection.id,
      ticketId: ctx.row.ticketId,
      type: ctx.row.type,
      method: request.method,
      path: request.pathWithQuery,
      bodySha256: sha,
      bodySize: bytes.length,
      status: request.status,
      messageIds: delivered ? ctx.carried.messageIds : [],
      maskedMessageIds: delivered ? ctx.carried.maskedMessageIds : [],
    });
  }
}

async function deliver(ctx: Context): Promise<DeliveryOutcome> {
  const { row } = ctx;
  try {
    switch (row.type) {
      case "ticket.create":
        await deliverCreate(ctx);
        break;
      case "message.create":
        await deliverMessage(ctx);
        break;
      case "ticket.escalate":
        await deliverStateRequest(ctx, "escalate");
        break;
      case "ticket.close":
        await deliverStateRequest(ctx, "close");
        break;
      case "attachment.fetch":
        await fetchAttachment(ctx);
        break;
      default:
        return dead(`unknown upstream request type ${row.type}`);
    }
    return { ok: true };
  } catch (e) {
    if (e instanceof NoGuidYet) return { ok: false, retryable: true, error: "waiting for the upstream to acknowledge the escalation (no GUID yet)" };
    if (e instanceof ProtocolCallError) return onCallError(ctx, e);
    throw e;
  }
}

async function deliverCreate(ctx: Context) {
  const { db, deps, row, link } = ctx;
  const { messageIds, fileIds } = ZCreatePayload.parse(row.payload);
  const [ticket, policy] = await Promise.all([findTicketForSharing(db, row.ticketId), getSharingPolicy(db, link.connectionId)]);
  if (!ticket || ticket.category.type === "NORMAL") throw new ProtocolCallError("the ticket cannot be sent upstream (NORMAL category)", null, null, false);
  // The files staff ticked in the escalate dialog; an entry from before the dialog follows the policy.
  const ticked = fileIds ? new Set(fileIds) : null;
  const entries = await findPublicEntriesForSharing(db, row.ticketId, messageIds);
  const shared = shareTicket(policy, deps.authSecret, link.connectionId, ticket, entries, (id) => (ticked ? ticked.has(id) : policy.forwardFilesByDefault));
  const history = await wireMessages(ctx, shared.messages);
  const request: CreateUpstreamTicketRequest = {
    externalId: String(ticket.id),
    type: ticket.category.type,
    title: shared.title.text,
    messages: [],
    member: shared.member,
    ...(ticket.businessId
      ? { business: { id: ticket.businessId, ...(ticket.businessIp ? { ip: ticket.businessIp } : {}), ...(ticket.businessType ? { type: ticket.businessType } : {}) } }
      : {}),
    callbackUrl: deps.publicUrl + callbackPath(link.connectionId),
  };
  // §6.1: the oldest messages that fit the limits (§5) go with the create, the rest follow as messages.
  const overflow: number[] = [];
  request.messages = history.map((h) => h.message);
  const overLimits = () =>
    request.messages.length > MAX_CREATE_MESSAGES ||
    messageTextLength(request.messages) > MAX_REQUEST_TEXT_LENGTH ||
    Buffer.byteLength(JSON.stringify(request)) > MAX_BODY_BYTES;
  while (request.messages.length > 1 && overLimits()) {
    request.messages.pop();
  }
  const sent = new Set(request.messages.map((m) => m.externalMessageId));
  for (const h of history) if (!sent.has(h.message.externalMessageId) && !overflow.includes(h.messageId)) overflow.push(h.messageId);
  if (request.messages.length === 0) {
    // Every ticket starts with the member's words; should they be gone, the title still says what it is about.
    request.messages = [{ externalMessageId: `ticket-${ticket.id}`, author: { role: "member", name: "客户" }, body: shared.title.text }];
  }
  const carried = history.filter((h) => sent.has(h.message.externalMessageId));
  ctx.carried = {
    messageIds: [...new Set(carried.map((h) => h.messageId))],
    maskedMessageIds: [...new Set(carried.filter((h) => h.masked).map((h) => h.messageId))],
  };

  const answer = await ctx.client.createTicket(request);
  await retryOnContention(() =>
    inTransaction(db, async (tx) => {
      const fresh = (await findLinkByTicket(tx, row.ticketId)) ?? link;
      await recordGuid(tx, fresh, answer.ticket.guid, answer.ticket.state);
      // A repeated create answers the ticket as it is now (it may have been returned or closed meanwhile).
      await reconcileUpstreamState(tx, fresh, answer.ticket.state);
      for (const messageId of overflow) {
        await enqueueOutbox(tx, {
          kind: "UPSTREAM_REQUEST",
          type: "message.create",
          connectionId: link.connectionId,
          ticketId: row.ticketId,
          orderingKey: upstreamOrderingKey(link.connectionId, row.ticketId),
          payload: { messageId },
        });
      }
    }),
  );
}

async function deliverMessage(ctx: Context) {
  const { messageId } = ZMessagePayload.parse(ctx.row.payload);
  const guid = await requireGuid(ctx);
  const [ticket, policy, entries] = await Promise.all([
    findTicketForSharing(ctx.db, ctx.row.ticketId),
    getSharingPolicy(ctx.db, ctx.link.connectionId),
    findPublicEntriesForSharing(ctx.db, ctx.row.ticketId, [messageId]),
  ]);
  if (!ticket || entries.length === 0) throw new ProtocolCallError("the message is not a public reply (never forwarded)", null, null, false);
  // Later replies pass through the same policy; their files follow its default.
  const shared = entries.map((e) => shareMessage(policy, knownContactsOf(ticket), e, () => policy.forwardFilesByDefault));
  const parts = await wireMessages(ctx, shared);
  ctx.carried = { messageIds: [messageId], maskedMessageIds: parts.some((p) => p.masked) ? [messageId] : [] };
  // Each part is idempotent on its externalMessageId, so a retry after a partial success is safe.
  for (const part of parts) await ctx.client.postMessage(guid, part.message);
}

async function deliverStateRequest(ctx: Context, which: "escalate" | "close") {
  const guid = await requireGuid(ctx);
  const answer = which === "escalate" ? await ctx.client.escalate(guid, {}) : await ctx.client.close(guid, {});
  await reportLinkState(ctx.db, { ...ctx.link }, answer.state);
}

/** R7: an upstream file becomes downloadable only with bytes we fetched and checked against its hash. */
async function fetchAttachment(ctx: Context) {
  const { attachmentId } = ZAttachmentFetchPayload.parse(ctx.row.payload);
  const file = await findAttachmentToFetch(ctx.db, attachmentId);
  const sha256 = file && file.ticketId === ctx.row.ticketId ? remoteFileHash(file.storageKey) : null;
  if (!file || !sha256) return; // gone, or already fetched
  const bytes = await ctx.client.getAttachment(await requireGuid(ctx), sha256);
  if (sha256Hex(bytes) !== sha256) throw new ProtocolCallError("GET attachment: the bytes do not match the file's sha256", null, null, false);
  const key = await ctx.deps.files.put(bytes);
  await recordFetchedAttachment(ctx.db, file.id, file.storageKey, key);
}

async function requireGuid(ctx: Context): Promise<string> {
  if (ctx.link.guid) return ctx.link.guid;
  if (await hasPendingOutbox(ctx.db, ctx.row.ticketId, "ticket.create")) throw new NoGuidYet();
  throw new ProtocolCallError("the upstream never acknowledged this ticket's escalation: redeliver its create first", null, null, false);
}

type StoredFile = { id: number; fileName: string; mimeType: string; size: number; storageKey: string };

async function wireMessages(ctx: Context, shared: SharedMessage<StoredFile>[]): Promise<{ messageId: number; masked: boolean; message: NewUpstreamMessage }[]> {
  const out: { messageId: number; masked: boolean; message: NewUpstreamMessage }[] = [];
  for (const m of shared) {
    const parts = await toUpstreamMessages(m, ctx.deps.files);
    for (const message of parts.messages) out.push({ messageId: m.messageId, masked: messageWasMasked(m), message });
    if (parts.skippedFiles > 0) logger.warn({ ticketId: ctx.row.ticketId, messageId: m.messageId, skipped: parts.skippedFiles }, "attachments not forwarded upstream");
  }
  return out;
}

/** §8: what each failure means for this entry, the ticket and the connection. */
async function onCallError(ctx: Context, e: ProtocolCallError): Promise<DeliveryOutcome> {
  const { db, connection } = ctx;
  if (e.status === 410 || e.code === "partner_disabled") {
    // 410: the partnership is gone — pause the connection so nothing else is sent into the void.
    await recordConnectionStatus(db, connection.id, { lastError: `${new Date().toISOString()} ${e.message}`, ...(e.status === 410 ? { enabled: false } : {}) });
    return dead(e.message);
  }
  if (e.code === "upstream_closed" || e.code === "ticket_finished") {
    // Final, not retried: the upstream's state moved under us; learn it now rather than at the next round.
    await syncLink(db, ctx.client, { ticketId: ctx.row.ticketId }).catch(() => null);
    return dead(`${e.message} (the ticket was synced)`);
  }
  return { ok: false, retryable: e.retryable, error: e.message, ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}) };
}
