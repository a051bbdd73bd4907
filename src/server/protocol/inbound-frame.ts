import type { z } from "zod";
import type { Db } from "../db/client.ts";
import { findPartnerCredentialsByPartnerId, type PartnerCredentials } from "../db/repos/partners.ts";
import type { SecretBox } from "../crypto/secret-box.ts";
import type { BlobStore } from "../storage/blob-store.ts";
import { logger, safeError } from "../logger.ts";
import type { RateLimiter } from "../rate-limit.ts";
import { MAX_BODY_BYTES, errorCodeForVerifyFailure } from "./schemas.ts";
import { SIGNATURE_HEADERS, verifyRequest } from "./signature.ts";
import { readBodyWithin } from "../http/read-body.ts";
import { ProtocolError } from "./errors.ts";
import type { AuthenticatedPartner } from "../partners/partner-inbound.ts";

// The HTTP frame shared by every protocol endpoint: capped body → authentication in the order
// of protocol §3 → rate limit → the endpoint → a JSON answer. Never a stack trace.

export type ProtocolEnv = {
  db: Db;
  box: SecretBox;
  store: BlobStore;
  limiter: RateLimiter;
  /** The limiter's window, for Retry-After. */
  rateWindowSeconds: number;
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

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...headers },
  });
}

/** Reads at most `max` bytes; a larger body is refused without being read to the end (§3 step 1). */
export async function readCappedBody(req: Request, max: number = MAX_BODY_BYTES): Promise<Uint8Array> {
  const body = await readBodyWithin(req, max);
  if (!body) throw new ProtocolError("payload_too_large", `Request body over ${max} bytes.`);
  return body;
}

/** Current secret first; the previous one only while its grace period lasts (§4). */
function secretsOf(partner: PartnerCredentials, box: SecretBox, now: Date): string[] {
  const secrets = [box.open(partner.secretEncrypted)];
  if (partner.previousSecretEncrypted && partner.previousSecretExpiresAt && partner.previousSecretExpiresAt > now) {
    secrets.push(box.open(partner.previousSecretEncrypted));
  }
  return secrets;
}

async function authenticate(req: Request, env: ProtocolEnv, url: URL, rawBody: Uint8Array): Promise<AuthenticatedPartner> {
  const now = env.now?.() ?? new Date();
  const header = (name: string) => req.headers.get(name)?.trim() ?? "";
  const invalid = () => new ProtocolError("invalid_signature", "Missing or invalid authentication.");
  const partnerId = header(SIGNATURE_HEADERS.partnerId);
  const partner = partnerId ? await findPartnerCredentialsByPartnerId(env.db, partnerId) : null;
  // Unknown partner, wrong key id, missing headers: one answer, so probing learns nothing.
  if (!partner || partner.keyId !== header(SIGNATURE_HEADERS.keyId)) throw invalid();
  let secrets: string[];
  try {
    secrets = secretsOf(partner, env.box, now);
  } catch (e) {
    // Sealed under another AUTH_SECRET: an operator error, not the partner's.
    logger.error({ partnerId, err: safeError(e) }, "partner secret cannot be opened; was AUTH_SECRET changed?");
    throw invalid();
  }
  const result = verifyRequest({
    headers: req.headers,
    method: req.method,
    pathWithQuery: url.pathname + url.search,
    rawBody,
    secrets,
    now,
  });
  if (!result.ok) {
    const code = errorCodeForVerifyFailure(result.code);
    throw code === "stale_timestamp" ? new ProtocolError(code, "X-Timestamp is more than 300 s away from the upstream's clock.") : invalid();
  }
  if (!partner.enabled) throw new ProtocolError("partner_disabled", "This partner is disabled at the upstream.");
  if (!env.limiter.take(`partner:${partner.id}`, now.getTime())) {
    throw new ProtocolError("rate_limited", "Too many requests; retry after the Retry-After delay.", undefined, env.rateWindowSeconds);
  }
  return { id: partner.id, partnerId: partner.partnerId, name: partner.name, allowedTypes: partner.allowedTypes };
}

function errorResponse(e: unknown, req: Request, url: URL): Response {
  if (e instanceof ProtocolError) {
    if (e.status !== 404) logger.warn({ method: req.method, path: url.pathname, code: e.code }, "protocol request refused");
    return jsonResponse(e.status, e.toBody(), e.retryAfterSeconds ? { "Retry-After": String(e.retryAfterSeconds) } : {});
  }
  logger.error({ method: req.method, path: url.pathname, err: safeError(e) }, "protocol request failed");
  // Not one of the protocol's codes: a 5xx tells the sender to retry (§8), and it learns nothing else.
  return jsonResponse(500, { error: { code: "internal_error", message: "Internal error; retry later." } });
}

/** Wraps an endpoint in the frame above. */
export function protocolEndpoint(run: (ctx: EndpointContext) => Promise<Response>): ProtocolHandler {
  return async (req, env, params = {}) => {
    const url = new URL(req.url);
    try {
      const rawBody = await readCappedBody(req);
      const partner = await authenticate(req, env, url, rawBody);
      return await run({ env, partner, rawBody, url, params });
    } catch (e) {
      return errorResponse(e, req, url);
    }
  };
}

/** zod issues as the protocol's `issues` list. */
function validationError(error: z.ZodError): ProtocolError {
  return new ProtocolError(
    "validation_failed",
    "The request does not match the protocol's schema.",
    error.issues.slice(0, 20).map((i) => ({ path: i.path.join("."), message: i.message })),
  );
}

/** The body as JSON, validated; an empty body counts as `{}` only where `emptyIsObject`. */
export function parseJsonBody<S extends z.ZodType>(schema: S, rawBody: Uint8Array, emptyIsObject = false): z.infer<S> {
  let value: unknown;
  if (rawBody.byteLength === 0 && emptyIsObject) value = {};
  else {
    try {
      value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(rawBody));
    } catch {
      throw new ProtocolError("validation_failed", "The body is not valid UTF-8 JSON.", [{ path: "", message: "malformed JSON" }]);
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

export function parseQuery<S extends z.ZodType>(schema: S, url: URL): z.infer<S> {
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}
