import type { z } from "zod";
import type { DbOrTx } from "../db/client.ts";
import { deleteSignaturesSeenBefore, recordSignatureOnce } from "../db/repos/used-signatures.ts";
import { readBodyWithin } from "../http/read-body.ts";
import { logger, safeError } from "../logger.ts";
import { ProtocolError } from "./errors.ts";
import { DEFAULT_MAX_SKEW_SECONDS, SIGNATURE_HEADERS, unixSeconds, verifyRequest } from "./signature.ts";
import { storableJson } from "./storable-text.ts";

// The one inbound frame of both protocol doors (partner requests at the upstream, callbacks at the
// downstream), in the order of docs/UPSTREAM_PROTOCOL.md §3: declared size → headers → who signed
// (looked up by the caller) → clock → body (only now, and capped) → signature → replay. The door
// passes in how to find the counterpart; everything after "signed by whom" is the door's own.

/** What a door's lookup returns for the ids in the headers; null when they name nobody it knows. */
export type SigningCounterpart<C> = {
  counterpart: C;
  /** Current secret first, then the previous one while its grace lasts. May throw (unreadable). */
  secrets: () => string[];
};

export type SignedRequestFrame<C> = {
  db: DbOrTx;
  maxBodyBytes: number;
  lookup: (ids: { partnerId: string; keyId: string }) => Promise<SigningCounterpart<C> | null>;
  now: Date;
  /** For the log line when a stored secret cannot be opened. */
  door: string;
};

export type OpenedRequest<C> = { counterpart: C; rawBody: Uint8Array; url: URL };

const invalid = () => new ProtocolError("invalid_signature", "Missing or invalid authentication.");
const tooLarge = (max: number) => new ProtocolError("payload_too_large", `Request body over ${max} bytes.`);

/**
 * Authenticates a signed request. Nobody unknown makes us read a body: the lookup and the clock
 * come first, the capped read only after them. A write's signature is accepted once (§3 replay).
 */
export async function openSignedRequest<C>(req: Request, frame: SignedRequestFrame<C>): Promise<OpenedRequest<C>> {
  const url = new URL(req.url);
  const declared = Number(req.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > frame.maxBodyBytes) throw tooLarge(frame.maxBodyBytes);

  const header = (name: string) => req.headers.get(name)?.trim() ?? "";
  const partnerId = header(SIGNATURE_HEADERS.partnerId);
  const keyId = header(SIGNATURE_HEADERS.keyId);
  const timestamp = header(SIGNATURE_HEADERS.timestamp);
  const signature = header(SIGNATURE_HEADERS.signature);
  // Unknown partner, wrong key id, missing headers: one answer, so probing learns nothing.
  if (!partnerId || !keyId || !signature || !/^\d{1,12}$/.test(timestamp)) throw invalid();
  const found = await frame.lookup({ partnerId, keyId });
  if (!found) throw invalid();
  if (Math.abs(unixSeconds(frame.now) - Number(timestamp)) > DEFAULT_MAX_SKEW_SECONDS) {
    throw new ProtocolError("stale_timestamp", "X-Timestamp is more than 300 s away from the receiver's clock.");
  }

  const rawBody = await readBodyWithin(req, frame.maxBodyBytes);
  if (!rawBody) throw tooLarge(frame.maxBodyBytes);
  let secrets: string[];
  try {
    secrets = found.secrets();
  } catch (e) {
    // Sealed under another AUTH_SECRET: an operator error, not the sender's.
    logger.error({ door: frame.door, partnerId, err: safeError(e) }, "stored protocol secret cannot be opened; was AUTH_SECRET changed?");
    throw invalid();
  }
  const result = verifyRequest({ headers: req.headers, method: req.method, pathWithQuery: url.pathname + url.search, rawBody, secrets, now: frame.now });
  if (!result.ok) throw result.code === "stale_timestamp" ? new ProtocolError("stale_timestamp", "X-Timestamp is more than 300 s away from the receiver's clock.") : invalid();

  if (req.method !== "GET") {
    if (!(await recordSignatureOnce(frame.db, signature.slice(0, 80), frame.now))) {
      throw new ProtocolError("invalid_signature", "This signature was already used; sign every request anew.");
    }
  }
  return { counterpart: found.counterpart, rawBody, url };
}

/**
 * A signature older than twice the clock skew can no longer be replayed (its timestamp is refused
 * first), so the background loop forgets it — not each request, which made every signed write
 * also a delete.
 */
export function forgetUnreplayableSignatures(db: DbOrTx, now: Date): Promise<number> {
  return deleteSignaturesSeenBefore(db, new Date(now.getTime() - 2 * DEFAULT_MAX_SKEW_SECONDS * 1000));
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...headers },
  });
}

/** A refusal as the protocol's error body; anything else a 500 that tells the sender to retry (§8). */
export function errorResponse(e: unknown, req: Request): Response {
  const path = new URL(req.url).pathname;
  if (e instanceof ProtocolError) {
    if (e.status !== 404) logger.warn({ method: req.method, path, code: e.code }, "protocol request refused");
    return jsonResponse(e.status, e.toBody(), e.retryAfterSeconds ? { "Retry-After": String(e.retryAfterSeconds) } : {});
  }
  logger.error({ method: req.method, path, err: safeError(e) }, "protocol request failed");
  return jsonResponse(500, { error: { code: "internal_error", message: "Internal error; retry later." } });
}

/** zod issues as the protocol's `issues` list. */
export function validationError(error: z.ZodError): ProtocolError {
  return new ProtocolError(
    "validation_failed",
    "The request does not match the protocol's schema.",
    error.issues.slice(0, 20).map((i) => ({ path: i.path.join("."), message: i.message })),
  );
}

/**
 * The body as JSON under the text rule (storable-text.ts), not yet validated; an empty body counts
 * as `{}` only where `emptyIsObject`. Invalid UTF-8 or JSON is 422.
 */
export function parseJsonValue(rawBody: Uint8Array, emptyIsObject = false): unknown {
  if (rawBody.byteLength === 0 && emptyIsObject) return {};
  try {
    return storableJson(new TextDecoder("utf-8", { fatal: true }).decode(rawBody));
  } catch {
    throw new ProtocolError("validation_failed", "The body is not valid UTF-8 JSON.", [{ path: "", message: "malformed JSON" }]);
  }
}

export function validate<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

export function parseJsonBody<S extends z.ZodType>(schema: S, rawBody: Uint8Array, emptyIsObject = false): z.infer<S> {
  return validate(schema, parseJsonValue(rawBody, emptyIsObject));
}

export function parseQuery<S extends z.ZodType>(schema: S, url: URL): z.infer<S> {
  return validate(schema, Object.fromEntries(url.searchParams));
}
