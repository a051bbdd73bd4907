import { z } from "zod";
import { ZId } from "../schemas.ts";
import type { Db, Tx } from "../db/client.ts";
import { claimAttachments, insertMessage, type TicketForCommand } from "../db/repos/tickets.ts";
import { findActiveStaffBrief, findCategoryBrief } from "../db/repos/lookups.ts";
import { canMoveTo } from "../domain/ticket-lifecycle.ts";
import { isEscalationEligible } from "../domain/category-rules.ts";
import { AppError, notFound } from "../errors.ts";
import type { StaffViewer } from "../viewer.ts";
import { runTicketCommand, ruleViolation, snapshotOf, type ActorRef } from "./ticket-command.ts";
import { writeSystemMessage } from "./system-message.ts";
import { afterAccepted, afterFinalClose, afterPublicMessage } from "./ticket-hooks.ts";
import { ZMessageInput, ZTicketRef, type MessageInput } from "./ticket-inputs.ts";

/** Staff actions on the ticket page (工单信息 → 操作). Each is one lifecycle-checked command. */

const staffActor = (v: StaffViewer): ActorRef => ({ kind: "STAFF", id: String(v.staffId), name: v.name });
/** 响应时间: set by the first staff action, never moved afterwards. */
const firstResponse = (t: TicketForCommand, now: Date) => ({ respondedAt: t.respondedAt ?? now });

/** 接单 (R2): records 接单客服 and 响应时间. */
export function acceptTicket(db: Db, viewer: StaffViewer, input: z.infer<typeof ZTicketRef>) {
  return runTicketCommand(db, {
    ticketId: input.ticketId,
    expectedVersion: input.expectedVersion,
    action: "staff.accept",
    actor: staffActor(viewer),
    patch: (t, _next, now) => ({ assigneeId: viewer.staffId, ...firstResponse(t, now) }),
    effects: (tx, ticket) => afterAccepted(tx, ticket),
  });
}

async function writeStaffMessage(tx: Tx, viewer: StaffViewer, ticket: TicketForCommand, input: MessageInput, visibility: "PUBLIC" | "STAFF_ONLY", now: Date) {
  const message = await insertMessage(tx, {
    ticketId: ticket.id,
    authorKind: "STAFF",
    staffId: viewer.staffId,
    visibility,
    body: input.body,
    createdAt: now,
  });
  const claimed = await claimAttachments(tx, input.attachmentIds, `staff:${viewer.staffId}`, ticket.id, message.id);
  if (claimed !== input.attachmentIds.length) throw new AppError("VALIDATION", "errors.attachmentNotYours");
  return message;
}

/** Public reply: the member (and, when escalated, the upstream; or the partner) sees it. */
export function replyToTicket(db: Db, viewer: StaffViewer, input: z.infer<typeof ZMessageInput>) {
  return runTicketCommand(db, {
    ticketId: input.ticketId,
    expectedVersion: input.expectedVersion,
    action: "staff.reply",
    actor: staffActor(viewer),
    seen: input.seenMessageId === undefined ? undefined : { messageId: input.seenMessageId, writer: { staffId: viewer.staffId } },
    patch: (t, _next, now) => ({ ...firstResponse(t, now), lastReplyAt: now }),
    effects: async (tx, ticket, _next, now) => {
      const message = await writeStaffMessage(tx, viewer, ticket, input, "PUBLIC", now);
      await afterPublicMessage(tx, ticket, {
        id: message.id,
        authorKind: "STAFF",
        authorName: viewer.name,
        body: input.body,
        createdAt: now,
        attachmentIds: input.attachmentIds,
      });
      return { messageId: message.id };
    },
  });
}

/** Internal note (仅平台客服可见): never reaches the member, the upstream or a partner (R7). */
export function addInternalNote(db: Db, viewer: StaffViewer, input: z.infer<typeof ZMessageInput>) {
  return runTicketCommand(db, {
    ticketId: input.ticketId,
    expectedVersion: input.expectedVersion,
    action: "staff.note",
    actor: staffActor(viewer),
    patch: (t, _next, now) => firstResponse(t, now),
    effects: async (tx, ticket, _next, now) => ({ messageId: (await writeStaffMessage(tx, viewer, ticket, input, "STAFF_ONLY", now)).id }),
  });
}

export const ZMoveInput = ZTicketRef.extend({
  categoryId: ZId.optional(),
  /** null = unassign */
  assigneeId: ZId.nullable().optional(),
}).refine((v) => v.categoryId !== undefined || v.assigneeId !== undefined, { message: "errors.moveNothing" });

/** 移动工单 (R9): change category and/or assignee; a move that makes an escalated ticket ineligible is refused. */
export async function moveTicket(db: Db, viewer: StaffViewer, input: z.infer<typeof ZMoveInput>) {
  const target = input.categoryId !== undefined ? await findCategoryBrief(db, input.categoryId) : null;
  if (input.categoryId !== undefined && (!target || !target.enabled)) throw notFound("category");
  const assignee = input.assigneeId ? await findActiveStaffBrief(db, input.assigneeId) : null;
  if (input.assigneeId && !assignee) throw notFound("staff");

  return runTicketCommand(db, {
    ticketId: input.ticketId,
    expectedVersion: input.expectedVersion,
    action: "staff.move",
    actor: staffActor(viewer),
    authorize: (ticket) => {
      if (!target) return;
      const decision = canMoveTo(snapshotOf(ticket), isEscalationEligible(target));
      if (!decision.ok) throw ruleViolation(decision);
    },
    patch: (t, _next, now) => ({
      ...firstResponse(t, now),
      ...(target ? { categoryId: target.id } : {}),
      ...(input.assigneeId !== undefined ? { assigneeId: input.assigneeId } : {}),
    }),
    effects: async (tx, ticket, _next, now) => {
      if (target && target.id !== ticket.categoryId) {
        await writeSystemMessage(tx, ticket.id, "moved", { staff: viewer.name, from: ticket.category.name, to: target.name }, now);
      }
      if (input.assigneeId !== undefined && input.assigneeId !== ticket.assigneeId) {
        await writeSystemMessage(tx, ticket.id, "assigned", { staff: viewer.name, to: assignee?.displayName ?? "-" }, now);
      }
    },
    auditData: { categoryId: input.categoryId ?? null, assigneeId: input.assigneeId ?? null },
  });
}

/** 关闭工单 (R5): the final close; reported upstream when escalated; afterwards nobody acts. */
export function closeTicket(db: Db, viewer: StaffViewer, input: z.infer<typeof ZTicketRef>) {
  return runTicketCommand(db, {
    ticketId: input.ticketId,
    expectedVersion: input.expectedVersion,
    action: "staff.close",
    actor: staffActor(viewer),
    patch: (t, _next, now) => ({ ...firstResponse(t, now), finishedAt: now }),
    effects: async (tx, ticket, _next, now) => {
      await writeSystemMessage(tx, ticket.id, "closedByStaff", {}, now);
      await afterFinalClose(tx, ticket);
    },
  });
}
