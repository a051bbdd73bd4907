// The downstream side of docs/UPSTREAM_PROTOCOL.md: each call through the protocol's one
// outbound sender (signing, timeout, §8 classification), answers validated by the wire schemas.
import type { z } from "zod";
import {
  MAX_ATTACHMENT_BYTES,
  PROTOCOL_PATHS,
  ZCreateUpstreamTicketResponse,
  ZGetUpstreamTicketResponse,
  ZListChangedTicketsResponse,
  ZPostUpstreamMessageResponse,
  ZUpstreamTicketStateResponse,
  type CloseUpstreamTicketRequest,
  type CreateUpstreamTicketRequest,
  type EscalateUpstreamTicketRequest,
  type GetUpstreamTicketResponse,
  type ListChangedTicketsResponse,
  type PostUpstreamMessageRequest,
  type PostUpstreamMessageResponse,
  type UpstreamTicketStateResponse,
} from "../protocol/schemas.ts";
import { PROTOCOL_TIMEOUT_MS, ProtocolCallError, sendSigned } from "../protocol/outbound-sender.ts";
import { readBodyWithin } from "../http/read-body.ts";
import { storableJson } from "../protocol/storable-text.ts";

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
  /** §6.7: a file's bytes, at most MAX_ATTACHMENT_BYTES; the caller checks them against the hash. */
  getAttachment(guid: string, sha256: string): Promise<Uint8Array>;
}

export function createUpstreamClient(credentials: UpstreamCredentials, timeoutMs = PROTOCOL_TIMEOUT_MS, onSent?: SentObserver): UpstreamClient {
  const base = new URL(credentials.baseUrl);
  // A baseUrl with a path prefix is part of what is sent, so it is part of what is signed.
  const prefix = base.pathname.replace(/\/+$/, "");

  async function send(method: "GET" | "POST", path: string, body?: unknown): Promise<{ label: string; response: Response }> {
    const label = `${method} ${path.split("?")[0]}`;
    const pathWithQuery = prefix + path;
    const url = new URL(pathWithQuery, base.origin);
    const raw = body === undefined ? "" : JSON.stringify(body);
    let response: Response;
    try {
      response = await sendSigned({ direction: "request", url, method, body: raw, credentials, label, timeoutMs });
    } catch (e) {
      if (method === "POST" && e instanceof ProtocolCallError) onSent?.({ method, pathWithQuery, body: raw, status: e.status });
      throw e;
    }
    if (method === "POST") onSent?.({ method, pathWithQuery, body: raw, status: response.status });
    return { label, response };
  }

  async function call<T>(method: "GET" | "POST", path: string, schema: z.ZodType<T>, body?: unknown): Promise<{ status: number; value: T }> {
    const { label, response } = await send(method, path, body);
    const parsed = schema.safeParse(safeJson(await response.text().catch(() => "")));
    if (!parsed.success) {
      // The upstream acted (2xx) but said something we cannot read: retrying is safe (§9) and may help.
      throw new ProtocolCallError(`${label}: HTTP ${response.status} with an answer that does not match the protocol`, response.status, null, true);
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
    async getAttachment(guid, sha256) {
      const { label, response } = await send("GET", PROTOCOL_PATHS.attachment(guid, sha256));
      const bytes = await readBodyWithin(response, MAX_ATTACHMENT_BYTES);
      if (!bytes) throw new ProtocolCallError(`${label}: file over ${MAX_ATTACHMENT_BYTES} bytes`, response.status, null, false);
      return bytes;
    },
  };
}

/** Answers follow the same text rule as requests (storable-text.ts). */
function safeJson(text: string): unknown {
  try {
    return storableJson(text);
  } catch {
    return undefined;
  }
}
