/**
 * The ticket lifecycle: the one transition table that the portal, the console, upstream
 * callbacks, sync and the worker all check. Pure data plus a small evaluator, no I/O.
 *
 * A ticket moves in three dimensions: `status` (what the member and staff see),
 * `escalation` (our ticket at our upstream) and `partnerState` (a ticket a downstream
 * partner sent us, where we are the upstream). Rows say which action is allowed in which
 * state and where it leads; refusal guards say, in a fixed order, which rule a refused
 * action breaks. `checkTableIntegrity` (reachability.ts) proves the two agree.
 */

// Same strings as the Prisma enums; the domain stays free of the Prisma client.
export const TICKET_STATUSES = ["PENDING", "PROCESSING", "REPLIED", "MEMBER_REPLIED", "COMPLETED"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const ESCALATION_STATES = ["NONE", "ESCALATED", "RETURNED", "UPSTREAM_CLOSED"] as const;
export type EscalationState = (typeof ESCALATION_STATES)[number];

export const UPSTREAM_TICKET_STATES = ["OPEN", "RETURNED", "CLOSED", "FINISHED"] as const;
export type UpstreamTicketState = (typeof UPSTREAM_TICKET_STATES)[number];

export type TicketSnapshot = {
  status: TicketStatus;
  escalation: EscalationState;
  /** Non-null only for a ticket a downstream partner sent us (we are its upstream). */
  partnerState: UpstreamTicketState | null;
  /** A staff member accepted it (接单客服 is set). */
  accepted: boolean;
  /** R1: the ticket's category is non-NORMAL and submits to the API. */
  categoryEligible: boolean;
  rated: boolean;
};

/** The part of a ticket the table moves. */
export type TicketState = Pick<TicketSnapshot, "status" | "escalation" | "partnerState">;

/** Where every ticket starts, by the door it came through; reachability.ts explores from these. */
export const INITIAL_STATE = {
  member: { status: "PENDING", escalation: "NONE", partnerState: null },
  partner: { status: "PENDING", escalation: "NONE", partnerState: "OPEN" },
} as const satisfies Record<"member" | "partner", TicketState>;

export const TICKET_ACTIONS = [
  "member.reply",
  "member.close",
  "member.rate",
  "staff.accept",
  "staff.reply",
  "staff.note",
  "staff.move",
  "staff.escalate",
  "staff.sync",
  "staff.close",
  "staff.returnToPartner",
  "staff.closeUpstreamSide",
  "upstream.ack",
  "upstream.message",
  "upstream.accept",
  "upstream.return",
  "upstream.close",
  "partner.message",
  "partner.escalate",
  "partner.close",
] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

export type Actor = "member" | "staff" | "upstream" | "partner";

export function actorOf(action: TicketAction): Actor {
  return action.slice(0, action.indexOf(".")) as Actor;
}

export const RULE_IDS = ["R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "R10", "LIFECYCLE"] as const;
export type RuleId = (typeof RULE_IDS)[number];

export const RULE_DESCRIPTIONS: Record<RuleId, string> = {
  R1: "Only a ticket whose category is non-NORMAL and submits to the API can be escalated.",
  R2: "Staff must accept a ticket before it can be escalated.",
  R3: "After escalation, reseller staff and upstream agents work the ticket together in one conversation.",
  R4: "The upstream either returns a ticket (it may be escalated again) or closes its side (no more escalation).",
  R5: "Only the reseller finally closes an escalated ticket; after the final close nobody acts on it but sync.",
  R6: "Escalations, returns, closes, moves and syncs are written into the conversation as system messages.",
  R7: "A member sees only their own tickets and only public entries.",
  R8: "Sync applies the upstream's state and messages to an escalated ticket; applying a change twice changes nothing.",
  R9: "A move that makes an escalated ticket ineligible for escalation is refused.",
  R10: "A category needs its required fields, BUSINESS_TECH and TRADEMARK have one category each, and a disabled category takes no new tickets.",
  LIFECYCLE: "The action does not fit the ticket's current state.",
};

export const REASON_CODES = [
  "TICKET_FINISHED",
  "NOT_MEMBER_TICKET",
  "NOT_PARTNER_TICKET",
  "PARTNER_TICKET_NOT_ESCALATABLE",
  "PARTNER_CLOSES_FOR_GOOD",
  "ESCALATED_MEMBER_CANNOT_CLOSE",
  "UPSTREAM_CLOSED",
  "ALREADY_ESCALATED",
  "NOT_ESCALATED",
  "NOT_AWAITING_ACK",
  "PARTNER_RETURNED",
  "PARTNER_CLOSED",
  "CATEGORY_NOT_API",
  "NOT_ACCEPTED",
  "ALREADY_ACCEPTED",
  "NOT_FINISHED",
  "ALREADY_RATED",
  "MOVE_MAKES_INELIGIBLE",
  // Never produced by the shipped table: checkTableIntegrity proves every refusal has a guard.
  "ACTION_NOT_ALLOWED",
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** A condition on a snapshot; an absent field matches any value. */
export type Condition = {
  status?: readonly TicketStatus[];
  escalation?: readonly EscalationState[];
  partnerState?: readonly (UpstreamTicketState | null)[];
  accepted?: boolean;
  categoryEligible?: boolean;
  rated?: boolean;
};

export type Transition = {
  action: TicketAction;
  when: Condition;
  /** An absent field, or 'keep', leaves that dimension as it is. */
  to: {
    status?: TicketStatus | "keep";
    escalation?: EscalationState | "keep";
    partnerState?: UpstreamTicketState | null | "keep";
  };
  rule: RuleId;
};

/** Explains a refusal: consulted in array order, only when no transition row matched. */
export type RefusalGuard = {
  actions: readonly TicketAction[];
  when: Condition;
  rule: RuleId;
  reason: ReasonCode;
};

export type LifecycleTable = {
  transitions: readonly Transition[];
  refusals: readonly RefusalGuard[];
};

export type Decision =
  | { ok: true; next: TicketState; noop: boolean }
  | { ok: false; rule: RuleId; reason: ReasonCode };

const OPEN: readonly TicketStatus[] = ["PENDING", "PROCESSING", "REPLIED", "MEMBER_REPLIED"];
const IN_PROGRESS: readonly TicketStatus[] = ["PROCESSING", "REPLIED", "MEMBER_REPLIED"];
const ESCALATED_ONCE: readonly EscalationState[] = ["ESCALATED", "RETURNED", "UPSTREAM_CLOSED"];
const ANY_PARTNER: readonly UpstreamTicketState[] = UPSTREAM_TICKET_STATES;
const MEMBER_TICKET = [null] as const;

const MEMBER_ACTIONS: readonly TicketAction[] = ["member.reply", "member.close", "member.rate"];
const UPSTREAM_ACTIONS: readonly TicketAction[] = [
  "upstream.ack",
  "upstream.message",
  "upstream.accept",
  "upstream.return",
  "upstream.close",
];

export const TRANSITIONS: readonly Transition[] = [
  // Our members only: a partner ticket's member lives in the partner's system.
  // Nobody accepted a PENDING ticket yet, so the member writing again leaves it PENDING.
  { action: "member.reply", when: { status: ["PENDING"], partnerState: MEMBER_TICKET }, to: {}, rule: "LIFECYCLE" },
  { action: "member.reply", when: { status: IN_PROGRESS, partnerState: MEMBER_TICKET }, to: { status: "MEMBER_REPLIED" }, rule: "LIFECYCLE" },
  // R5: while the upstream holds the ticket only staff may close it.
  {
    action: "member.close",
    when: { status: OPEN, escalation: ["NONE", "RETURNED", "UPSTREAM_CLOSED"], partnerState: MEMBER_TICKET },
    to: { status: "COMPLETED" },
    rule: "R5",
  },
  { action: "member.rate", when: { status: ["COMPLETED"], rated: false, partnerState: MEMBER_TICKET }, to: {}, rule: "LIFECYCLE" },

  { action: "staff.accept", when: { status: ["PENDING"], accepted: false }, to: { status: "PROCESSING" }, rule: "R2" },
  // A ticket already answered before anyone took it keeps its status; only the assignee is recorded.
  { action: "staff.accept", when: { status: IN_PROGRESS, accepted: false }, to: {}, rule: "R2" },
  { action: "staff.reply", when: { status: OPEN }, to: { status: "REPLIED" }, rule: "LIFECYCLE" },
  { action: "staff.note", when: { status: OPEN }, to: {}, rule: "LIFECYCLE" },
  // The target category's eligibility is checked by canMoveTo (R9).
  { action: "staff.move", when: { status: OPEN }, to: {}, rule: "R9" },
  {
    action: "staff.escalate",
    when: { status: OPEN, escalation: ["NONE", "RETURNED"], categoryEligible: true, accepted: true, partnerState: MEMBER_TICKET },
    to: { escalation: "ESCALATED" },
    rule: "R1",
  },
  // R5: after the final close sync is the one thing left, so a late upstream change is still seen.
  { action: "staff.sync", when: { escalation: ESCALATED_ONCE }, to: {}, rule: "R8" },
  // For a partner ticket the partner finishes it (partner.close); our close leaves partnerState alone.
  { action: "staff.close", when: { status: OPEN, partnerState: MEMBER_TICKET }, to: { status: "COMPLETED" }, rule: "R5" },
  // We are the upstream here: 转移工单 hands it back, 关闭工单 closes our side.
  {
    action: "staff.returnToPartner",
    when: { partnerState: ["OPEN"], status: OPEN },
    to: { partnerState: "RETURNED", status: "REPLIED" },
    rule: "R4",
  },
  {
    action: "staff.closeUpstreamSide",
    when: { partnerState: ["OPEN", "RETURNED"] },
    to: { partnerState: "CLOSED", status: "COMPLETED" },
    rule: "R4",
  },

  // Upstream actions carry no status guard: a late callback after our close must still apply.
  { action: "upstream.ack", when: { escalation: ["ESCALATED"] }, to: {}, rule: "LIFECYCLE" },
  // A message after our final close is stored but reopens nothing.
  { action: "upstream.message", when: { escalation: ESCALATED_ONCE, status: ["COMPLETED"] }, to: {}, rule: "R3" },
  { action: "upstream.message", when: { escalation: ESCALATED_ONCE, status: OPEN }, to: { status: "REPLIED" }, rule: "R3" },
  { action: "upstream.accept", when: { escalation: ESCALATED_ONCE }, to: {}, rule: "R3" },
  { action: "upstream.return", when: { escalation: ["ESCALATED"] }, to: { escalation: "RETURNED" }, rule: "R4" },
  // A repeated return is idempotent (R8); a late return after a close must not reopen it (R4).
  { action: "upstream.return", when: { escalation: ["RETURNED", "UPSTREAM_CLOSED"] }, to: {}, rule: "R4" },
  // Closing its side never finishes the ticket: only the reseller does (R5).
  { action: "upstream.close", when: { escalation: ["ESCALATED", "RETURNED"] }, to: { escalation: "UPSTREAM_CLOSED" }, rule: "R4" },
  { action: "upstream.close", when: { escalation: ["UPSTREAM_CLOSED"] }, to: {}, rule: "R4" },

  // The partner plays the member's part on tickets it sent us.
  { action: "partner.message", when: { partnerState: ["OPEN", "RETURNED"], status: ["PENDING"] }, to: {}, rule: "R3" },
  {
    action: "partner.message",
    when: { partnerState: ["OPEN", "RETURNED"], status: [...IN_PROGRESS, "COMPLETED"] },
    to: { status: "MEMBER_REPLIED" },
    rule: "R3",
  },
  { action: "partner.escalate", when: { partnerState: ["RETURNED"] }, to: { partnerState: "OPEN", status: "MEMBER_REPLIED" }, rule: "R4" },
  { action: "partner.escalate", when: { partnerState: ["OPEN"] }, to: {}, rule: "R4" },
  // The partner's close is final for both sides; repeating it is harmless.
  {
    action: "partner.close",
    when: { partnerState: ["OPEN", "RETURNED", "CLOSED"] },
    to: { partnerState: "FINISHED", status: "COMPLETED" },
    rule: "R5",
  },
  { action: "partner.close", when: { partnerState: ["FINISHED"] }, to: {}, rule: "R5" },
];

/**
 * Fixed order, most specific first: the kind of ticket (no state change can fix it) →
 * finished (R5) → escalation / partner-state guards (R4 …) → R1 → R2 → plain lifecycle.
 */
export const REFUSALS: readonly RefusalGuard[] = [
  { actions: MEMBER_ACTIONS, when: { partnerState: ANY_PARTNER }, rule: "LIFECYCLE", reason: "NOT_MEMBER_TICKET" },
  // Escalating a ticket we received would make a chain; not supported yet.
  { actions: ["staff.escalate"], when: { partnerState: ANY_PARTNER }, rule: "LIFECYCLE", reason: "PARTNER_TICKET_NOT_ESCALATABLE" },
  // Only the partner closes its ticket for good (R5); our staff close our side (closeUpstreamSide).
  { actions: ["staff.close"], when: { partnerState: ANY_PARTNER }, rule: "R5", reason: "PARTNER_CLOSES_FOR_GOOD" },
  {
    actions: ["staff.returnToPartner", "staff.closeUpstreamSide", "partner.message", "partner.escalate", "partner.close"],
    when: { partnerState: MEMBER_TICKET },
    rule: "LIFECYCLE",
    reason: "NOT_PARTNER_TICKET",
  },

  {
    actions: [
      "member.reply",
      "member.close",
      "staff.accept",
      "staff.reply",
      "staff.note",
      "staff.move",
      "staff.escalate",
      "staff.close",
      "staff.returnToPartner",
    ],
    when: { status: ["COMPLETED"] },
    rule: "R5",
    reason: "TICKET_FINISHED",
  },
  {
    actions: ["staff.returnToPartner", "staff.closeUpstreamSide", "partner.message", "partner.escalate"],
    when: { partnerState: ["FINISHED"] },
    rule: "R5",
    reason: "TICKET_FINISHED",
  },

  { actions: ["staff.escalate"], when: { escalation: ["UPSTREAM_CLOSED"] }, rule: "R4", reason: "UPSTREAM_CLOSED" },
  { actions: ["staff.escalate"], when: { escalation: ["ESCALATED"] }, rule: "LIFECYCLE", reason: "ALREADY_ESCALATED" },
  { actions: ["member.close"], when: { escalation: ["ESCALATED"] }, rule: "R5", reason: "ESCALATED_MEMBER_CANNOT_CLOSE" },
  { actions: ["staff.sync"], when: { escalation: ["NONE"] }, rule: "R8", reason: "NOT_ESCALATED" },
  { actions: UPSTREAM_ACTIONS, when: { escalation: ["NONE"] }, rule: "LIFECYCLE", reason: "NOT_ESCALATED" },
  // An ack confirms a pending create/escalate; once returned or closed it is stale.
  { actions: ["upstream.ack"], when: { escalation: ["RETURNED", "UPSTREAM_CLOSED"] }, rule: "LIFECYCLE", reason: "NOT_AWAITING_ACK" },
  { actions: ["staff.returnToPartner"], when: { partnerState: ["RETURNED"] }, rule: "R4", reason: "PARTNER_RETURNED" },
  {
    actions: ["staff.returnToPartner", "staff.closeUpstreamSide", "partner.message"],
    when: { partnerState: ["CLOSED"] },
    rule: "R4",
    reason: "PARTNER_CLOSED",
  },
  // Seen from the partner, we are its upstream and we closed our side.
  { actions: ["partner.escalate"], when: { partnerState: ["CLOSED"] }, rule: "R4", reason: "UPSTREAM_CLOSED" },

  { actions: ["staff.escalate"], when: { categoryEligible: false }, rule: "R1", reason: "CATEGORY_NOT_API" },
  { actions: ["staff.escalate"], when: { accepted: false }, rule: "R2", reason: "NOT_ACCEPTED" },

  { actions: ["staff.accept"], when: { accepted: true }, rule: "LIFECYCLE", reason: "ALREADY_ACCEPTED" },
  { actions: ["member.rate"], when: { status: OPEN }, rule: "LIFECYCLE", reason: "NOT_FINISHED" },
  { actions: ["member.rate"], when: { rated: true }, rule: "LIFECYCLE", reason: "ALREADY_RATED" },
];

export const LIFECYCLE_TABLE: LifecycleTable = { transitions: TRANSITIONS, refusals: REFUSALS };

export function matchesCondition(when: Condition, s: TicketSnapshot): boolean {
  return (
    (when.status === undefined || when.status.includes(s.status)) &&
    (when.escalation === undefined || when.escalation.includes(s.escalation)) &&
    (when.partnerState === undefined || when.partnerState.includes(s.partnerState)) &&
    (when.accepted === undefined || when.accepted === s.accepted) &&
    (when.categoryEligible === undefined || when.categoryEligible === s.categoryEligible) &&
    (when.rated === undefined || when.rated === s.rated)
  );
}

/** Evaluates any table; `decide` is this over the shipped one (the integrity check feeds others). */
export function decideIn(table: LifecycleTable, action: TicketAction, s: TicketSnapshot): Decision {
  const row = table.transitions.find((r) => r.action === action && matchesCondition(r.when, s));
  if (!row) {
    const guard = table.refusals.find((g) => g.actions.includes(action) && matchesCondition(g.when, s));
    return guard
      ? { ok: false, rule: guard.rule, reason: guard.reason }
      : { ok: false, rule: "LIFECYCLE", reason: "ACTION_NOT_ALLOWED" };
  }
  const next: TicketState = {
    status: row.to.status === undefined || row.to.status === "keep" ? s.status : row.to.status,
    escalation: row.to.escalation === undefined || row.to.escalation === "keep" ? s.escalation : row.to.escalation,
    partnerState: row.to.partnerState === undefined || row.to.partnerState === "keep" ? s.partnerState : row.to.partnerState,
  };
  return { ok: true, next, noop: sameState(next, s) };
}

/**
 * Whether `action` is allowed on a ticket in state `s`, and the state it leads to.
 * `noop` means no dimension moves: the caller still does the action's own work (store the
 * note, message or rating, record the assignee) but writes no transition event — which is
 * also how a replayed callback (a second return, a second close) changes nothing.
 */
export function decide(action: TicketAction, s: TicketSnapshot): Decision {
  return decideIn(LIFECYCLE_TABLE, action, s);
}

/** R9: a move is a staff.move that must not leave an escalated ticket in an ineligible category. */
export function canMoveTo(
  s: TicketSnapshot,
  targetCategoryEligible: boolean,
  table: LifecycleTable = LIFECYCLE_TABLE,
): Decision {
  const decision = decideIn(table, "staff.move", s);
  if (decision.ok && s.escalation === "ESCALATED" && !targetCategoryEligible) {
    return { ok: false, rule: "R9", reason: "MOVE_MAKES_INELIGIBLE" };
  }
  return decision;
}

/** The actions `actor` may take now, in table order: what the UI shows as buttons. */
export function availableActions(s: TicketSnapshot, actor: Actor): TicketAction[] {
  return TICKET_ACTIONS.filter((a) => actorOf(a) === actor && decide(a, s).ok);
}

/**
 * Actions that leave an entry the member reads: a public message, the member's own close or
 * rating, a staff close (its public system line). Notes, moves, escalation and the upstream's
 * state traffic are staff-only work.
 */
export const MEMBER_VISIBLE_ACTIONS: ReadonlySet<TicketAction> = new Set<TicketAction>([
  "member.reply",
  "member.close",
  "member.rate",
  "staff.reply",
  "staff.close",
  "upstream.message",
]);

/**
 * Whether a transition changes what the member sees: such a change moves the member's own
 * version (the member's close is checked against it) and last-activity time (我的工单's order);
 * staff-only work moves neither, so it neither reorders the member's list nor makes the
 * member's close report "工单已被他人修改".
 */
export function isMemberVisible(action: TicketAction, from: TicketState, to: TicketState): boolean {
  return MEMBER_VISIBLE_ACTIONS.has(action) || from.status !== to.status;
}

/** Closed on our side (已完成). A partner ticket may still be reopened by its partner. */
export function isFinished(s: Pick<TicketSnapshot, "status">): boolean {
  return s.status === "COMPLETED";
}

function sameState(a: TicketState, b: TicketState): boolean {
  return a.status === b.status && a.escalation === b.escalation && a.partnerState === b.partnerState;
}

/** Every cell of the table: all statuses × escalations × partner states × accepted × eligible × rated. */
export function allSnapshots(): TicketSnapshot[] {
  const out: TicketSnapshot[] = [];
  for (const status of TICKET_STATUSES)
    for (const escalation of ESCALATION_STATES)
      for (const partnerState of [null, ...UPSTREAM_TICKET_STATES])
        for (const accepted of [false, true])
          for (const categoryEligible of [false, true])
            for (const rated of [false, true]) out.push({ status, escalation, partnerState, accepted, categoryEligible, rated });
  return out;
}
