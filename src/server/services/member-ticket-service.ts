import type { Db, Tx } from "../db/client.ts";
import { inTransaction } from "../db/transaction.ts";
import { claimAttachments, insertMessage, insertTicketEvent, type TicketForCommand } from "../db/repos/tickets.ts";
import {
  countMemberServices,
  findMemberServiceByBusinessId,
  insertMemberTicket,
} from "../db/repos/portal-tickets.ts";
import { categoryOpenForNewTickets } from "./category-service.ts";
import { AppError, notFound } from "../errors.ts";
import type { MemberViewer } from "../viewer.ts";
import { INITIAL_STATE } from "../domain/ticket-lifecycle.ts";
import { runTicketCommand, type ActorRef } from "./ticket-command.ts";
import { automateFiling } from "./automation-service.ts";
import { startTicketClocks } from "./sla-clock.ts";
import { writeSystemMessage } from "./system-message.ts";
import { afterFinalClose, afterPublicMessage } from "./ticket-hooks.ts";
import { takeMemberAllowance } from "./member-rate-limits.ts";
import type { RateLimits } from "../rate-limits.ts";
import type { CreateTicketInput, MemberReplyInput, MemberTicketRef, RateTicketInput } from "./member-ticket-inputs.ts";

/** What a member does to tickets in the portal. State changes go through runTicketCommand. */

const memberActor = (v: MemberViewer): ActorRef => ({ kind: "MEMBER", id: String(v.memberId), name: v.name });
const ownerKey = (v: MemberViewer) => `member:${v.memberId}`;

/** R7: another member's ticket is reported exactly like a missing one. */
const ownTicket = (v: MemberViewer) => (ticket: TicketForCommand) => {
  if (ticket.memberId !== v.memberId) throw notFound("ticket");
};

/** Attach the member's pending uploads; any id that is not theirs (or already used) undoes the whole change. */
async function claimOwnUploads(tx: Tx, viewer: MemberViewer, ids: number[], ticketId: number, messageId: number) {
  const unique = [...new Set(ids)];
  const claimed = await claimAttachments(tx, unique, ownerKey(viewer), ticketId, messageId);
  if (claimed !== unique.length) throw new AppError("VALIDATION", "errors.attachmentNotYours");
}

const NO_BUSINESS = { businessId: null, businessIp: null, businessType: null };

/**
 * 业务ID / 业务IP / 业务类型 for a BUSINESS_TECH ticket. A member with a list of services picks
 * one, and its IP and type come from our records (not from the form); a member without one types
 * them. Empty means the ticket concerns no particular service (the manual shows `-`).
 */
async function resolveBusiness(tx: Tx, viewer: MemberViewer, input: CreateTicketInput) {
  if ((await countMemberServices(tx, viewer.memberId)) === 0) {
    return { businessId: input.businessId || null, businessIp: input.businessIp || null, businessType: input.businessType || null };
  }
  if (!input.businessId) return NO_BUSINESS;
  const service = await findMemberServiceByBusinessId(tx, viewer.memberId, input.businessId);
  if (!service) throw new AppError("VALIDATION", "portal.errors.unknownService");
  return { businessId: service.businessId, businessIp: service.ip, businessType: service.type };
}

/** 提交工单: ticket + first message + attachments + audit row, all or nothing. */
export async function createMemberTicket(db: Db, limits: RateLimits, viewer: MemberViewer, input: CreateTicketInput) {
  await takeMemberAllowance(limits, "newTicket", viewer.memberId);
  return inTransaction(db, async (tx) => {
    const category = await categoryOpenForNewTickets(tx, input.categoryId); // R10
    const business = category.type === "BUSINESS_TECH" ? await resolveBusiness(tx, viewer, input) : NO_BUSINESS;
    const now = new Date();
    const automation = await automateFiling(tx, { categoryId: category.id, categoryName: category.name, title: input.title, body: input.body });
    const ticket = await insertMemberTicket(tx, {
      status: INITIAL_STATE.member.status,
      memberId: viewer.memberId,
      categoryId: automation.categoryId,
      assigneeId: automation.assigneeId,
      title: input.title,
      contactPhone: input.contactPhone || null,
      contactQq: input.contactQq || null,
      ...business,
      createdAt: now,
    });
    const message = await insertMessage(tx, {
      ticketId: ticket.id,
      authorKind: "MEMBER",
      memberId: viewer.memberId,
      visibility: "PUBLIC",
      body: input.body,
      createdAt: now,
    });
    await claimOwnUploads(tx, viewer, input.attachmentIds, ticket.id, message.id);
    await automation.record(ticket.id, now);
    await startTicketClocks(tx, { id: ticket.id, categoryId: automation.categoryId, createdAt: now });
    const actor = memberActor(viewer);
    await insertTicketEvent(tx, {
      ticketId: ticket.id,
      action: "member.create",
      actorKind: actor.kind,
      actorId: actor.id,
      actorName: actor.name,
      toStatus: ticket.status,
      toEscalation: ticket.escalation,
      data: { categoryId: automation.categoryId, attachments: input.attachmentIds.length, ...automation.audit },
      messageId: message.id,
    });
    return { ticketId: ticket.id };
  });
}

/**
 * The command results are cut down to ids: the full result carries the escalation state, which a
 * member never sees (R7).
 */

/** 回复: 待回复 for staff; escalated tickets forward it upstream through the hook. */
export async function replyAsMember(db: Db, limits: RateLimits, viewer: MemberViewer, input: MemberReplyInput) {
  await takeMemberAllowance(limits, "reply", viewer.memberId);
  const { ticketId, result } = await runTicketCommand(db, {
    ticketId: input.ticketId,
    action: "member.reply",
    actor: memberActor(viewer),
    seen: input.seenMessageId === undefined ? undefined : { messageId: input.seenMessageId, writer: { memberId: viewer.memberId } },
    authorize: ownTicket(viewer),
    effects: async (tx, ticket, _next, now) => {
      const message = await insertMessage(tx, {
        ticketId: ticket.id,
        authorKind: "MEMBER",
        memberId: viewer.memberId,
        visibility: "PUBLIC",
        body: input.body,
        createdAt: now,
      });
      await claimOwnUploads(tx, viewer, input.attachmentIds, ticket.id, message.id);
      await afterPublicMessage(tx, ticket, {
        id: message.id,
        authorKind: "MEMBER",
        authorName: viewer.name,
        body: input.body,
        createdAt: now,
        attachmentIds: input.attachmentIds,
      });
      return { messageId: message.id };
    },
  });
  return { ticketId, messageId: result.messageId };
}

/** 关闭工单 by the member: refused while the upstream holds the ticket (R5). */
export async function closeAsMember(db: Db, viewer: MemberViewer, input: MemberTicketRef) {
  await runTicketCommand(db, {
    ticketId: input.ticketId,
    // The portal shows the member-visible version: staff-only work since does not conflict.
    expectedMemberVersion: input.expectedVersion,
    action: "member.close",
    actor: memberActor(viewer),
    authorize: ownTicket(viewer),
    patch: (_t, _next, now) => ({ finishedAt: now }),
    effects: async (tx, ticket, _next, now) => {
      await writeSystemMessage(tx, ticket.id, "closedByMember", {}, now);
      await afterFinalClose(tx, ticket);
    },
  });
  return { ticketId: input.ticketId };
}

/** 工单评论: once, on a finished ticket (the table refuses a second rating). */
export async function rateTicket(db: Db, viewer: MemberViewer, input: RateTicketInput) {
  await runTicketCommand(db, {
    ticketId: input.ticketId,
    action: "member.rate",
    actor: memberActor(viewer),
    authorize: ownTicket(viewer),
    patch: (_t, _next, now) => ({ rating: input.rating, ratingComment: input.comment || null, ratedAt: now }),
    auditData: { rating: input.rating },
  });
  return { ticketId: input.ticketId };
}
