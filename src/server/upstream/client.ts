// The downstream side of docs/UPSTREAM_PROTOCOL.md over fetch: every request signed anew (a retry
// never goes stale), a 10 s timeout, answers validated by the protocol's schemas, and failures
// sorted into retryable or not (§8) so the outbox knows whether to try again.
import type { z } from "zod";
import { signedHeaders } from "./signature.ts";
import {
  PROTOCOL_PATHS,
  ZCreateUpstreamTicketResponse,
  ZGetUpstreamTicketResponse,
  ZListChangedTicketsResponse,
  ZPostUpstreamMessageResponse,
  ZProtocolErrorBody,
  ZUpstreamTicketStateResponse,
  type CloseUpstreamTicketRequest,
  type CreateUpstreamTicketRequest,
  type EscalateUpstreamTicketRequest,
  type GetUpstreamTicketResponse,
  type ListChangedTicketsResponse,
  type PostUpstreamMessageRequest,
  type PostUpstreamMessageResponse,
  type ProtocolErrorCode,
  type UpstreamTicketStateResponse,
} from "./protocol.ts";
import { parseRetryAfterMs } from "../outbox/backoff.ts";

export const REQUEST_TIMEOUT_MS = 10_000;

export type UpstreamCredentials = { baseUrl: string; partnerId: string; keyId: string; secret: string };

/** Every POST as it left: the exact body bytes and the status answered (null: no answer). */
export type SentRequest = { method: "POST"; pathWithQuery: string; body: string; status: number | null };
export type SentObserver = (sent: SentRequest) => void;

export interface UpstreamClient {
  /** 201 for a new ticket, 200 when the upstream already had this externalId. */
  createTicket(request: CreateUpstreamTicketRequest): Promise<{ created: boolean; ticket: UpstreamTicketStateResponse }>;
  postMessage(guid: string, request: PostUpstreamMessageRequest): Promise<PostUpstreamMessageResponse>;
  escalate(guid: string, request: EscalateUpstreamTicketRequest): Promise<UpstreamTicketStateResponse>;
  close(guid: string, request: CloseUpstreamTicketRequest): Promise<UpstreamTicketStateResponse>;
  getTicket(guid: string, after?: string): Promise<GetUpstreamTicketResponse>;
  listChanged(query: { changedAfter?: string; limit?: number }): Promise<ListChangedTicketsResponse>;
}

/**
 * A failed call. `message` names the method, path and status or network failure — never a body
 * or a header, so it can go to logs and the dead-letter list as it is.
 */
export class UpstreamCallError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly code: ProtocolErrorCode | null,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "UpstreamCallError";
  }
}

/** §8: what a sender does with each answer. 401s are retried: a secret rotation may be under way. */
function isRetryable(status: number, code: ProtocolErrorCode | null): boolean {
  if (status === 408 || status === 429 || status >= 500) return true;
  return code === "invalid_signature" || code === "stale_timestamp";
}

export function createUpstreamClient(credentials: UpstreamCredentials, timeoutMs = REQUEST_TIMEOUT_MS, onSent?: SentObserver): UpstreamClient {
  const base = new URL(credentials.baseUrl);
  // A baseUrl with a path prefix is part of what is sent, so it is part of what is signed.
  const prefix = base.pathname.replace(/\/+$/, "");

  async function call<T>(method: "GET" | "POST", path: string, schema: z.ZodType<T>, body?: unknown): Promise<{ status: number; value: T }> {
    const pathWithQuery = prefix + path;
    const raw = body === undefined ? "" : JSON.stringify(body);
    const headers = signedHeaders({ ...credentials, method, pathWithQuery, body: raw });
    const label = `${method} ${path.split("?")[0]}`;
    let response: Response;
    try {
      response = await fetch(new URL(pathWithQuery, base.origin), {
        method,
        headers,
        body: method === "POST" ? raw : undefined,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: "error", // a signed request goes to the configured upstream and nowhere else
      });
    } catch (e) {
      if (method === "POST") onSent?.({ method, pathWithQuery, body: raw, status: null });
      const reason = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError") ? `timeout after ${timeoutMs / 1000} s` : networkReason(e);
      throw new UpstreamCallError(`${label}: ${reason}`, null, null, true);
    }
    if (method === "POST") onSent?.({ method, pathWithQuery, body: raw, status: response.status });
    const text = await response.text().catch(() => "");
    const json = safeJson(text);
    if (!response.ok) {
      const parsed = ZProtocolErrorBody.safeParse(json);
      const code = parsed.success ? parsed.data.error.code : null;
      const retryAfterMs = response.status === 429 ? parseRetryAfterMs(response.headers.get("retry-after")) : undefined;
      throw new UpstreamCallError(`${label}: HTTP ${response.status}${code ? ` ${code}` : ""}`, response.status, code, isRetryable(response.status, code), retryAfterMs);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      // The upstream acted (2xx) but said something we cannot read: retrying is safe (§9) and may help.
      throw new UpstreamCallError(`${label}: HTTP ${response.status} with an answer that does not match the protocol`, response.status, null, true);
    }
    return { status: response.status, value: parsed.data };
  }

  return {
    async createTicket(request) {
      const { status, value } = await call("POST", PROTOCOL_PATHS.tickets(), ZCreateUpstreamTicketResponse, request);
      return { created: status === 201, ticket: value };
    },
    postMessage: async (guid, request) => (await call("POST", PROTOCOL_PATHS.messages(guid), ZPostUpstreamMessageResponse, request)).value,
    escalate: async (guid, request) => (await call("POST", PROTOCOL_PATHS.escalate(guid), ZUpstreamTicketStateResponse, request)).value,
    close: async (guid, request) => (await call("POST", PROTOCOL_PATHS.close(guid), ZUpstreamTicketStateResponse, request)).value,
    getTicket: async (guid, after) => (await call("GET", PROTOCOL_PATHS.ticket(guid, after), ZGetUpstreamTicketResponse)).value,
    listChanged: async (query) => (await call("GET", PROTOCOL_PATHS.changedTickets(query), ZListChangedTicketsResponse)).value,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** fetch hides the socket error in `cause`; its code (ECONNREFUSED …) is the useful part. */
function networkReason(e: unknown): string {
  const cause = (e as { cause?: { code?: unknown } } | null)?.cause;
  const code = typeof cause?.code === "string" ? cause.code : undefined;
  return `network error${code ? ` ${code}` : ""}`;
}
