// A small upstream (上级) that speaks docs/UPSTREAM_PROTOCOL.md, for tests: a real HTTP server on
// 127.0.0.1 that checks signatures (§3), keeps tickets in memory with the state table of §6, is
// idempotent as §9 says, serves GET ticket / changed list with cursors, and sends signed callbacks
// (§7) for what its agents do. It follows the document, not Relaydesk's implementation: a
// disagreement between the two is a bug in one of them.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createHash } from "node:crypto";
import { signedHeaders, verifyRequest } from "../server/protocol/signature.ts";
import { freshSigningTime } from "./fresh-signing-time.ts";
import {
  MAX_BODY_BYTES,
  MAX_TICKET_PAGE_ITEMS,
  ZCreateUpstreamTicketRequest,
  ZCloseUpstreamTicketRequest,
  ZEscalateUpstreamTicketRequest,
  ZListChangedTicketsQuery,
  ZPostUpstreamMessageRequest,
  type CallbackEvent,
  type NewUpstreamMessage,
  type ProtocolErrorCode,
  type TicketEvent,
  type UpstreamMessage,
  type UpstreamTicketState,
} from "../server/protocol/schemas.ts";

export type PeerAgent = { id: string; name: string };
export const DEFAULT_AGENT: PeerAgent = { id: "404907", name: "云技术客服404907" };

type ItemContent = { kind: "message"; message: UpstreamMessage } | { kind: "event"; event: TicketEvent };
type Item = { pos: number } & ItemContent;
type StoredFile = { fileName: string; mimeType: string; bytes: Buffer; sha256: string };

export type PeerTicket = {
  guid: string;
  externalId: string;
  type: string;
  title: string;
  state: UpstreamTicketState;
  items: Item[];
  files: Map<string, StoredFile>;
  /** Position in the changed-tickets feed (6.6). */
  change: number;
};

export type CallbackSender = (url: string, init: { method: "POST"; headers: Record<string, string>; body: string }) => Promise<{ status: number }>;

export type PeerOptions = {
  partnerId?: string;
  keyId?: string;
  secret?: string;
  /** Where callbacks go (registered per partner; §7). May be set later. */
  callbackUrl?: string;
  /** Defaults to fetch; integration tests call the route handler instead. */
  sendCallback?: CallbackSender;
  allowedTypes?: string[];
  /** Listen on this port (default: a random one). */
  port?: number;
};

const fetchSender: CallbackSender = async (url, init) => ({ status: (await fetch(url, init)).status });

export class UpstreamPeer {
  readonly partnerId: string;
  readonly keyId: string;
  readonly secret: string;
  callbackUrl: string | undefined;
  sendCallbackWith: CallbackSender;
  allowedTypes: string[];
  enabled = true;
  readonly tickets = new Map<string, PeerTicket>();
  /** The raw body of every signed POST, as it arrived (what left the sender, byte for byte). */
  readonly received: { path: string; body: Buffer }[] = [];
  /** Every request that reached a handler: method, path, answer. */
  readonly log: { method: string; path: string; status: number }[] = [];
  /** Callbacks produced by agent actions and not sent yet, oldest first. */
  readonly outbox: CallbackEvent[] = [];
  private server: Server | undefined;
  private port = 0;
  private seq = 0;
  private changeSeq = 0;
  private failures: { status: number; headers?: Record<string, string> }[] = [];

  constructor(options: PeerOptions = {}) {
    this.partnerId = options.partnerId ?? "p-1001";
    this.keyId = options.keyId ?? "k-1";
    this.secret = options.secret ?? "peer-secret-0123456789";
    this.callbackUrl = options.callbackUrl;
    this.sendCallbackWith = options.sendCallback ?? fetchSender;
    this.allowedTypes = options.allowedTypes ?? ["BUSINESS_TECH", "ICP_FILING", "TRADEMARK", "OTHER"];
    this.port = options.port ?? 0;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Listens on a random port the first time, on the same port after a stop ("back up"). */
  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => void this.handle(req, res));
    // Node closes idle keep-alive sockets after 5 s; on a loaded machine a client can reuse one
    // just as it closes (ECONNRESET). Keep them longer than any client's idle pool.
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** "Down": the port refuses connections until start() again. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Answer the next `count` requests with `status` (e.g. 500, or 429 with Retry-After) before any processing. */
  failNext(count: number, status: number, headers?: Record<string, string>) {
    for (let i = 0; i < count; i++) this.failures.push({ status, headers });
  }

  ticketByExternalId(externalId: string): PeerTicket | undefined {
    return [...this.tickets.values()].find((t) => t.externalId === externalId);
  }

  messages(ticket: PeerTicket): UpstreamMessage[] {
    return ticket.items.flatMap((i) => (i.kind === "message" ? [i.message] : []));
  }

  // ------------------------------------------------------------------ agent actions (§6, last paragraph)

  agentAccept(guid: string, agent = DEFAULT_AGENT): CallbackEvent {
    const ticket = this.mustBe(guid, ["OPEN"], "accept");
    return this.agentEvent(ticket, "ticket.accepted", { agent });
  }

  agentReply(guid: string, body: string, agent = DEFAULT_AGENT, file?: { fileName: string; mimeType: string; bytes: Buffer }): CallbackEvent {
    const ticket = this.mustBe(guid, ["OPEN", "RETURNED"], "reply");
    const attachments = file ? [this.storeFile(ticket, file)] : [];
    const message: UpstreamMessage = { id: `m-${++this.seq}`, author: { kind: "agent", ...agent }, body, createdAt: new Date().toISOString(), attachments };
    this.append(ticket, { kind: "message", message });
    return this.queue({ eventId: `e-${++this.seq}`, type: "message.created", guid, externalId: ticket.externalId, occurredAt: message.createdAt, data: message });
  }

  agentReturn(guid: string, reason?: string, agent = DEFAULT_AGENT): CallbackEvent {
    const ticket = this.mustBe(guid, ["OPEN"], "return");
    ticket.state = "RETURNED";
    return this.agentEvent(ticket, "ticket.returned", { agent, ...(reason ? { reason } : {}) });
  }

  agentClose(guid: string, reason?: string, agent = DEFAULT_AGENT): CallbackEvent {
    const ticket = this.mustBe(guid, ["OPEN", "RETURNED"], "close");
    ticket.state = "CLOSED";
    return this.agentEvent(ticket, "ticket.closed", { agent, ...(reason ? { reason } : {}) });
  }

  /** Signs (with a fresh timestamp, as a retry would) and posts one callback to the registered URL. */
  async sendCallback(event: CallbackEvent): Promise<number> {
    if (!this.callbackUrl) throw new Error("peer: no callbackUrl registered");
    const body = JSON.stringify(event);
    const url = new URL(this.callbackUrl);
    // A real upstream re-signs every delivery, so a redelivery never repeats a signature.
    const now = freshSigningTime(`${this.secret} ${url.pathname} ${body}`);
    const headers = signedHeaders({ partnerId: this.partnerId, keyId: this.keyId, secret: this.secret, method: "POST", pathWithQuery: url.pathname + url.search, body, now });
    return (await this.sendCallbackWith(this.callbackUrl, { method: "POST", headers, body })).status;
  }

  /** Sends every queued callback in order; keeps those not answered 2xx (a real upstream retries them). */
  async flushCallbacks(): Promise<number[]> {
    const statuses: number[] = [];
    for (const event of this.outbox.splice(0)) {
      const status = await this.sendCallback(event);
      statuses.push(status);
      if (status < 200 || status >= 300) this.outbox.push(event);
    }
    return statuses;
  }

  // ---------------------------------------------------------------------------------- HTTP side

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const path = req.url ?? "/";
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      this.log.push({ method: req.method ?? "", path, status });
      res.writeHead(status, { "Content-Type": "application/json", ...headers });
      res.end(body === undefined ? "" : JSON.stringify(body));
    };
    const fail = (code: ProtocolErrorCode, status: number, message: string = code, issues?: unknown) =>
      answer(status, { error: { code, message, ...(issues ? { issues } : {}) } });

    const injected = this.failures.shift();
    if (injected) {
      req.resume();
      return answer(injected.status, injected.status === 429 ? { error: { code: "rate_limited", message: "slow down" } } : undefined, injected.headers);
    }

    // §3 "Verification, in this order".
    const raw = await readCapped(req, MAX_BODY_BYTES);
    if (!raw) return fail("payload_too_large", 413);
    if (req.headers["x-partner-id"] !== this.partnerId || req.headers["x-key-id"] !== this.keyId) return fail("invalid_signature", 401);
    const headers = { get: (name: string) => headerValue(req, name) };
    const verified = verifyRequest({ headers, method: req.method ?? "", pathWithQuery: path, rawBody: raw, secrets: [this.secret] });
    if (!verified.ok) return fail(verified.code === "stale_timestamp" ? "stale_timestamp" : "invalid_signature", 401);
    if (!this.enabled) return fail("partner_disabled", 403);
    if (req.method === "POST") this.received.push({ path, body: raw });

    let json: unknown = undefined;
    if (req.method === "POST") {
      try {
        json = JSON.parse(raw.toString("utf8"));
      } catch {
        return fail("validation_failed", 422, "body is not JSON");
      }
    }
    const url = new URL(path, "http://peer");
    const segments = url.pathname.replace(/^\/api\/upstream\/v1\//, "").split("/");
    const result = this.route(req.method ?? "", segments, url.searchParams, json);
    if ("error" in result) return fail(result.error, result.status, result.message, result.issues);
    if ("bytes" in result) {
      this.log.push({ method: req.method ?? "", path, status: 200 });
      res.writeHead(200, { "Content-Type": result.mimeType, "Content-Disposition": `attachment; filename="${encodeURIComponent(result.fileName)}"` });
      return res.end(result.bytes);
    }
    return answer(result.status, result.body);
  }

  private route(
    method: string,
    segments: string[],
    query: URLSearchParams,
    json: unknown,
  ):
    | { status: number; body: unknown }
    | { error: ProtocolErrorCode; status: number; message?: string; issues?: unknown }
    | StoredFile {
    const [root, guid, action, extra] = segments;
    if (root !== "tickets") return { error: "not_found", status: 404 };
    if (method === "GET" && guid === undefined) return this.listChanged(query);
    if (method === "POST" && guid === undefined) return this.create(json);
    const ticket = guid ? this.tickets.get(guid) : undefined;
    if (!ticket) return { error: "not_found", status: 404 };
    if (method === "GET" && action === undefined) return this.read(ticket, query.get("after"));
    if (method === "GET" && action === "attachments" && extra) return ticket.files.get(extra) ?? { error: "not_found", status: 404 };
    if (method === "POST" && action === "messages") return this.postMessage(ticket, json);
    if (method === "POST" && action === "escalate") return this.escalate(ticket, json);
    if (method === "POST" && action === "close") return this.close(ticket, json);
    return { error: "not_found", status: 404 };
  }

  private create(json: unknown) {
    const parsed = ZCreateUpstreamTicketRequest.safeParse(json);
    if (!parsed.success) return invalid(parsed.error.issues);
    const request = parsed.data;
    if (!this.allowedTypes.includes(request.type)) return { error: "type_not_allowed" as const, status: 403 };
    const existing = this.ticketByExternalId(request.externalId);
    if (existing) return { status: 200, body: stateOf(existing) }; // §9: body ignored
    const ticket: PeerTicket = {
      guid: String(1556285580167838 + this.tickets.size),
      externalId: request.externalId,
      type: request.type,
      title: request.title,
      state: "OPEN",
      items: [],
      files: new Map(),
      change: 0,
    };
    this.tickets.set(ticket.guid, ticket);
    for (const message of request.messages) this.storePartnerMessage(ticket, message);
    this.touch(ticket);
    return { status: 201, body: stateOf(ticket) };
  }

  private postMessage(ticket: PeerTicket, json: unknown) {
    const parsed = ZPostUpstreamMessageRequest.safeParse(json);
    if (!parsed.success) return invalid(parsed.error.issues);
    // §6.2: the idempotency check comes before the state check.
    const known = this.messages(ticket).find((m) => m.externalMessageId === parsed.data.externalMessageId);
    if (known) return { status: 200, body: { id: known.id } };
    if (ticket.state === "CLOSED") return { error: "upstream_closed" as const, status: 409 };
    if (ticket.state === "FINISHED") return { error: "ticket_finished" as const, status: 409 };
    const stored = this.storePartnerMessage(ticket, parsed.data);
    this.touch(ticket);
    return { status: 201, body: { id: stored.id } };
  }

  private escalate(ticket: PeerTicket, json: unknown) {
    const parsed = ZEscalateUpstreamTicketRequest.safeParse(json);
    if (!parsed.success) return invalid(parsed.error.issues);
    if (ticket.state === "CLOSED") return { error: "upstream_closed" as const, status: 409 };
    if (ticket.state === "FINISHED") return { error: "ticket_finished" as const, status: 409 };
    if (ticket.state === "RETURNED") {
      ticket.state = "OPEN";
      this.ownEvent(ticket, "ticket.escalated", parsed.data.reason);
    }
    return { status: 200, body: stateOf(ticket) };
  }

  private close(ticket: PeerTicket, json: unknown) {
    const parsed = ZCloseUpstreamTicketRequest.safeParse(json);
    if (!parsed.success) return invalid(parsed.error.issues);
    if (ticket.state !== "FINISHED") {
      ticket.state = "FINISHED";
      this.ownEvent(ticket, "ticket.finished", parsed.data.reason);
    }
    return { status: 200, body: stateOf(ticket) };
  }

  private read(ticket: PeerTicket, after: string | null) {
    const from = after ? Number(after.replace(/^c-/, "")) : 0;
    if (!Number.isInteger(from) || from < 0) return { error: "validation_failed" as const, status: 422, message: "malformed cursor" };
    const rest = ticket.items.filter((i) => i.pos > from);
    const page = rest.slice(0, MAX_TICKET_PAGE_ITEMS);
    const last = page.at(-1)?.pos ?? from;
    return {
      status: 200,
      body: {
        ...stateOf(ticket),
        messages: page.flatMap((i) => (i.kind === "message" ? [i.message] : [])),
        events: page.flatMap((i) => (i.kind === "event" ? [i.event] : [])),
        cursor: `c-${last}`,
        hasMore: rest.length > page.length,
      },
    };
  }

  private listChanged(query: URLSearchParams) {
    const parsed = ZListChangedTicketsQuery.safeParse(Object.fromEntries(query));
    if (!parsed.success) return invalid(parsed.error.issues);
    const after = parsed.data.changedAfter ? Number(parsed.data.changedAfter.replace(/^ch-/, "")) : 0;
    const changed = [...this.tickets.values()].filter((t) => t.change > after).sort((a, b) => a.change - b.change).slice(0, parsed.data.limit);
    return {
      status: 200,
      body: {
        tickets: changed.map((t) => ({ ...stateOf(t), updatedAt: new Date().toISOString() })),
        nextCursor: changed.length > 0 ? `ch-${changed.at(-1)!.change}` : null,
      },
    };
  }

  // ----------------------------------------------------------------------------------- helpers

  private storePartnerMessage(ticket: PeerTicket, message: NewUpstreamMessage): UpstreamMessage {
    const stored: UpstreamMessage = {
      id: `m-${++this.seq}`,
      externalMessageId: message.externalMessageId,
      author: { kind: "partner", id: this.partnerId, name: message.author.name },
      body: message.body,
      createdAt: message.createdAt ?? new Date().toISOString(),
      attachments: (message.attachments ?? []).map((a) =>
        this.storeFile(ticket, { fileName: a.fileName, mimeType: a.mimeType, bytes: Buffer.from(a.content, "base64") }),
      ),
    };
    this.append(ticket, { kind: "message", message: stored });
    return stored;
  }

  private storeFile(ticket: PeerTicket, file: { fileName: string; mimeType: string; bytes: Buffer }) {
    const sha256 = createHash("sha256").update(file.bytes).digest("hex");
    ticket.files.set(sha256, { ...file, sha256 });
    return { fileName: file.fileName, mimeType: file.mimeType, size: file.bytes.length, sha256, url: `/api/upstream/v1/tickets/${ticket.guid}/attachments/${sha256}` };
  }

  private append(ticket: PeerTicket, item: ItemContent) {
    const last = ticket.items.at(-1)?.pos ?? 0;
    ticket.items.push({ ...item, pos: last + 1 });
    this.touch(ticket);
  }

  private touch(ticket: PeerTicket) {
    ticket.change = ++this.changeSeq;
  }

  private agentEvent(ticket: PeerTicket, type: "ticket.accepted" | "ticket.returned" | "ticket.closed", data: { agent: PeerAgent; reason?: string }): CallbackEvent {
    const event: TicketEvent = { id: `e-${++this.seq}`, type, occurredAt: new Date().toISOString(), data };
    this.append(ticket, { kind: "event", event });
    // §6.5: an event's id equals the eventId of its callback.
    return this.queue({ eventId: event.id, type, guid: ticket.guid, externalId: ticket.externalId, occurredAt: event.occurredAt, data });
  }

  /** The downstream's own acts: listed by GET, never called back (§7). */
  private ownEvent(ticket: PeerTicket, type: "ticket.escalated" | "ticket.finished", reason?: string) {
    this.append(ticket, { kind: "event", event: { id: `e-${++this.seq}`, type, occurredAt: new Date().toISOString(), data: reason ? { reason } : {} } });
  }

  private queue(event: CallbackEvent): CallbackEvent {
    this.outbox.push(event);
    return event;
  }

  private mustBe(guid: string, states: UpstreamTicketState[], what: string): PeerTicket {
    const ticket = this.tickets.get(guid);
    if (!ticket) throw new Error(`peer: no ticket ${guid}`);
    if (!states.includes(ticket.state)) throw new Error(`peer: an agent cannot ${what} a ${ticket.state} ticket (§6)`);
    return ticket;
  }
}

function stateOf(ticket: PeerTicket) {
  return { guid: ticket.guid, externalId: ticket.externalId, state: ticket.state };
}

function invalid(issues: { path: PropertyKey[]; message: string }[]) {
  return { error: "validation_failed" as const, status: 422, message: "validation failed", issues: issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })) };
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

async function readCapped(req: IncomingMessage, max: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > max) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
