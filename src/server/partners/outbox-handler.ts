import type { Db } from "../db/client.ts";
import { findPartnerCredentials, type PartnerCredentials } from "../db/repos/partners.ts";
import { getInstanceSecretBox, type SecretBox } from "../crypto/secret-box.ts";
import type { DeliveryOutcome, OutboxRow } from "../outbox/types.ts";
import { MAX_CALLBACK_BODY_BYTES, ZCallbackEvent } from "../protocol/schemas.ts";
import { ProtocolCallError, sendSigned } from "../protocol/outbound-sender.ts";

// Sends one signed callback to a partner through the protocol's outbound sender. The shared
// outbox worker calls it, and owns retries, backoff and the dead-letter list.

/**
 * During a rotation's grace period callbacks stay signed with the previous secret: the partner
 * may not have installed the new one yet, and it verifies with both until the period ends (§4).
 */
export function callbackSigningSecret(partner: PartnerCredentials, box: SecretBox, now: Date): string {
  const inGrace = partner.previousSecretEncrypted && partner.previousSecretExpiresAt && partner.previousSecretExpiresAt > now;
  return box.open(inGrace ? partner.previousSecretEncrypted! : partner.secretEncrypted);
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
  try {
    const res = await sendSigned({ direction: "callback", url, method: "POST", body, credentials: { partnerId: partner.partnerId, keyId: partner.keyId, secret }, now });
    await res.body?.cancel().catch(() => {});
    return { ok: true };
  } catch (e) {
    if (!(e instanceof ProtocolCallError)) throw e;
    return { ok: false, retryable: e.retryable, error: e.message, ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}) };
  }
}
