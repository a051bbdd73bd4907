import {
  ZCloseUpstreamTicketRequest,
  ZCreateUpstreamTicketRequest,
  ZEscalateUpstreamTicketRequest,
  ZGetUpstreamTicketQuery,
  ZListChangedTicketsQuery,
  ZPostUpstreamMessageRequest,
  ZProtocolId,
} from "../protocol/schemas.ts";
import {
  closeFromPartner,
  createTicketFromPartner,
  escalateFromPartner,
  findRepeatedCreate,
  partnerTicketOf,
  postMessageFromPartner,
} from "./partner-inbound.ts";
import { CHANGE_SETTLE_MS, getTicketForPartner, listChangedForPartner, readAttachmentForPartner } from "./partner-reads.ts";
import { notFoundError } from "../protocol/errors.ts";
import { jsonResponse, parseJsonBody, parseJsonValue, parseQuery, validate } from "../protocol/inbound-frame.ts";
import { protocolEndpoint, type EndpointContext } from "./partner-door.ts";

// One handler per endpoint of docs/UPSTREAM_PROTOCOL.md §6. Each parses and calls one service;
// the route files under src/app/api/upstream/v1/tickets/ only supply the environment. Order (§8):
// an unknown GUID is 404 and a repeated create 200 before the body is validated.

/** A GUID that cannot be one of ours cannot be the partner's either: not_found, like any other. */
function guidParam(ctx: EndpointContext): string {
  const parsed = ZProtocolId.safeParse(ctx.params.guid);
  if (!parsed.success) throw notFoundError();
  return parsed.data;
}

/** POST /api/upstream/v1/tickets (6.1) */
export const createTicketEndpoint = protocolEndpoint(async (ctx) => {
  const body = parseJsonValue(ctx.rawBody);
  const repeat = await findRepeatedCreate(ctx.env.db, ctx.partner, body);
  if (repeat) return jsonResponse(200, repeat);
  const input = validate(ZCreateUpstreamTicketRequest, body);
  const result = await createTicketFromPartner(ctx.env.db, ctx.env.store, ctx.partner, input);
  return jsonResponse(result.created ? 201 : 200, result.body);
});

/** GET /api/upstream/v1/tickets?changedAfter=…&limit=… (6.6) */
export const listChangedEndpoint = protocolEndpoint(async (ctx) => {
  const query = parseQuery(ZListChangedTicketsQuery, ctx.url);
  const now = ctx.env.now?.() ?? new Date();
  const settledBefore = new Date(now.getTime() - (ctx.env.changeSettleMs ?? CHANGE_SETTLE_MS));
  return jsonResponse(200, await listChangedForPartner(ctx.env.db, ctx.partner, query, settledBefore));
});

/** GET /api/upstream/v1/tickets/{guid}?after=… (6.5) */
export const getTicketEndpoint = protocolEndpoint(async (ctx) => {
  const guid = guidParam(ctx);
  const query = parseQuery(ZGetUpstreamTicketQuery, ctx.url);
  return jsonResponse(200, await getTicketForPartner(ctx.env.db, ctx.partner, guid, query.after));
});

/** POST /api/upstream/v1/tickets/{guid}/messages (6.2) */
export const postMessageEndpoint = protocolEndpoint(async (ctx) => {
  const ticket = await partnerTicketOf(ctx.env.db, ctx.partner, guidParam(ctx));
  const input = parseJsonBody(ZPostUpstreamMessageRequest, ctx.rawBody);
  const result = await postMessageFromPartner(ctx.env.db, ctx.env.store, ctx.partner, ticket, input);
  return jsonResponse(result.created ? 201 : 200, result.body);
});

/** POST /api/upstream/v1/tickets/{guid}/escalate (6.3) */
export const escalateEndpoint = protocolEndpoint(async (ctx) => {
  const ticket = await partnerTicketOf(ctx.env.db, ctx.partner, guidParam(ctx));
  const input = parseJsonBody(ZEscalateUpstreamTicketRequest, ctx.rawBody, true);
  return jsonResponse(200, await escalateFromPartner(ctx.env.db, ctx.partner, ticket, input));
});

/** POST /api/upstream/v1/tickets/{guid}/close (6.4) */
export const closeEndpoint = protocolEndpoint(async (ctx) => {
  const ticket = await partnerTicketOf(ctx.env.db, ctx.partner, guidParam(ctx));
  const input = parseJsonBody(ZCloseUpstreamTicketRequest, ctx.rawBody, true);
  return jsonResponse(200, await closeFromPartner(ctx.env.db, ctx.partner, ticket, input));
});

/** GET /api/upstream/v1/tickets/{guid}/attachments/{sha256} (6.7) */
export const attachmentEndpoint = protocolEndpoint(async (ctx) => {
  const guid = guidParam(ctx);
  const file = await readAttachmentForPartner(ctx.env.db, ctx.env.store, ctx.partner, guid, ctx.params.sha256 ?? "");
  return new Response(Buffer.from(file.bytes), {
    status: 200,
    headers: {
      "Content-Type": file.mimeType,
      "Content-Length": String(file.bytes.byteLength),
      // RFC 6266 / 5987: the UTF-8 name for browsers that read it, an ASCII fallback for the rest.
      "Content-Disposition": `attachment; filename="${file.fileName.replace(/[^\x20-\x7e]|["\\]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      "Cache-Control": "no-store",
    },
  });
});
