import { z } from "zod";
import { ZId, ZVersion, zText } from "../schemas.ts";
import type { Db } from "../db/client.ts";
import { runTicketCommand, type ActorRef } from "../services/ticket-command.ts";
import { writeSystemMessage } from "../services/system-message.ts";
import { MAX_REASON_LENGTH } from "../protocol/schemas.ts";
import type { StaffViewer } from "../viewer.ts";
import { recordPartnerEvent } from "./partner-events.ts";

// Our staff acting as the partner's upstream (云技术客服) on a ticket the partner sent us (R4).

export const ZPartnerTicketAction = z.object({
  ticketId: ZId,
  expectedVersion: ZVersion.optional(),
  /** Optional words for the partner, sent with the callback. */
  reason: zText({ max: MAX_REASON_LENGTH, tooLong: "errors.reasonTooLong" }).optional(),
});
export type PartnerTicketActionInput = z.infer<typeof ZPartnerTicketAction>;

const staffActor = (v: StaffViewer): ActorRef => ({ kind: "STAFF", id: String(v.staffId), name: v.name });
const eventData = (v: StaffViewer, reason: string | undefined) => ({
  agent: { id: String(v.staffId), name: v.name },
  ...(reason ? { reason } : {}),
});

/** 转移工单: hand the ticket back to the partner (partner state RETURNED); it may escalate again. */
export function returnToPartner(db: Db, viewer: StaffViewer, input: PartnerTicketActionInput) {
  return runTicketCommand(db, {
    ticketId: input.ticketId,
    expectedVersion: input.expectedVersion,
    action: "staff.returnToPartner",
    actor: staffActor(viewer),
    auditData: input.reason ? { reason: input.reason } : undefined,
    patch: (t, _next, now) => ({ respondedAt: t.respondedAt ?? now }),
    effects: async (tx, ticket, _next, now) => {
      await writeSystemMessage(tx, ticket.id, "returnedToPartner", { staff: viewer.name }, now);
      await recordPartnerEvent(tx, ticket, "ticket.returned", eventData(viewer, input.reason), staffActor(viewer), now);
    },
  });
}

/** 关闭工单 on our side: partner state CLOSED; the partner can no longer escalate it (不可移交). */
export function closeUpstreamSide(db: Db, viewer: StaffViewer, input: PartnerTicketActionInput) {
  return runTicketCommand(db, {
    ticketId: input.ticketId,
    expectedVersion: input.expectedVersion,
    action: "staff.closeUpstreamSide",
    actor: staffActor(viewer),
    auditData: input.reason ? { reason: input.reason } : undefined,
    patch: (t, _next, now) => ({ respondedAt: t.respondedAt ?? now, finishedAt: t.finishedAt ?? now }),
    effects: async (tx, ticket, _next, now) => {
      await writeSystemMessage(tx, ticket.id, "closedUpstreamSide", { staff: viewer.name }, now);
      await recordPartnerEvent(tx, ticket, "ticket.closed", eventData(viewer, input.reason), staffActor(viewer), now);
    },
  });
}
