import { parseRetryAfterMs } from "../outbox/backoff.ts";
import { ZProtocolErrorBody, type ProtocolErrorCode } from "./schemas.ts";
import { signedHeaders } from "./signature.ts";

// The one outbound sender of both roles: a downstream's requests to its upstream and an upstream's
// callbacks to a partner. Signs every attempt anew (a retry never goes stale, nor looks like a
// replay), bounds the wait, and sorts every failure into "retry" or "dead letter" as §8 says; the
// outbox worker owns when the retry happens (outbox/backoff.ts).

export const PROTOCOL_TIMEOUT_MS = 10_000;

/** What was sent: a request to an upstream, or a callback to a partner (§7 retries its 404s). */
export type Direction = "request" | "callback";

/**
 * A failed call. `message` names the method, path and status or network failure — never a body
 * or a header, so it can go to logs and the dead-letter list as it is.
 */
export class ProtocolCallError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly code: ProtocolErrorCode | null,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "ProtocolCallError";
  }
}

/**
 * §8: 408, 429, 5xx are retried, and 401 (a secret rotation may be under way). A callback's 404
 * too: the downstream may not have committed the ticket yet (§7.4). 410 and other 4xx are final.
 */
export function isRetryableAnswer(status: number, code: ProtocolErrorCode | null, direction: Direction): boolean {
  if (status === 408 || status === 429 || status >= 500 || status === 401) return true;
  if (direction === "callback" && status === 404) return true;
  return code === "invalid_signature" || code === "stale_timestamp";
}

export type SignedSend = {
  direction: Direction;
  url: URL;
  method: "GET" | "POST";
  /** Serialised once: what is signed is what is sent. Empty for a GET. */
  body: string;
  credentials: { partnerId: string; keyId: string; secret: string };
  /** Prefixes error messages, e.g. "POST /api/upstream/v1/tickets". */
  label?: string;
  timeoutMs?: number;
  now?: Date;
};

/** The 2xx answer, or a ProtocolCallError saying whether to retry. */
export async function sendSigned(input: SignedSend): Promise<Response> {
  const now = input.now ?? new Date();
  const timeoutMs = input.timeoutMs ?? PROTOCOL_TIMEOUT_MS;
  const fail = (what: string, status: number | null, code: ProtocolErrorCode | null, retryable: boolean, retryAfterMs?: number) =>
    new ProtocolCallError(input.label ? `${input.label}: ${what}` : what, status, code, retryable, retryAfterMs);
  const headers = signedHeaders({ ...input.credentials, method: input.method, pathWithQuery: input.url.pathname + input.url.search, body: input.body, now });
  let response: Response;
  try {
    response = await fetch(input.url, {
      method: input.method,
      headers,
      body: input.method === "POST" ? input.body : undefined,
      signal: AbortSignal.timeout(timeoutMs),
      // A signed message goes to the configured address and nowhere else.
      redirect: "manual",
    });
  } catch (e) {
    const timedOut = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError");
    throw fail(timedOut ? `timeout after ${timeoutMs / 1000} s` : networkReason(e), null, null, true);
  }
  if (response.ok) return response;
  const code = await errorCodeOf(response);
  const retryAfterMs = response.status === 429 ? parseRetryAfterMs(response.headers.get("retry-after"), now) : undefined;
  throw fail(`HTTP ${response.status}${code ? ` ${code}` : ""}`, response.status, code, isRetryableAnswer(response.status, code, input.direction), retryAfterMs);
}

async function errorCodeOf(response: Response): Promise<ProtocolErrorCode | null> {
  try {
    const parsed = ZProtocolErrorBody.safeParse(JSON.parse((await response.text()).slice(0, 4000)));
    return parsed.success ? parsed.data.error.code : null;
  } catch {
    return null;
  }
}

/** fetch hides the socket error in `cause`; its code (ECONNREFUSED …) is the useful part. */
function networkReason(e: unknown): string {
  const cause = (e as { cause?: { code?: unknown } } | null)?.cause;
  const code = typeof cause?.code === "string" ? cause.code : undefined;
  return `network error${code ? ` ${code}` : ""}`;
}
