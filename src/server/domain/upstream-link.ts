import type { EscalationState, UpstreamTicketState } from "./ticket-lifecycle.ts";

/**
 * UpstreamLink.state: our ticket's state at the upstream (protocol §6), as its answers, callbacks
 * and sync report it and as our own acts make it. Rows: which state may follow which. A report
 * that is no step of this table (a late answer saying OPEN after the upstream closed its side)
 * changes nothing: FINISHED is final, CLOSED only finishes.
 */
export const LINK_STATE_STEPS: Readonly<Record<UpstreamTicketState, readonly UpstreamTicketState[]>> = {
  OPEN: ["RETURNED", "CLOSED", "FINISHED"],
  RETURNED: ["OPEN", "CLOSED", "FINISHED"],
  CLOSED: ["FINISHED"],
  FINISHED: [],
};

/** A new link, before the upstream said anything: the create makes the ticket OPEN there (§6.1). */
export const INITIAL_LINK_STATE: UpstreamTicketState = "OPEN";

export function nextLinkState(current: UpstreamTicketState, reported: UpstreamTicketState): UpstreamTicketState {
  return LINK_STATE_STEPS[current].includes(reported) ? reported : current;
}

/**
 * 转移中, the one definition: escalated, and the upstream has not acknowledged it yet — no GUID
 * for our create, or our re-escalation still on its way (when the caller knows of it).
 */
export function isAwaitingUpstreamAck(t: { escalation: EscalationState; link: { guid: string | null } | null; reEscalationPending?: boolean }): boolean {
  return t.escalation === "ESCALATED" && t.link !== null && (t.link.guid === null || t.reEscalationPending === true);
}
