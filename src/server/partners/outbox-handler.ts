import type { Db } from "../db/client.ts";
import { findPartnerCredentials, type PartnerCredentials } from "../db/repos/partners.ts";
import { getInstanceSecretBox, type SecretBox } from "../crypto/secret-box.ts";
import type { DeliveryOutcome, OutboxRow } from "../outbox/types.ts";
import { MAX_CALLBACK_BODY_BYTES, ZCallbackEvent } from "../protocol/schemas.ts";
import { signedHeaders } from "../protocol/signature.ts";

// Owned by the upstream-role feature (issue 7): sends one signed callback to a partner. The
// shared outbox worker calls it, and owns retries, backoff and the dead-letter list.

export const CALLBACK_TIMEOUT_MS = 10_000;
const MAX_RETRY_AFTER_MS = 3600_000;

/**
 * During a rotation's grace period callbacks stay signed with the previous secret: the partner
 * may not have installed the new one yet, and it verifies with both until the period ends (§4).
 */
export function callbackSigningSecret(partner: PartnerCredentials, box: SecretBox, now: Date): string {
  const inGrace = partner.previousSecretEncrypted && partner.previousSecretExpiresAt && partner.previousSecretExpiresAt > now;
  return box.open(inGrace ? partner.previousSecretEncrypted! : partner.secretEncrypted);
}

/** Retry-After as seconds or an HTTP date, capped at an hour (§11). */
export function parseRetryAfter(value: string | null, now: Date): number | undefined {
  if (!value) return undefined;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value) * 1000 : Date.parse(value) - now.getTime();
  return Number.isFinite(seconds) ? Math.min(Math.max(seconds, 0), MAX_RETRY_AFTER_MS) : undefined;
}

/** What the protocol says a sender does with each answer (§7, §8, §11). */
export function classifyCallbackResponse(status: number, code: string | undefined, retryAfterMs: number | undefined): DeliveryOutcome {
  if (status >= 200 && status < 300) return { ok: true };
  const error = `HTTP ${status}${code ? ` ${code}` : ""}`;
  if (status === 429) return { ok: false, retryable: true, error, retryAfterMs };
  // 404: the partner may not have committed the ticket whose create we answered yet (§7.4).
  // 401: a secret rotation may be under way on its side.
  if (status === 408 || status >= 500 || status === 404 || status === 401) return { ok: false, retryable: true, error };
  // 410 Gone: the partnership no longer exists there; other 4xx: resending cannot fix it.
  return { ok: false, retryable: false, error };
}

async function errorCodeOf(res: Response): Promise<string | undefined> {
  try {
    const text = (await res.text()).slice(0, 2000);
    const code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code;
    return typeof code === "string" ? code.slice(0, 40) : undefined;
  } catch {
    return undefined;
  }
}

export async function deliverPartnerCallback(db: Db, message: OutboxRow, box?: SecretBox): Promise<DeliveryOutcome> {
  const event = ZCallbackEvent.safeParse(message.payload);
  // Our own bug: resending the same payload cannot fix it, so it goes to the dead letters at once.
  if (!event.success) return { ok: false, retryable: false, error: "invalid callback payload" };
  if (message.partnerId === null) return { ok: false, retryable: false, error: "no partner on the outbox row" };
  const partner = await findPartnerCredentials(db, message.partnerId);
  if (!partner) return { ok: false, retryable: false, error: "partner deleted" };
  // Held, not sent: once re-enabled, the next attempt (or a redelivery) goes out.
  if (!partner.enabled) return { ok: false, retryable: true, error: "partner disabled" };

  const body = JSON.stringify(message.payload);
  if (Buffer.byteLength(body) > MAX_CALLBACK_BODY_BYTES) return { ok: false, retryable: false, error: "callback body over 1 MiB" };
  let url: URL;
  try {
    url = new URL(partner.callbackUrl);
  } catch {
    return { ok: false, retryable: false, error: "invalid callback URL" };
  }
  const now = new Date();
  let secret: string;
  try {
    secret = callbackSigningSecret(partner, box ?? (await getInstanceSecretBox()), now);
  } catch {
    return { ok: false, retryable: false, error: "partner secret cannot be opened (AUTH_SECRET changed?)" };
  }
  const headers = signedHeaders({
    partnerId: partner.partnerId,
    keyId: partner.keyId,
    secret,
    method: "POST",
    pathWithQuery: url.pathname + url.search,
    body,
    now,
  });

  let res: Response;
  try {
    res = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS), redirect: "manual" });
  } catch (e) {
    const timedOut = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError");
    // Never the URL's query or any header in the error: only what kind of failure it was.
    return { ok: false, retryable: true, error: timedOut ? "timeout after 10 s" : `network error: ${e instanceof Error ? e.message.slice(0, 200) : "unknown"}` };
  }
  const code = res.ok ? undefined : await errorCodeOf(res);
  if (res.ok) await res.body?.cancel().catch(() => {});
  return classifyCallbackResponse(res.status, code, parseRetryAfter(res.headers.get("retry-after"), now));
}
