/**
 * Auto-close (自动关闭): a ticket that waits for the member (已回复) and hears nothing for the
 * category's number of days gets a reminder, then is closed by the system. Never while the
 * upstream holds it. Keyed on the last public message (a note or a move does not restart it).
 */
import { matchesCondition, type Condition, type TicketAction, type TicketSnapshot, type TicketState } from "./ticket-lifecycle.ts";

/** The only state auto-close acts in; checked again under the row lock before closing. */
export const AUTO_CLOSE_WHEN: Condition = {
  status: ["REPLIED"],
  escalation: ["NONE", "RETURNED", "UPSTREAM_CLOSED"],
  partnerState: [null],
};

/** Actions that write a public message from our side: the auto-close clock starts at them. */
export const PUBLIC_ANSWER_ACTIONS: ReadonlySet<TicketAction> = new Set<TicketAction>(["staff.reply", "upstream.message"]);

const DAY = 86_400_000;

export function mayAutoClose(s: TicketSnapshot): boolean {
  return matchesCondition(AUTO_CLOSE_WHEN, s);
}

export type AutoCloseSchedule = { remindAt: Date; closeAt: Date };

/**
 * When a ticket in state `to` is reminded and closed, or null when auto-close does not apply
 * (off for the category, or the state is not one it acts in). The reminder goes a day before the
 * close (halfway for a one-day setting).
 */
export function autoCloseSchedule(
  to: TicketState,
  lastPublicAnswerAt: Date | null,
  days: number | null,
): AutoCloseSchedule | null {
  if (days === null || days <= 0 || !lastPublicAnswerAt) return null;
  // The condition names only the three moving dimensions, so the rest of a snapshot is irrelevant.
  if (!matchesCondition(AUTO_CLOSE_WHEN, { ...to, accepted: true, categoryEligible: true, rated: false })) return null;
  const closeAt = new Date(lastPublicAnswerAt.getTime() + days * DAY);
  const remindAt = new Date(closeAt.getTime() - (days > 1 ? DAY : DAY / 2));
  return { remindAt, closeAt };
}

/** The last public answer after this action: now when the action wrote one, else as it was. */
export function lastPublicAnswerAfter(action: TicketAction, before: Date | null, now: Date): Date | null {
  return PUBLIC_ANSWER_ACTIONS.has(action) ? now : before;
}
