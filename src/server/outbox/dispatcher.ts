// One delivery round: lease due outbox rows, hand each to its kind's handler, record the outcome
// (delivered, retry later with backoff, or dead letter). Safe with any number of concurrent
// rounds in any number of processes: rows are leased under FOR UPDATE SKIP LOCKED, and an outcome is
// only written while the lease is still ours.
import type { Db } from "../db/client.ts";
import { claimDueOutbox, markOutboxDead, markOutboxDelivered, scheduleOutboxRetry, type ClaimedRow } from "../db/repos/outbox.ts";
import { logger, safeError } from "../logger.ts";
import { deliverPartnerCallback } from "../partners/outbox-handler.ts";
import type { UpstreamDeps } from "../upstream/deps.ts";
import { deliverUpstreamRequest } from "../upstream/outbox-handler.ts";
import { nextAttemptAt } from "./backoff.ts";
import type { DeliveryOutcome, OutboxRow } from "./types.ts";

/** Longer than a request's 10 s timeout plus the answer's transaction: a live worker never loses its lease. */
export const LEASE_MS = 60_000;

export type DispatchOptions = { limit?: number; now?: () => Date; random?: () => number };
export type RoundResult = { claimed: number; delivered: number; retried: number; dead: number };

export async function dispatch(db: Db, deps: UpstreamDeps, row: OutboxRow): Promise<DeliveryOutcome> {
  switch (row.kind) {
    case "UPSTREAM_REQUEST":
      return deliverUpstreamRequest(db, deps, row);
    case "PARTNER_CALLBACK":
      return deliverPartnerCallback(db, row);
  }
}

export async function deliverDueOutbox(db: Db, deps: UpstreamDeps, options: DispatchOptions = {}): Promise<RoundResult> {
  const now = options.now ?? (() => new Date());
  const start = now();
  const rows = await claimDueOutbox(db, start, new Date(start.getTime() + LEASE_MS), options.limit ?? 20);
  const result: RoundResult = { claimed: rows.length, delivered: 0, retried: 0, dead: 0 };
  for (const row of rows) {
    const outcome = await attempt(db, deps, row);
    await record(db, row, outcome, now(), options.random, result);
  }
  return result;
}

async function attempt(db: Db, deps: UpstreamDeps, row: ClaimedRow): Promise<DeliveryOutcome> {
  try {
    return await dispatch(db, deps, row);
  } catch (e) {
    // A bug or a database hiccup in a handler: retried with backoff like a network error, never lost.
    logger.error({ outboxId: row.id, type: row.type, err: safeError(e) }, "outbox handler failed");
    return { ok: false, retryable: true, error: `internal error (${safeError(e).name ?? "Error"})` };
  }
}

async function record(db: Db, row: ClaimedRow, outcome: DeliveryOutcome, now: Date, random: (() => number) | undefined, result: RoundResult) {
  if (outcome.ok) {
    if (await markOutboxDelivered(db, row, now)) result.delivered++;
    return;
  }
  const at = outcome.retryable ? nextAttemptAt(row.attempts + 1, now, outcome.retryAfterMs, random) : null;
  if (at) {
    if (await scheduleOutboxRetry(db, row, at, outcome.error)) result.retried++;
    return;
  }
  const error = outcome.retryable ? `gave up after ${row.attempts + 1} attempts: ${outcome.error}` : outcome.error;
  if (await markOutboxDead(db, row, error)) result.dead++;
  logger.warn({ outboxId: row.id, kind: row.kind, type: row.type, ticketId: row.ticketId, error }, "outbox entry dead-lettered");
}
