import type { Db } from "../db/client.ts";
import type { DeliveryOutcome, OutboxRow } from "../outbox/types.ts";

// Owned by the upstream-role feature (issue 7): sends one signed callback to a partner.
export async function deliverPartnerCallback(_db: Db, _message: OutboxRow): Promise<DeliveryOutcome> {
  return { ok: false, retryable: true, error: "partner callbacks not wired yet" };
}
