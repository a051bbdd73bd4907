import { availableActions, type TicketAction, type TicketSnapshot } from "./ticket-lifecycle.ts";

/**
 * The ticket page's 操作 row and composer, derived from the lifecycle table only: a control is
 * shown exactly when availableActions(snapshot, "staff") contains its action, so the page can never
 * offer what the table refuses (and the LIFECYCLE test walks every cell to prove it).
 */

/** 操作 row buttons in the manual's order: 接单 移动工单 同步工单 转移到云技术客服 关闭工单, then the partner pair. */
export const CONSOLE_BUTTONS = [
  ["accept", "staff.accept"],
  ["move", "staff.move"],
  ["sync", "staff.sync"],
  ["escalate", "staff.escalate"],
  ["close", "staff.close"],
  ["returnToPartner", "staff.returnToPartner"],
  ["closeUpstreamSide", "staff.closeUpstreamSide"],
] as const satisfies readonly (readonly [string, TicketAction])[];
export type ConsoleButton = (typeof CONSOLE_BUTTONS)[number][0];

export type ConsoleControls = {
  buttons: ConsoleButton[];
  /** 已接单: shown in place of 接单 once somebody accepted the ticket. */
  accepted: boolean;
  /** 不可移交: a member ticket of an API category whose escalation is over for good. */
  notTransferable: boolean;
  /** The reply box (公开回复) and the internal note (仅平台客服可见). */
  reply: boolean;
  note: boolean;
};

export function consoleControls(s: TicketSnapshot): ConsoleControls {
  const allowed = new Set(availableActions(s, "staff"));
  return {
    buttons: CONSOLE_BUTTONS.filter(([, action]) => allowed.has(action)).map(([button]) => button),
    accepted: s.accepted,
    // R4/R5: after the upstream closed its side or the final close, escalation cannot come back.
    notTransferable: s.partnerState === null && s.categoryEligible && (s.escalation === "UPSTREAM_CLOSED" || s.status === "COMPLETED"),
    reply: allowed.has("staff.reply"),
    note: allowed.has("staff.note"),
  };
}

/** The staff actions a set of controls offers: what the LIFECYCLE test compares with the table. */
export function actionsShown(c: ConsoleControls): TicketAction[] {
  const byButton = new Map<string, TicketAction>(CONSOLE_BUTTONS);
  return [
    ...c.buttons.map((b) => byButton.get(b) as TicketAction),
    ...(c.reply ? (["staff.reply"] as const) : []),
    ...(c.note ? (["staff.note"] as const) : []),
  ];
}
