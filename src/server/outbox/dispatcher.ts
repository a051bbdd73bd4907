// One delivery round: lease due outbox rows, hand each to its kind's handler, record the outcome
// (delivered, retry later with backoff, or dead letter). Safe with any number of concurrent
// rounds in any number of processes: rows are leased under FOR UPDATE SKIP LOCKED, and an outcome is
// only written while the lease is still ours.
import type { Db } from "../db/client.ts";
import { inTransaction } from "../db/transaction.ts";
import { claimDueOutbox, deferOutbox, markOutboxDead, markOutboxDelivered, scheduleOutboxRetry, type ClaimedRow } from "../db/repos/outbox.ts";
import { insertTicketEvent } from "../db/repos/tickets.ts";
import { DELIVERY_DEAD_ACTION } from "../domain/notifications.ts";
import { logger, safeError } from "../logger.ts";
import { deliverChatMessage } from "../notifications/chat/chat-delivery.ts";
import { notificationDepsOf, type NotificationDeps } from "../notifications/deps.ts";
import { deliverNotificationEmail } from "../notifications/email-delivery.ts";
import { deliverPartnerCallback } from "../partners/outbox-handler.ts";
import type { UpstreamDeps } from "../upstream/deps.ts";
import { deliverUpstreamRequest } from "../upstream/outbox-handler.ts";
import { nextAttemptAt } from "./backoff.ts";
import type { DeliveryOutcome } from "./types.ts";

/** Longer than a request's 10 s timeout plus the answer's transaction: a live worker never loses its lease. */
export const LEASE_MS = 60_000;

export type DispatchOptions = { limit?: number; now?: () => Date; random?: () => number; retryBaseMs?: number };
export type RoundResult = { claimed: number; delivered: number; retried: number; dead: number };

/** What the handlers need; notification deps default to ones derived from the upstream deps. */
export type DeliveryDeps = UpstreamDeps & { notifications?: NotificationDeps };

export async function dispatch(db: Db, deps: DeliveryDeps, row: ClaimedRow): Promise<DeliveryOutcome> {
  switch (row.kind) {
    case "UPSTREAM_REQUEST":
      return deliverUpstreamRequest(db, deps, row);
    case "PARTNER_CALLBACK":
      return deliverPartnerCallback(db, row);
    case "NOTIFY_EMAIL":
      return deliverNotificationEmail(db, notificationDepsOf(deps), row);
    case "NOTIFY_CHAT":
      return deliverChatMessage(db, notificationDepsOf(deps), row);
  }
}

export async function deliverDueOutbox(db: Db, deps: DeliveryDeps, options: DispatchOptions = {}): Promise<RoundResult> {
  const now = options.now ?? (() => new Date());
  const start = now();
  const rows = await claimDueOutbox(db, start, new Date(start.getTime() + LEASE_MS), options.limit ?? 20);
  const result: RoundResult = { claimed: rows.length, delivered: 0, retried: 0, dead: 0 };
  for (const row of rows) {
    const outcome = await attempt(db, deps, row);
    await record(db, row, outcome, now(), options, result);
  }
  return result;
}

async function attempt(db: Db, deps: DeliveryDeps, row: ClaimedRow): Promise<DeliveryOutcome> {
  try {
    return await dispatch(db, deps, row);
  } catch (e) {
    // A bug or a database hiccup in a handler: retried with backoff like a network error, never lost.
    logger.error({ outboxId: row.id, type: row.type, err: safeError(e) }, "outbox handler failed");
    return { ok: false, retryable: true, error: `internal error (${safeError(e).name ?? "Error"})` };
  }
}

async function record(db: Db, row: ClaimedRow, outcome: DeliveryOutcome, now: Date, options: DispatchOptions, result: RoundResult) {
  if (outcome.ok) {
    if (await markOutboxDelivered(db, row, now)) result.delivered++;
    return;
  }
  if ("deferUntil" in outcome) {
    if (await deferOutbox(db, row, outcome.deferUntil)) result.retried++;
    return;
  }
  const at = outcome.retryable ? nextAttemptAt(row.attempts + 1, now, outcome.retryAfterMs, options.random, options.retryBaseMs) : null;
  if (at) {
    if (await scheduleOutboxRetry(db, row, at, outcome.error)) result.retried++;
    return;
  }
  const error = outcome.retryable ? `gave up after ${row.attempts + 1} attempts: ${outcome.error}` : outcome.error;
  if (await markDead(db, row, error)) result.dead++;
  logger.warn({ outboxId: row.id, kind: row.kind, type: row.type, ticketId: row.ticketId, error }, "outbox entry dead-lettered");
}

/**
 * A dead letter also goes on its ticket's audit trail, in the same transaction: the super admins
 * hear of it through the notification fan-out like of any other event.
 */
async function markDead(db: Db, row: ClaimedRow, error: string): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    if (!(await markOutboxDead(tx, row, error))) return false;
    if (row.ticketId !== null) {
      await insertTicketEvent(tx, {
        ticketId: row.ticketId,
        action: DELIVERY_DEAD_ACTION,
        actorKind: "SYSTEM",
        data: { outboxId: row.id, outboxKind: row.kind, type: row.type, error: error.slice(0, 300) },
      });
    }
    return true;
  });
}
