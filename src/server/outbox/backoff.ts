// Retry timing for outbox deliveries (docs/UPSTREAM_PROTOCOL.md §11, docs/ESCALATION.md). Pure.

export const RETRY_POLICY = {
  /** First retry after ~30 s, doubling each time … */
  baseMs: 30_000,
  /** … never more than an hour apart. */
  capMs: 3_600_000,
  /** After this many attempts the delivery is dead-lettered (the last ~2.5–5 h after the first). */
  maxAttempts: 12,
} as const;

/**
 * The wait before attempt `attempts + 1`, given `attempts` already made (≥ 1). The random factor
 * in [0.5, 1] spreads senders out so a receiver coming back is not hit by all of them at once.
 */
export function backoffDelayMs(attempts: number, random: () => number = Math.random, baseMs: number = RETRY_POLICY.baseMs): number {
  const exponential = baseMs * 2 ** Math.max(0, attempts - 1);
  const capped = Math.min(RETRY_POLICY.capMs, exponential);
  return Math.round(capped * (0.5 + 0.5 * random()));
}

/** 429's Retry-After: seconds or an HTTP date; capped at an hour; undefined when unusable. */
export function parseRetryAfterMs(value: string | null | undefined, now: Date = new Date()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now.getTime();
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(RETRY_POLICY.capMs, Math.max(0, ms));
}

/** When to try next after a retryable failure; null = give up (dead letter). */
export function nextAttemptAt(
  attemptsMade: number,
  now: Date,
  retryAfterMs?: number,
  random: () => number = Math.random,
  /** RELAYDESK_RETRY_BASE_MS; tests shorten it so a restart is not a half-minute wait. */
  baseMs: number = RETRY_POLICY.baseMs,
): Date | null {
  if (attemptsMade >= RETRY_POLICY.maxAttempts) return null;
  // A 429 says when the receiver wants us back; never earlier, but jittered backoff may be later.
  const delay = Math.max(backoffDelayMs(attemptsMade, random, baseMs), retryAfterMs ?? 0);
  return new Date(now.getTime() + delay);
}
