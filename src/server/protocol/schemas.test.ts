import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import * as protocol from "./schemas.ts";
import {
  base64DecodedLength,
  errorCodeForVerifyFailure,
  HTTP_STATUS_FOR_ERROR,
  MAX_ATTACHMENT_BYTES,
  PROTOCOL_ERROR_CODES,
  PROTOCOL_PATHS,
  ZCallbackEvent,
  ZCloseUpstreamTicketRequest,
  ZCreateUpstreamTicketRequest,
  ZEscalateUpstreamTicketRequest,
  ZGetUpstreamTicketQuery,
  ZGetUpstreamTicketResponse,
  ZListChangedTicketsQuery,
  ZListChangedTicketsResponse,
  ZPostUpstreamMessageRequest,
  ZPostUpstreamMessageResponse,
  ZProtocolErrorBody,
  ZUpstreamTicketStateResponse,
} from "./schemas.ts";
import { sha256Hex } from "./signature.ts";

const GUID = "1556285580167838";
const SHA = "2a97516c354b68848cdbd8f54a226a0a55b21ed138e207ad6c5cbb9c00aa5aea";
const AGENT = { id: "404907", name: "云技术客服404907" };

const newMessage = {
  externalMessageId: "598-1",
  author: { role: "member", name: "客户" },
  body: "您好，服务器无法远程连接。",
  createdAt: "2025-11-28T15:58:00+08:00",
};
const createRequest = {
  externalId: "598",
  type: "BUSINESS_TECH",
  title: "服务器无法远程连接",
  messages: [newMessage],
  member: { id: "1100001", phone: "13800000000", qq: "10001" },
  business: { id: "20001", ip: "203.0.113.10", type: "云服务器" },
  callbackUrl: "https://shop.example/api/upstream/callbacks/main",
};
const upstreamMessage = {
  id: "m-90002",
  author: { kind: "agent", ...AGENT },
  body: "已为您重启宿主机网络服务，请再试。",
  createdAt: "2025-11-28T16:20:11+08:00",
  attachments: [
    { fileName: "诊断报告.txt", mimeType: "text/plain", size: 4, sha256: SHA, url: PROTOCOL_PATHS.attachment(GUID, SHA) },
  ],
};
const envelope = { eventId: "e-5001", guid: GUID, externalId: "598", occurredAt: "2025-11-28T16:02:40Z" };

const base64OfBytes = (n: number) => Buffer.alloc(n, 7).toString("base64");
const withAttachments = (count: number, bytes = 8) => ({
  ...newMessage,
  attachments: Array.from({ length: count }, (_, i) => ({
    fileName: `f${i}.bin`,
    mimeType: "application/octet-stream",
    content: base64OfBytes(bytes),
  })),
});

function accepts(schema: z.ZodType, value: unknown) {
  const result = schema.safeParse(value);
  expect(result.error?.issues ?? []).toEqual([]);
}
function rejects(schema: z.ZodType, value: unknown) {
  expect(schema.safeParse(value).success).toBe(false);
}

describe("create ticket request", () => {
  it("accepts a full and a minimal ticket", () => {
    accepts(ZCreateUpstreamTicketRequest, createRequest);
    const { business: _b, callbackUrl: _c, ...minimal } = createRequest;
    accepts(ZCreateUpstreamTicketRequest, { ...minimal, member: { id: "1100001" } });
  });

  it.each([
    ["a NORMAL ticket (never goes upstream)", { type: "NORMAL" }],
    ["an empty history", { messages: [] }],
    ["a blank title", { title: "  " }],
    ["a title of 201 characters", { title: "标".repeat(201) }],
    ["an externalId that would need escaping in a URL", { externalId: "598/1" }],
    ["a numeric externalId (ids are strings)", { externalId: 598 }],
    ["a null business (omit it instead)", { business: null }],
    ["a business without id", { business: { ip: "203.0.113.10" } }],
    ["a member without id", { member: { phone: "1" } }],
    ["a non-http callbackUrl", { callbackUrl: "ftp://x.example/cb" }],
  ])("rejects %s", (_what, change) => {
    rejects(ZCreateUpstreamTicketRequest, { ...createRequest, ...change });
  });

  it("counts the title in code points, so 200 emoji fit", () => {
    accepts(ZCreateUpstreamTicketRequest, { ...createRequest, title: "😀".repeat(200) });
  });

  it("strips unknown fields (tolerant reader)", () => {
    const parsed = ZCreateUpstreamTicketRequest.parse({ ...createRequest, priority: "high" });
    expect(parsed).not.toHaveProperty("priority");
  });
});

describe("new message (post message request)", () => {
  it("accepts a message with and without attachments", () => {
    accepts(ZPostUpstreamMessageRequest, newMessage);
    accepts(ZPostUpstreamMessageRequest, withAttachments(3));
    accepts(ZPostUpstreamMessageRequest, { ...withAttachments(1), body: "" });
  });

  it("accepts an attachment of exactly 2 MiB", () => {
    accepts(ZPostUpstreamMessageRequest, withAttachments(1, MAX_ATTACHMENT_BYTES));
  });

  it.each([
    ["more than 3 attachments", withAttachments(4)],
    ["an attachment over 2 MiB", withAttachments(1, MAX_ATTACHMENT_BYTES + 1)],
    ["an empty body without attachments", { ...newMessage, body: " " }],
    ["a body of 20001 characters", { ...newMessage, body: "字".repeat(20_001) }],
    ["an unknown author role", { ...newMessage, author: { role: "agent", name: "x" } }],
    ["a missing author name", { ...newMessage, author: { role: "staff" } }],
    ["a missing externalMessageId", { ...newMessage, externalMessageId: undefined }],
    ["a time without offset", { ...newMessage, createdAt: "2025-11-28 15:58:00" }],
    ["content that is not base64", { ...withAttachments(1), attachments: [{ fileName: "a", mimeType: "text/plain", content: "@@@" }] }],
    ["empty content", { ...withAttachments(1), attachments: [{ fileName: "a", mimeType: "text/plain", content: "" }] }],
    ["a file name with a path", { ...withAttachments(1), attachments: [{ fileName: "../etc/passwd", mimeType: "text/plain", content: "YQ==" }] }],
    ["a malformed mime type", { ...withAttachments(1), attachments: [{ fileName: "a", mimeType: "text", content: "YQ==" }] }],
  ])("rejects %s", (_what, value) => {
    rejects(ZPostUpstreamMessageRequest, value);
  });

  it("accepts a body of exactly 20000 characters", () => {
    accepts(ZPostUpstreamMessageRequest, { ...newMessage, body: "字".repeat(20_000) });
  });
});

describe("escalate and close requests", () => {
  it.each([
    ["escalate", ZEscalateUpstreamTicketRequest],
    ["close", ZCloseUpstreamTicketRequest],
  ])("%s takes an optional reason", (_what, schema) => {
    accepts(schema, {});
    accepts(schema, { reason: "问题已解决" });
    rejects(schema, { reason: "x".repeat(2_001) });
    rejects(schema, { reason: 1 });
  });
});

describe("query strings", () => {
  it("coerces and bounds the changed-tickets limit", () => {
    expect(ZListChangedTicketsQuery.parse({})).toEqual({ limit: 100 });
    expect(ZListChangedTicketsQuery.parse({ changedAfter: "ch-1", limit: "500" })).toEqual({ changedAfter: "ch-1", limit: 500 });
    rejects(ZListChangedTicketsQuery, { limit: "0" });
    rejects(ZListChangedTicketsQuery, { limit: "501" });
    rejects(ZListChangedTicketsQuery, { limit: "ten" });
    rejects(ZListChangedTicketsQuery, { changedAfter: "a b" });
  });

  it("accepts a URL-safe cursor only", () => {
    accepts(ZGetUpstreamTicketQuery, {});
    accepts(ZGetUpstreamTicketQuery, { after: "c-5002" });
    rejects(ZGetUpstreamTicketQuery, { after: "c+5002=" });
    rejects(ZGetUpstreamTicketQuery, { after: "" });
  });
});

describe("responses", () => {
  it("state answer: create, escalate, close", () => {
    accepts(ZUpstreamTicketStateResponse, { guid: GUID, externalId: "598", state: "OPEN" });
    rejects(ZUpstreamTicketStateResponse, { guid: GUID, externalId: "598", state: "open" });
    rejects(ZUpstreamTicketStateResponse, { guid: GUID, state: "OPEN" });
  });

  it("post message answer", () => {
    accepts(ZPostUpstreamMessageResponse, { id: "m-1" });
    rejects(ZPostUpstreamMessageResponse, { id: 1 });
  });

  it("GET ticket answer", () => {
    const answer = {
      guid: GUID,
      externalId: "598",
      state: "RETURNED",
      messages: [upstreamMessage, { ...upstreamMessage, id: "m-1", externalMessageId: "598-1", author: { kind: "partner", id: "p-1001", name: "客户" } }],
      events: [{ id: "e-1", type: "ticket.finished", occurredAt: "2025-11-28T16:21:03+08:00", data: {} }],
      cursor: "c-1",
      hasMore: false,
    };
    accepts(ZGetUpstreamTicketResponse, answer);
    rejects(ZGetUpstreamTicketResponse, { ...answer, hasMore: undefined });
    rejects(ZGetUpstreamTicketResponse, { ...answer, events: [{ ...answer.events[0], type: "ticket.deleted" }] });
    rejects(ZGetUpstreamTicketResponse, { ...answer, messages: [{ ...upstreamMessage, author: { kind: "system", id: "0", name: "系统" } }] });
    rejects(ZGetUpstreamTicketResponse, {
      ...answer,
      messages: [{ ...upstreamMessage, attachments: [{ ...upstreamMessage.attachments[0], url: "https://evil.example/x" }] }],
    });
    rejects(ZGetUpstreamTicketResponse, {
      ...answer,
      messages: [{ ...upstreamMessage, attachments: [{ ...upstreamMessage.attachments[0], sha256: "ABC" }] }],
    });
  });

  it("list changed answer: nextCursor is a cursor or null", () => {
    const ticket = { guid: GUID, externalId: "598", state: "CLOSED", updatedAt: "2025-11-28T16:21:03Z" };
    accepts(ZListChangedTicketsResponse, { tickets: [ticket], nextCursor: "ch-2" });
    accepts(ZListChangedTicketsResponse, { tickets: [], nextCursor: null });
    rejects(ZListChangedTicketsResponse, { tickets: [ticket] });
    rejects(ZListChangedTicketsResponse, { tickets: [{ ...ticket, updatedAt: "yesterday" }], nextCursor: null });
  });
});

describe("callbacks", () => {
  it("parses message.created with the message as data", () => {
    const event = ZCallbackEvent.parse({ ...envelope, type: "message.created", data: upstreamMessage });
    expect(event.type === "message.created" && event.data.author.kind).toBe("agent");
  });

  it.each(["ticket.accepted", "ticket.returned", "ticket.closed"])("parses %s with agent and reason", (type) => {
    accepts(ZCallbackEvent, { ...envelope, type, data: { agent: AGENT, reason: "请客户确认" } });
    accepts(ZCallbackEvent, { ...envelope, type, data: {} });
    rejects(ZCallbackEvent, { ...envelope, type, data: { agent: { id: "404907" } } });
    rejects(ZCallbackEvent, { ...envelope, type });
  });

  it.each(["ticket.finished", "ticket.escalated", "ticket.deleted"])("refuses %s, which is never called back", (type) => {
    rejects(ZCallbackEvent, { ...envelope, type, data: {} });
  });

  it("refuses a message.created whose data is not a message", () => {
    rejects(ZCallbackEvent, { ...envelope, type: "message.created", data: { agent: AGENT } });
  });

  it.each(["eventId", "guid", "externalId", "occurredAt"])("requires %s", (field) => {
    rejects(ZCallbackEvent, { ...envelope, [field]: undefined, type: "ticket.closed", data: {} });
  });
});

describe("errors", () => {
  it("maps every code to its HTTP status", () => {
    expect(Object.keys(HTTP_STATUS_FOR_ERROR).sort()).toEqual([...PROTOCOL_ERROR_CODES].sort());
    expect(HTTP_STATUS_FOR_ERROR).toMatchObject({
      invalid_signature: 401,
      stale_timestamp: 401,
      not_found: 404,
      upstream_closed: 409,
      ticket_finished: 409,
      payload_too_large: 413,
      validation_failed: 422,
      rate_limited: 429,
      partner_disabled: 403,
      type_not_allowed: 403,
    });
  });

  it("reports a missing header as invalid_signature on the wire", () => {
    expect(errorCodeForVerifyFailure("missing_headers")).toBe("invalid_signature");
    expect(errorCodeForVerifyFailure("invalid_signature")).toBe("invalid_signature");
    expect(errorCodeForVerifyFailure("stale_timestamp")).toBe("stale_timestamp");
  });

  it("validates the error body", () => {
    accepts(ZProtocolErrorBody, { error: { code: "not_found", message: "No such ticket." } });
    accepts(ZProtocolErrorBody, {
      error: { code: "validation_failed", message: "Invalid.", issues: [{ path: "title", message: "required" }] },
    });
    rejects(ZProtocolErrorBody, { error: { code: "teapot", message: "x" } });
    rejects(ZProtocolErrorBody, { code: "not_found", message: "x" });
  });
});

describe("paths and helpers", () => {
  it("builds every path", () => {
    expect(PROTOCOL_PATHS.tickets()).toBe("/api/upstream/v1/tickets");
    expect(PROTOCOL_PATHS.ticket(GUID)).toBe(`/api/upstream/v1/tickets/${GUID}`);
    expect(PROTOCOL_PATHS.ticket(GUID, "c-5002")).toBe(`/api/upstream/v1/tickets/${GUID}?after=c-5002`);
    expect(PROTOCOL_PATHS.messages(GUID)).toBe(`/api/upstream/v1/tickets/${GUID}/messages`);
    expect(PROTOCOL_PATHS.escalate(GUID)).toBe(`/api/upstream/v1/tickets/${GUID}/escalate`);
    expect(PROTOCOL_PATHS.close(GUID)).toBe(`/api/upstream/v1/tickets/${GUID}/close`);
    expect(PROTOCOL_PATHS.attachment(GUID, SHA)).toBe(`/api/upstream/v1/tickets/${GUID}/attachments/${SHA}`);
    expect(PROTOCOL_PATHS.changedTickets()).toBe("/api/upstream/v1/tickets");
    expect(PROTOCOL_PATHS.changedTickets({ limit: 100, changedAfter: "ch-000130" })).toBe(
      "/api/upstream/v1/tickets?changedAfter=ch-000130&limit=100",
    );
  });

  it.each([
    ["", 0],
    ["YQ==", 1],
    ["YWI=", 2],
    ["YWJj", 3],
  ])("base64 %j decodes to %i bytes", (b64, bytes) => {
    expect(base64DecodedLength(b64)).toBe(bytes);
  });
});

describe("docs/UPSTREAM_PROTOCOL.md", () => {
  const doc = readFileSync(new URL("../../../docs/UPSTREAM_PROTOCOL.md", import.meta.url), "utf8");
  const examples = [...doc.matchAll(/<!-- example: (\w+) -->\s*```json\n([\s\S]*?)```/g)].map((m) => ({
    name: m[1] ?? "",
    json: m[2] ?? "",
  }));
  const schemas: Record<string, unknown> = protocol;

  it("has examples for every request, answer and callback type", () => {
    expect(new Set(examples.map((e) => e.name))).toEqual(
      new Set([
        "ZCreateUpstreamTicketRequest",
        "ZCreateUpstreamTicketResponse",
        "ZPostUpstreamMessageRequest",
        "ZPostUpstreamMessageResponse",
        "ZEscalateUpstreamTicketRequest",
        "ZEscalateUpstreamTicketResponse",
        "ZCloseUpstreamTicketRequest",
        "ZCloseUpstreamTicketResponse",
        "ZGetUpstreamTicketResponse",
        "ZListChangedTicketsResponse",
        "ZCallbackEvent",
        "ZProtocolErrorBody",
      ]),
    );
    const callbackTypes = examples
      .filter((e) => e.name === "ZCallbackEvent")
      .map((e) => ZCallbackEvent.parse(JSON.parse(e.json)).type);
    expect(callbackTypes.sort()).toEqual(["message.created", "ticket.accepted", "ticket.closed", "ticket.returned"]);
  });

  it.each(examples.map((e, i) => [`${i}: ${e.name}`, e] as const))("example %s is valid", (_label, example) => {
    const schema = schemas[example.name] as z.ZodType;
    accepts(schema, JSON.parse(example.json));
  });

  it("quotes the worked example's body byte for byte, its digests and signatures", () => {
    const body = examples.find((e) => e.name === "ZCreateUpstreamTicketRequest")?.json.replace(/\n$/, "") ?? "";
    expect(Buffer.byteLength(body, "utf8")).toBe(368);
    expect(sha256Hex(body)).toBe("5297d6ebd61e6f313ba5485b9ea0764012b9a7f27171259feceeb02f6210398e");
    expect(doc).toContain("5297d6ebd61e6f313ba5485b9ea0764012b9a7f27171259feceeb02f6210398e");
    expect(doc).toContain("v1=b5e182afc93a2b59ddb62da52b9124358ce07b0f4f570b9da77489c12d16a5b6");
    expect(doc).toContain("v1=4b216dd26d94d4bb323a034635c2d8fda822a792b7f0e83239db09cf05bad234");
  });
});
