// The upstream's callbacks (§7), received: limit → connection → signature → schema → inbox → apply.
// Every refusal is a protocol error body (§8) with a 4xx; nothing is stored before the signature
// holds, and a duplicate eventId is answered 200 and changes nothing.
import type { Db, Tx } from "../db/client.ts";
import { inTransaction } from "../db/transaction.ts";
import { findInboxEvent, insertInboxEvent, listUnprocessedInboxEvents, markInboxEvent } from "../db/repos/inbox.ts";
import { findConnectionWithSecret, findLinkForCallback, type ConnectionWithSecret } from "../db/repos/upstream.ts";
import { isUniqueViolation } from "../errors.ts";
import { logger, safeError } from "../logger.ts";
import { applyUpstreamEventOnce, applyUpstreamMessage, inboxSource, recordGuid, type LinkRef } from "./apply.ts";
import { decryptSecret } from "./secret-box.ts";
import { SIGNATURE_HEADERS, verifyRequest, type HeaderReader } from "../protocol/signature.ts";
import { HTTP_STATUS_FOR_ERROR, ZCallbackEvent, errorCodeForVerifyFailure, type CallbackEvent, type ProtocolErrorBody, type ProtocolErrorCode } from "../protocol/schemas.ts";
import { inTicketTurn, isContention, retryOnContention } from "../services/contention.ts";

export type CallbackRequest = {
  method: string;
  /** Path and query as received: what the sender signed. */
  pathWithQuery: string;
  headers: HeaderReader;
  /** The bytes as received; null when the body was over MAX_CALLBACK_BODY_BYTES (not read further). */
  rawBody: Uint8Array | null;
};
export type CallbackAnswer = { status: number; body: ProtocolErrorBody | { ok: true; duplicate?: boolean } | { ok: true; queued: true } };

function refuse(code: ProtocolErrorCode, message: string, context: Record<string, unknown>, issues?: { path: string; message: string }[]): CallbackAnswer {
  logger.warn({ ...context, code }, "upstream callback refused");
  return { status: HTTP_STATUS_FOR_ERROR[code], body: { error: { code, message, ...(issues ? { issues } : {}) } } };
}

export async function handleUpstreamCallback(db: Db, deps: { authSecret: string }, connectionIdText: string, request: CallbackRequest): Promise<CallbackAnswer> {
  const log = { connectionId: connectionIdText };
  if (request.rawBody === null) return refuse("payload_too_large", "callback body over 1 MiB", log);

  // Unknown connection, foreign partner or key: one answer for all, so probing learns nothing (§3).
  const connection = /^\d{1,9}$/.test(connectionIdText) ? await findConnectionWithSecret(db, Number(connectionIdText)) : null;
  const header = (name: string) => request.headers.get(name)?.trim();
  if (!connection || header(SIGNATURE_HEADERS.partnerId) !== connection.partnerId || header(SIGNATURE_HEADERS.keyId) !== connection.keyId) {
    return refuse("invalid_signature", "invalid signature", log);
  }
  const secret = openSecret(deps.authSecret, connection);
  if (!secret) return refuse("invalid_signature", "invalid signature", { ...log, detail: "stored secret unreadable" });
  const verified = verifyRequest({ headers: request.headers, method: request.method, pathWithQuery: request.pathWithQuery, rawBody: request.rawBody, secrets: [secret] });
  if (!verified.ok) return refuse(errorCodeForVerifyFailure(verified.code), verified.code === "stale_timestamp" ? "timestamp outside 300 s" : "invalid signature", log);

  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(request.rawBody).toString("utf8"));
  } catch {
    return refuse("validation_failed", "body is not JSON", log);
  }
  const parsed = ZCallbackEvent.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.join("."), message: i.message }));
    return refuse("validation_failed", "callback does not match the protocol", log, issues);
  }
  const event = parsed.data;

  // §7.4: not (yet) one of our escalated tickets at this upstream → 404, and the upstream retries.
  const link = /^\d{1,9}$/.test(event.externalId) ? await findLinkForCallback(db, connection.id, Number(event.externalId)) : null;
  if (!link || (link.guid !== null && link.guid !== event.guid)) {
    return refuse("not_found", "no escalated ticket with this externalId and guid", { ...log, eventId: event.eventId });
  }

  try {
    const duplicate = await inTicketTurn(link.ticketId, () => retryOnContention(() => inTransaction(db, (tx) => storeAndApply(tx, link, event))));
    return { status: 200, body: duplicate ? { ok: true, duplicate: true } : { ok: true } };
  } catch (e) {
    // Signed and valid, so keep it: answer 202 and let the worker apply it (the upstream need not resend).
    // A ticket too busy to take it now is normal (a warning); anything else is a fault.
    const context = { ...log, eventId: event.eventId, err: safeError(e) };
    if (isContention(e)) logger.warn(context, "upstream callback stored; ticket busy, the worker applies it");
    else logger.error(context, "upstream callback stored but not applied");
    await insertInboxEvent(db, { source: inboxSource(connection.id), eventId: event.eventId, type: event.type, payload: event, error: "apply failed; retried by the worker" }).catch(
      (insertError: unknown) => {
        if (!isUniqueViolation(insertError)) throw insertError;
      },
    );
    return { status: 202, body: { ok: true, queued: true } };
  }
}

/** Inbox row and its effects in one transaction: either both happen or neither. Returns true for a duplicate. */
async function storeAndApply(tx: Tx, link: LinkRef, event: CallbackEvent): Promise<boolean> {
  const source = inboxSource(link.connectionId);
  if (await findInboxEvent(tx, source, event.eventId)) return true;
  await insertInboxEvent(tx, { source, eventId: event.eventId, type: event.type, payload: event, processedAt: new Date() });
  await applyCallback(tx, { ...link }, event);
  return false;
}

async function applyCallback(tx: Tx, link: LinkRef, event: CallbackEvent) {
  // A callback can overtake our create's answer (§7: matched by externalId); it is signed, so its GUID is good.
  if (link.guid === null) await recordGuid(tx, link, event.guid, link.state);
  if (event.type === "message.created") {
    await applyUpstreamMessage(tx, link, event.data);
  } else {
    await applyUpstreamEventOnce(tx, link, { id: event.eventId, type: event.type, occurredAt: event.occurredAt, data: event.data }, true);
  }
}

function openSecret(authSecret: string, connection: ConnectionWithSecret): string | null {
  try {
    return decryptSecret(authSecret, connection.secretEncrypted);
  } catch {
    return null;
  }
}

/**
 * Callbacks that were stored (and answered) but whose apply failed: tried again by the worker,
 * for a day; after that they stay in the inbox with their error for someone to look at.
 */
export async function retryStoredCallbacks(db: Db, now = new Date()): Promise<number> {
  let applied = 0;
  for (const row of await listUnprocessedInboxEvents(db, "upstream:", new Date(now.getTime() - 24 * 3600_000), 50)) {
    const parsed = ZCallbackEvent.safeParse(row.payload);
    const connectionId = Number(row.source.slice("upstream:".length));
    const link = parsed.success && /^\d{1,9}$/.test(parsed.data.externalId) ? await findLinkForCallback(db, connectionId, Number(parsed.data.externalId)) : null;
    if (!parsed.success || !link) {
      await markInboxEvent(db, row.id, { processedAt: now, error: "not applicable: malformed or no linked ticket" });
      continue;
    }
    try {
      await retryOnContention(() =>
        inTransaction(db, async (tx) => {
          await applyCallback(tx, { ...link }, parsed.data);
          await markInboxEvent(tx, row.id, { processedAt: now, error: null });
        }),
      );
      applied++;
    } catch (e) {
      await markInboxEvent(db, row.id, { error: `apply failed: ${safeError(e).message ?? "unknown"}`.slice(0, 1000) });
    }
  }
  return applied;
}
