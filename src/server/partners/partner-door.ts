import type { Db } from "../db/client.ts";
import { findPartnerCredentialsByPartnerId, type PartnerCredentials } from "../db/repos/partners.ts";
import type { SecretBox } from "../crypto/secret-box.ts";
import type { BlobStore } from "../storage/blob-store.ts";
import type { RateLimits } from "../rate-limits.ts";
import { ProtocolError } from "../protocol/errors.ts";
import { errorResponse, openSignedRequest, type SigningCounterpart } from "../protocol/inbound-frame.ts";
import { MAX_BODY_BYTES } from "../protocol/schemas.ts";
import type { AuthenticatedPartner } from "./partner-inbound.ts";

// The upstream role's door: the protocol frame with a partner as the counterpart, then what only
// this side has — a disabled partner (403) and the per-partner rate limit (429), §3 step 5.

export type ProtocolEnv = {
  db: Db;
  box: SecretBox;
  store: BlobStore;
  /** The shared limits (database or Redis); only the partner allowance is used here. */
  limits: Pick<RateLimits, "take">;
  /** Tests shorten the change feed's settle window (partner-reads.ts). */
  changeSettleMs?: number;
  now?: () => Date;
};

export type EndpointContext = {
  env: ProtocolEnv;
  partner: AuthenticatedPartner;
  rawBody: Uint8Array;
  url: URL;
  params: Record<string, string>;
};

export type ProtocolHandler = (req: Request, env: ProtocolEnv, params?: Record<string, string>) => Promise<Response>;

/** Current secret first; the previous one only while its grace period lasts (§4). */
function partnerCounterpart(partner: PartnerCredentials, box: SecretBox, now: Date): SigningCounterpart<PartnerCredentials> {
  return {
    counterpart: partner,
    secrets: () => {
      const secrets = [box.open(partner.secretEncrypted)];
      if (partner.previousSecretEncrypted && partner.previousSecretExpiresAt && partner.previousSecretExpiresAt > now) {
        secrets.push(box.open(partner.previousSecretEncrypted));
      }
      return secrets;
    },
  };
}

async function authenticate(req: Request, env: ProtocolEnv, now: Date) {
  const opened = await openSignedRequest(req, {
    db: env.db,
    maxBodyBytes: MAX_BODY_BYTES,
    now,
    door: "partner",
    lookup: async ({ partnerId, keyId }) => {
      const partner = await findPartnerCredentialsByPartnerId(env.db, partnerId);
      return partner && partner.keyId === keyId ? partnerCounterpart(partner, env.box, now) : null;
    },
  });
  const partner = opened.counterpart;
  if (!partner.enabled) throw new ProtocolError("partner_disabled", "This partner is disabled at the upstream.");
  const allowance = await env.limits.take("partner", String(partner.id));
  if (!allowance.ok) {
    throw new ProtocolError("rate_limited", "Too many requests; retry after the Retry-After delay.", undefined, allowance.retryAfterSeconds);
  }
  const who: AuthenticatedPartner = { id: partner.id, partnerId: partner.partnerId, name: partner.name, allowedTypes: partner.allowedTypes };
  return { partner: who, rawBody: opened.rawBody, url: opened.url };
}

/** Wraps an endpoint in the door above; every refusal is the protocol's JSON, never a stack trace. */
export function protocolEndpoint(run: (ctx: EndpointContext) => Promise<Response>): ProtocolHandler {
  return async (req, env, params = {}) => {
    try {
      const { partner, rawBody, url } = await authenticate(req, env, env.now?.() ?? new Date());
      return await run({ env, partner, rawBody, url, params });
    } catch (e) {
      return errorResponse(e, req);
    }
  };
}
