/** One outbox row as a delivery handler receives it. */
export type OutboxRow = {
  id: number;
  kind: "UPSTREAM_REQUEST" | "PARTNER_CALLBACK" | "NOTIFY_EMAIL" | "NOTIFY_CHAT";
  type: string;
  connectionId: number | null;
  partnerId: number | null;
  ticketId: number | null;
  orderingKey: string;
  payload: unknown;
  attempts: number;
  createdAt: Date;
};

/**
 * What a delivery attempt came to. `retryable` failures are tried again with backoff (5xx, 408,
 * timeouts, 429 with `retryAfterMs`); the others go to the dead-letter list at once (4xx that
 * resending cannot fix). `deferUntil` is not an attempt at all: the receiver must not be called
 * yet (a chat robot's rate window is full), so the row waits without spending its attempts.
 */
export type DeliveryOutcome =
  | { ok: true }
  | { ok: false; retryable: boolean; error: string; retryAfterMs?: number }
  | { ok: false; deferUntil: Date; reason: string };
