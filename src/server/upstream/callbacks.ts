// The upstream's callbacks (§7), received: the protocol frame (size → connection → clock → body →
// signature → replay) → link (404) → schema → inbox → apply. Nothing is stored before the
// signature holds.
import type { Db, Tx } from "../db/client.ts";
import { inTransaction } from "../db/transaction.ts";
import { insertInboxEvent, insertInboxEventOnce, listUnprocessedInboxEvents, markInboxEvent } from "../db/repos/inbox.ts";
import { findConnectionWithSecret, findLinkForCallback, type ConnectionWithSecret } from "../db/repos/upstream.ts";
import { isUniqueViolation } from "../errors.ts";
import { logger, safeError } from "../logger.ts";
import { applyUpstreamEventOnce, applyUpstreamMessage, inboxSource, recordGuid, type LinkRef } from "../services/upstream-apply.ts";
import { createSecretBox } from "../crypto/secret-box.ts";
import { ProtocolError } from "../protocol/errors.ts";
import { openSignedRequest, parseJsonValue, validate } from "../protocol/inbound-frame.ts";
import { MAX_CALLBACK_BODY_BYTES, ZCallbackEvent, type CallbackEvent } from "../protocol/schemas.ts";
import { inTicketTurn, isContention, retryOnContention } from "../services/contention.ts";

const CONNECTION_ID = /^\d{1,9}$/;

/** §4: the connection's secret, and the previous one while its grace lasts (the upstream still signs with it). */
export function connectionSecrets(authSecret: string, connection: ConnectionWithSecret, now: Date): string[] {
  const box = createSecretBox(authSecret);
  const secrets = [box.open(connection.secretEncrypted)];
  if (connection.previousSecretEncrypted && connection.previousSecretExpiresAt && connection.previousSecretExpiresAt > now) {
    secrets.push(box.open(connection.previousSecretEncrypted));
  }
  return secrets;
}

/**
 * The downstream role's door: the protocol frame with the upstream connection named in the URL as
 * the counterpart. Refusals throw ProtocolError (answered by the caller); a duplicate eventId
 * is answered 200 and changes nothing.
 */
export async function handleUpstreamCallback(db: Db, deps: { authSecret: string }, connectionIdText: string, request: Request, now = new Date()): Promise<{ status: number; body: CallbackAnswerBody }> {
  const { counterpart: connection, rawBody } = await openSignedRequest(request, {
    db,
    maxBodyBytes: MAX_CALLBACK_BODY_BYTES,
    now,
    door: `upstream:${connectionIdText}`,
    // Unknown connection, foreign partner or key: one answer for all, so probing learns nothing (§3).
    lookup: async ({ partnerId, keyId }) => {
      const connection = CONNECTION_ID.test(connectionIdText) ? await findConnectionWithSecret(db, Number(connectionIdText)) : null;
      if (!connection || connection.partnerId !== partnerId || connection.keyId !== keyId) return null;
      return { counterpart: connection, secrets: () => connectionSecrets(deps.authSecret, connection, now) };
    },
  });
  const log = { connectionId: connection.id };
  const json = parseJsonValue(rawBody);

  // §7.4: not (yet) one of our escalated tickets at this upstream → 404 (the upstream retries),
  // asked before the body is judged, as at the other door.
  const ids = json as { externalId?: unknown; guid?: unknown } | null;
  const externalId = typeof ids?.externalId === "string" ? ids.externalId : "";
  const link = CONNECTION_ID.test(externalId) ? await findLinkForCallback(db, connection.id, Number(externalId)) : null;
  if (!link || (link.guid !== null && link.guid !== ids?.guid)) throw new ProtocolError("not_found", "No escalated ticket with this externalId and guid.");
  const event = validate(ZCallbackEvent, json);

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

export type CallbackAnswerBody = { ok: true; duplicate?: boolean } | { ok: true; queued: true };

/** Inbox row and its effects in one transaction: either both happen or neither. Returns true for a duplicate. */
async function storeAndApply(tx: Tx, link: LinkRef, event: CallbackEvent): Promise<boolean> {
  const source = inboxSource(link.connectionId);
  if (!(await insertInboxEventOnce(tx, { source, eventId: event.eventId, type: event.type, payload: event, processedAt: new Date() }))) return true;
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
