import { randomBytes } from "node:crypto";
import type { Db, Tx } from "../db/client.ts";
import { inTransaction } from "../db/transaction.ts";
import { findMessageByExternalId, insertMessage, insertTicketEvent } from "../db/repos/tickets.ts";
import {
  findCategoriesOfType,
  findPartnerTicketByExternalId,
  findPartnerTicketByGuid,
  insertAttachment,
  insertPartnerHistory,
  insertPartnerTicket,
  type PartnerTicketRef,
} from "../db/repos/partner-tickets.ts";
import { canReceiveNewTickets } from "../domain/category-rules.ts";
import { INITIAL_STATE } from "../domain/ticket-lifecycle.ts";
import { isUniqueViolation } from "../errors.ts";
import { startTicketClocks } from "../services/sla-clock.ts";
import { automateFiling } from "../services/automation-service.ts";
import type {
  CloseUpstreamTicketRequest,
  CreateUpstreamTicketRequest,
  EscalateUpstreamTicketRequest,
  NewUpstreamMessage,
  PostUpstreamMessageResponse,
  UpstreamTicketStateResponse,
} from "../protocol/schemas.ts";
import type { BlobStore } from "../storage/blob-store.ts";
import { runTicketCommand, type ActorRef } from "../services/ticket-command.ts";
import { writeSystemMessage } from "../services/system-message.ts";
import { notFoundError, ProtocolError, protocolErrorForRule, ticketFinishedError, upstreamClosedError } from "../protocol/errors.ts";
import { recordPartnerEvent } from "./partner-events.ts";
import { wireMessageId } from "./wire.ts";

// The partner's writes (protocol 6.1–6.4), each idempotent as §9 says. Every state change goes
// through runTicketCommand with a partner.* action, so the lifecycle table decides (R4, R5).

/** The partner a signed request came from (resolved by the HTTP layer). */
export type AuthenticatedPartner = { id: number; partnerId: string; name: string; allowedTypes: readonly string[] };

/** Columns sized for display (VarChar(64)) hold at most that much of what a partner sends. */
const MAX_DISPLAY_COLUMN = 64;
/** Ticket.partnerTicketNo is VarChar(64): longer external ids are refused, not cut (they are keys). */
export const MAX_EXTERNAL_ID_LENGTH = 64;

const clip = (value: string | undefined, max = MAX_DISPLAY_COLUMN) => (value === undefined ? null : [...value].slice(0, max).join(""));
const partnerActor = (p: AuthenticatedPartner, name?: string): ActorRef => ({ kind: "PARTNER", id: p.partnerId, name: name ?? p.name });
const stateBody = (t: PartnerTicketRef): UpstreamTicketStateResponse => ({
  guid: t.guid!,
  externalId: t.partnerTicketNo!,
  state: t.partnerState!,
});

/** Our GUID for the partner: 96 random bits, URL-safe (protocol §2). */
export function newGuid(): string {
  return randomBytes(12).toString("base64url");
}

/** The partner's ticket under `guid`, or 404: asked before anything in the body is judged (§8). */
export async function partnerTicketOf(db: Db | Tx, partner: AuthenticatedPartner, guid: string): Promise<PartnerTicketRef> {
  const ticket = await findPartnerTicketByGuid(db, partner.id, guid);
  if (!ticket) throw notFoundError();
  return ticket;
}

/**
 * §9: a create whose externalId this partner already used answers the stored ticket, whatever the
 * rest of the body says — so this runs on the parsed JSON, before validation.
 */
export async function findRepeatedCreate(db: Db, partner: AuthenticatedPartner, body: unknown): Promise<UpstreamTicketStateResponse | null> {
  const externalId = (body as { externalId?: unknown } | null)?.externalId;
  if (typeof externalId !== "string" || externalId.length === 0 || externalId.length > 100) return null;
  const existing = await findPartnerTicketByExternalId(db, partner.id, externalId);
  return existing ? stateBody(existing) : null;
}

/** A rule the lifecycle table refused, answered in the protocol's words. */
async function inProtocolTerms<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw protocolErrorForRule(e) ?? e;
  }
}

type StoredFile = { sha256: string; fileName: string; mimeType: string; size: number };

/** Files go to the content store before the transaction: writing the same bytes again is a no-op. */
async function storeFiles(store: BlobStore, message: NewUpstreamMessage): Promise<StoredFile[]> {
  const files: StoredFile[] = [];
  for (const a of message.attachments ?? []) {
    const bytes = Buffer.from(a.content, "base64");
    files.push({ sha256: await store.put(bytes), fileName: a.fileName, mimeType: a.mimeType, size: bytes.length });
  }
  return files;
}

const partnerMessageRow = (ticketId: number, message: NewUpstreamMessage, now: Date) => ({
  ticketId,
  authorKind: "PARTNER" as const,
  agentName: message.author.name,
  body: message.body,
  externalId: message.externalMessageId,
  createdAt: message.createdAt ? new Date(message.createdAt) : now,
});
const partnerFileRow = (partner: AuthenticatedPartner, f: StoredFile) => ({
  storageKey: f.sha256,
  fileName: f.fileName,
  mimeType: f.mimeType,
  size: f.size,
  ownerKey: `partner:${partner.partnerId}`.slice(0, 80),
});

async function insertPartnerMessage(tx: Tx, partner: AuthenticatedPartner, ticketId: number, message: NewUpstreamMessage, files: StoredFile[], now: Date) {
  const row = await insertMessage(tx, partnerMessageRow(ticketId, message, now));
  for (const f of files) await insertAttachment(tx, { ticketId, messageId: row.id, ...partnerFileRow(partner, f) });
  return row;
}

export type CreateResult = { created: boolean; body: UpstreamTicketStateResponse };

/** 6.1: a new partner ticket in the first enabled category of its type, PENDING, partner state OPEN. */
export async function createTicketFromPartner(
  db: Db,
  store: BlobStore,
  partner: AuthenticatedPartner,
  input: CreateUpstreamTicketRequest,
): Promise<CreateResult> {
  if ([...input.externalId].length > MAX_EXTERNAL_ID_LENGTH) {
    throw new ProtocolError("validation_failed", "externalId is too long for this upstream.", [
      { path: "externalId", message: `at most ${MAX_EXTERNAL_ID_LENGTH} characters at this upstream` },
    ]);
  }
  if (!partner.allowedTypes.includes(input.type)) {
    throw new ProtocolError("type_not_allowed", `Ticket type ${input.type} is not allowed for this partner.`);
  }
  // R10, as at the portal: the first category of the type that takes new tickets.
  const category = (await findCategoriesOfType(db, input.type)).find(canReceiveNewTickets);
  if (!category) {
    throw new ProtocolError("validation_failed", `This upstream has no enabled category of type ${input.type}.`, [
      { path: "type", message: `no enabled category of type ${input.type} at this upstream` },
    ]);
  }
  const files = await Promise.all(input.messages.map((m) => storeFiles(store, m)));
  const now = new Date();
  try {
    const ticket = await inTransaction(db, async (tx) => {
      const automation = await automateFiling(tx, { categoryId: category.id, categoryName: category.name, title: input.title, body: input.messages.map((m) => m.body).join("\n") });
      const created = await insertPartnerTicket(tx, {
        status: INITIAL_STATE.partner.status,
        partnerState: INITIAL_STATE.partner.partnerState,
        title: input.title,
        categoryId: automation.categoryId,
        assigneeId: automation.assigneeId,
        partnerId: partner.id,
        partnerTicketNo: input.externalId,
        guid: newGuid(),
        partnerMember: input.member,
        contactPhone: clip(input.member.phone, 40),
        contactQq: clip(input.member.qq, 20),
        businessId: clip(input.business?.id),
        businessIp: clip(input.business?.ip),
        businessType: clip(input.business?.type),
        createdAt: now,
      });
      await insertPartnerHistory(
        tx,
        input.messages.map((m) => partnerMessageRow(created.id, m, now)),
        files.map((list) => list.map((f) => partnerFileRow(partner, f))),
      );
      await insertTicketEvent(tx, {
        ticketId: created.id,
        action: "partner.create",
        actorKind: "PARTNER",
        actorId: partner.partnerId,
        actorName: partner.name,
        toStatus: INITIAL_STATE.partner.status,
        data: { externalId: input.externalId, type: input.type, ...automation.audit },
      });
      await automation.record(created.id, now);
      // A partner's ticket is measured like a member's: its clocks start with the filing.
      await startTicketClocks(tx, { id: created.id, categoryId: automation.categoryId, createdAt: now });
      return created;
    });
    return { created: true, body: stateBody(ticket) };
  } catch (e) {
    // Two copies of the same create raced: the loser answers like a repeat.
    if (isUniqueViolation(e)) {
      const winner = await findPartnerTicketByExternalId(db, partner.id, input.externalId);
      if (winner) return { created: false, body: stateBody(winner) };
    }
    throw e;
  }
}

export type PostMessageResult = { created: boolean; body: PostUpstreamMessageResponse };

/** 6.2: idempotent on externalMessageId, checked before the state so a retry after a close succeeds. */
export async function postMessageFromPartner(
  db: Db,
  store: BlobStore,
  partner: AuthenticatedPartner,
  ticket: PartnerTicketRef,
  message: NewUpstreamMessage,
): Promise<PostMessageResult> {
  const seen = async () => {
    const row = await findMessageByExternalId(db, ticket.id, message.externalMessageId);
    return row ? { created: false, body: { id: wireMessageId(row.id) } } : null;
  };
  const repeat = await seen();
  if (repeat) return repeat;
  const files = await storeFiles(store, message);
  try {
    const { result } = await inProtocolTerms(() =>
      runTicketCommand(db, {
        ticketId: ticket.id,
        action: "partner.message",
        actor: partnerActor(partner, message.author.name),
        effects: async (tx, _t, _next, now) => ({ messageId: (await insertPartnerMessage(tx, partner, ticket.id, message, files, now)).id }),
      }),
    );
    return { created: true, body: { id: wireMessageId(result.messageId) } };
  } catch (e) {
    if (isUniqueViolation(e)) {
      const winner = await seen();
      if (winner) return winner;
    }
    throw e;
  }
}

/** 6.3: RETURNED → OPEN; OPEN is a no-op; CLOSED and FINISHED refuse (R4, R5). */
export async function escalateFromPartner(db: Db, partner: AuthenticatedPartner, ticket: PartnerTicketRef, input: EscalateUpstreamTicketRequest) {
  if (ticket.partnerState === "OPEN") return stateBody(ticket);
  if (ticket.partnerState === "CLOSED") throw upstreamClosedError();
  if (ticket.partnerState === "FINISHED") throw ticketFinishedError();
  await inProtocolTerms(() =>
    runTicketCommand(db, {
      ticketId: ticket.id,
      action: "partner.escalate",
      actor: partnerActor(partner),
      auditData: input.reason ? { reason: input.reason } : undefined,
      effects: async (tx, t, next, now) => {
        if (t.partnerState === next.partnerState) return; // lost a race to an identical escalate
        await writeSystemMessage(tx, t.id, "partnerReEscalated", { partner: partner.name }, now);
        await recordPartnerEvent(tx, t, "ticket.escalated", input.reason ? { reason: input.reason } : {}, partnerActor(partner), now);
      },
    }),
  );
  return stateBody(await partnerTicketOf(db, partner, ticket.guid!));
}

/** 6.4: the partner's final close, from any state; repeating it is a no-op (R5). */
export async function closeFromPartner(db: Db, partner: AuthenticatedPartner, ticket: PartnerTicketRef, input: CloseUpstreamTicketRequest) {
  if (ticket.partnerState === "FINISHED") return stateBody(ticket);
  await inProtocolTerms(() =>
    runTicketCommand(db, {
      ticketId: ticket.id,
      action: "partner.close",
      actor: partnerActor(partner),
      auditData: input.reason ? { reason: input.reason } : undefined,
      patch: (t, _next, now) => ({ finishedAt: t.finishedAt ?? now }),
      effects: async (tx, t, next, now) => {
        if (t.partnerState === next.partnerState) return;
        await writeSystemMessage(tx, t.id, "partnerFinished", { partner: partner.name }, now);
        await recordPartnerEvent(tx, t, "ticket.finished", input.reason ? { reason: input.reason } : {}, partnerActor(partner), now);
      },
    }),
  );
  return stateBody(await partnerTicketOf(db, partner, ticket.guid!));
}
