import { isMemberVisible, TICKET_ACTIONS, type TicketAction, type TicketState, type TicketStatus } from "./ticket-lifecycle.ts";

/** An audit row as the live channel sees it. */
export type AuditedChange = {
  action: string;
  fromStatus: TicketStatus | null;
  toStatus: TicketStatus | null;
  /** The conversation entry the action wrote, if any. */
  messageVisibility: "PUBLIC" | "STAFF_ONLY" | null;
};

const isTicketAction = (a: string): a is TicketAction => (TICKET_ACTIONS as readonly string[]).includes(a);
const stateOf = (status: TicketStatus): TicketState => ({ status, escalation: "NONE", partnerState: null });

/**
 * Whether the member who owns the ticket may hear that this change happened (R7): the same rule
 * that moves the member's version (isMemberVisible), never for a staff-only entry, and the
 * member's own filing. Everything else — notes, escalation traffic, deliveries — is staff work.
 */
export function memberMayHearOf(change: AuditedChange): boolean {
  if (change.messageVisibility === "STAFF_ONLY") return false;
  if (change.action === "member.create") return true;
  if (!isTicketAction(change.action) || change.toStatus === null) return false;
  return isMemberVisible(change.action, stateOf(change.fromStatus ?? change.toStatus), stateOf(change.toStatus));
}
