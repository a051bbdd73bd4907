/**
 * Service levels (SLA): which clocks run in which ticket state, as rows, and the pure step that
 * moves a ticket's clocks through one command. The ticket command calls `advanceClocks` in the
 * transaction of the change; the sweep reads `alertsDue`. No clock is read here: `now` is passed.
 *
 * Our clocks, on the category's policy calendar:
 * - first response: from filing until the first staff action (响应时间);
 * - next response: from a member's reply (after the first response) until staff or 云技术客服 answer;
 * - resolution: from filing until 已完成, paused while the ticket waits for the member (已回复).
 * The upstream clocks, on the 上级资源's calendar, run while the ticket is escalated:
 * - acknowledgement (upstream first response): until the upstream acknowledges, accepts or writes;
 * - resolution: until the upstream returns the ticket, closes its side, or we close it.
 */
import { addBusinessMinutes, elapsedBusinessMinutes, type BusinessCalendar } from "./business-calendar.ts";
import type { EscalationState, TicketAction, TicketState, TicketStatus } from "./ticket-lifecycle.ts";

export type SlaTargets = {
  firstResponseMinutes: number | null;
  nextResponseMinutes: number | null;
  resolutionMinutes: number | null;
  /** Share of a target after which the ticket is 即将超时 (80 = 80 %). */
  warnPercent: number;
};
export type UpstreamTargets = { ackMinutes: number | null; resolutionMinutes: number | null; warnPercent: number };

export type ClockPolicy<T> = { targets: T; calendar: BusinessCalendar };

/** One deadline: when it warns and when it is breached; `startedAt` names its cycle. */
export type Deadline = { startedAt: Date; warnAt: Date; dueAt: Date };

/** What a ticket row stores of its clocks (materialised; the queue and the sweep read it). */
export type SlaClocks = {
  firstResponse: Deadline | null;
  nextResponse: Deadline | null;
  resolution: Deadline | null;
  /** Business minutes the resolution clock ran before the current run (paused time excluded). */
  resolutionUsedMinutes: number;
  /** Since when the resolution clock runs; null while paused or stopped. */
  resolutionRunningSince: Date | null;
  upstreamAck: Deadline | null;
  upstreamResolution: Deadline | null;
  upstreamEscalatedAt: Date | null;
  /** The upstream's first public reply in the current escalation. */
  upstreamFirstReplyAt: Date | null;
};

/** Durations and verdicts written when a clock settles: the reports read only these. */
export type SlaOutcomes = Partial<{
  firstResponseMinutes: number;
  firstResponseMet: boolean;
  resolutionMinutes: number;
  resolutionMet: boolean;
  upstreamAckMinutes: number;
  upstreamAckMet: boolean;
  upstreamFirstReplyMinutes: number;
  upstreamSettleMinutes: number;
  upstreamResolutionMet: boolean;
}>;

export const NO_CLOCKS: SlaClocks = {
  firstResponse: null,
  nextResponse: null,
  resolution: null,
  resolutionUsedMinutes: 0,
  resolutionRunningSince: null,
  upstreamAck: null,
  upstreamResolution: null,
  upstreamEscalatedAt: null,
  upstreamFirstReplyAt: null,
};

// --- The rules, as data --------------------------------------------------------------------------

/** The resolution clock in each status: it pauses while we wait for the member (已回复). */
export const RESOLUTION_CLOCK: Record<TicketStatus, "running" | "paused" | "stopped"> = {
  PENDING: "running",
  PROCESSING: "running",
  REPLIED: "paused",
  MEMBER_REPLIED: "running",
  COMPLETED: "stopped",
};

/** The first staff action settles the first response (the same actions that set 响应时间). */
export const FIRST_RESPONSE_SETTLED_BY: ReadonlySet<TicketAction> = new Set<TicketAction>([
  "staff.accept",
  "staff.reply",
  "staff.escalate",
  "staff.close",
  "staff.returnToPartner",
  "staff.closeUpstreamSide",
]);

/** A member's reply owes an answer; a public answer (or the close) pays it. */
export const NEXT_RESPONSE_STARTED_BY: ReadonlySet<TicketAction> = new Set<TicketAction>(["member.reply", "partner.message"]);
export const NEXT_RESPONSE_SETTLED_BY: ReadonlySet<TicketAction> = new Set<TicketAction>([
  "staff.reply",
  "upstream.message",
  "staff.close",
  "staff.returnToPartner",
  "staff.closeUpstreamSide",
]);

/** The upstream clocks run only in this escalation state, and never on a finished ticket. */
export const UPSTREAM_CLOCK_RUNS_IN: readonly EscalationState[] = ["ESCALATED"];
/** What counts as the upstream's acknowledgement (its first response). */
export const UPSTREAM_ACK_BY: ReadonlySet<TicketAction> = new Set<TicketAction>(["upstream.ack", "upstream.accept", "upstream.message"]);

/** Whether a change touches an escalation at all (only then do the upstream clocks need their policy). */
export const involvesUpstream = (from: Pick<TicketState, "escalation">, to: Pick<TicketState, "escalation">) => from.escalation !== "NONE" || to.escalation !== "NONE";

const upstreamRuns = (s: TicketState) => UPSTREAM_CLOCK_RUNS_IN.includes(s.escalation) && RESOLUTION_CLOCK[s.status] !== "stopped";

// --- Deadlines ---------------------------------------------------------------------------------

/** A fresh deadline of `minutes` business minutes from `from` (none without a target). */
export function deadlineFrom(policy: ClockPolicy<{ warnPercent: number }>, minutes: number | null, from: Date): Deadline | null {
  if (minutes === null) return null;
  return {
    startedAt: from,
    warnAt: addBusinessMinutes(policy.calendar, from, (minutes * policy.targets.warnPercent) / 100),
    dueAt: addBusinessMinutes(policy.calendar, from, minutes),
  };
}

/** The resolution deadline of a run that resumes at `since` having used `used` minutes. */
function resolutionDeadline(policy: ClockPolicy<SlaTargets>, startedAt: Date, since: Date, used: number): Deadline | null {
  const target = policy.targets.resolutionMinutes;
  if (target === null) return null;
  const warn = (target * policy.targets.warnPercent) / 100;
  return {
    startedAt,
    warnAt: addBusinessMinutes(policy.calendar, since, Math.max(0, warn - used)),
    dueAt: addBusinessMinutes(policy.calendar, since, Math.max(0, target - used)),
  };
}

/** The clocks of a ticket filed at `at` (PENDING, not escalated). */
export function clocksOnCreate(policy: ClockPolicy<SlaTargets> | null, at: Date): SlaClocks {
  if (!policy) return NO_CLOCKS;
  return {
    ...NO_CLOCKS,
    firstResponse: deadlineFrom(policy, policy.targets.firstResponseMinutes, at),
    resolution: resolutionDeadline(policy, at, at, 0),
    resolutionRunningSince: at,
  };
}

export type ClockStep = {
  action: TicketAction;
  from: TicketState;
  to: TicketState;
  now: Date;
  createdAt: Date;
  clocks: SlaClocks;
  policy: ClockPolicy<SlaTargets> | null;
  upstream: ClockPolicy<UpstreamTargets> | null;
};

/**
 * One command's effect on the clocks: settle what the action pays, pause or resume resolution by
 * the status it leads to, start or settle the upstream clocks by the escalation it leads to.
 * Without a policy our clocks stay as they are (none run); durations are still recorded against
 * the calendar when one exists.
 */
export function advanceClocks(step: ClockStep): { clocks: SlaClocks; outcomes: SlaOutcomes } {
  const { action, from, to, now, policy, upstream } = step;
  const c: SlaClocks = { ...step.clocks };
  const out: SlaOutcomes = {};

  if (policy) {
    if (c.firstResponse && FIRST_RESPONSE_SETTLED_BY.has(action)) {
      out.firstResponseMinutes = elapsedBusinessMinutes(policy.calendar, c.firstResponse.startedAt, now);
      out.firstResponseMet = now <= c.firstResponse.dueAt;
      c.firstResponse = null;
    }
    if (c.nextResponse && NEXT_RESPONSE_SETTLED_BY.has(action)) c.nextResponse = null;
    if (!c.nextResponse && !c.firstResponse && NEXT_RESPONSE_STARTED_BY.has(action) && RESOLUTION_CLOCK[to.status] === "running" && to.status !== "PENDING") {
      c.nextResponse = deadlineFrom(policy, policy.targets.nextResponseMinutes, now);
    }

    const was = c.resolutionRunningSince !== null;
    const runs = RESOLUTION_CLOCK[to.status] === "running";
    if (was && !runs) {
      c.resolutionUsedMinutes += elapsedBusinessMinutes(policy.calendar, c.resolutionRunningSince!, now);
      c.resolutionRunningSince = null;
      if (RESOLUTION_CLOCK[to.status] === "stopped" && policy.targets.resolutionMinutes !== null) {
        out.resolutionMinutes = c.resolutionUsedMinutes;
        out.resolutionMet = c.resolutionUsedMinutes <= policy.targets.resolutionMinutes;
      }
      c.resolution = null;
      if (RESOLUTION_CLOCK[to.status] === "stopped") c.nextResponse = null;
    } else if (!was && runs) {
      c.resolutionRunningSince = now;
      c.resolution = resolutionDeadline(policy, step.createdAt, now, c.resolutionUsedMinutes);
    }
  }

  if (upstream) {
    const wasUp = upstreamRuns(from) && c.upstreamEscalatedAt !== null;
    const runsUp = upstreamRuns(to);
    if (!wasUp && runsUp) {
      c.upstreamEscalatedAt = now;
      c.upstreamFirstReplyAt = null;
      c.upstreamAck = deadlineFrom(upstream, upstream.targets.ackMinutes, now);
      c.upstreamResolution = deadlineFrom(upstream, upstream.targets.resolutionMinutes, now);
    } else if (wasUp) {
      const since = c.upstreamEscalatedAt!;
      if (action === "upstream.message" && c.upstreamFirstReplyAt === null) {
        c.upstreamFirstReplyAt = now;
        out.upstreamFirstReplyMinutes = elapsedBusinessMinutes(upstream.calendar, since, now);
      }
      if (c.upstreamAck && (UPSTREAM_ACK_BY.has(action) || !runsUp)) {
        out.upstreamAckMinutes = elapsedBusinessMinutes(upstream.calendar, since, now);
        out.upstreamAckMet = now <= c.upstreamAck.dueAt;
        c.upstreamAck = null;
      }
      if (!runsUp) {
        out.upstreamSettleMinutes = elapsedBusinessMinutes(upstream.calendar, since, now);
        if (c.upstreamResolution) out.upstreamResolutionMet = now <= c.upstreamResolution.dueAt;
        c.upstreamResolution = null;
        c.upstreamAck = null;
      }
    }
  } else if (!upstreamRuns(to)) {
    c.upstreamAck = null;
    c.upstreamResolution = null;
  }
  return { clocks: c, outcomes: out };
}

// --- What the queue and the sweep read -----------------------------------------------------------

export const SLA_CLOCK_NAMES = ["firstResponse", "nextResponse", "resolution", "upstreamAck", "upstreamResolution"] as const;
export type SlaClockName = (typeof SLA_CLOCK_NAMES)[number];
/** Ours: what the member is owed (the queue's badge). The upstream's are the vendor's. */
export const MEMBER_CLOCKS: readonly SlaClockName[] = ["firstResponse", "nextResponse", "resolution"];

/** The nearest of some deadlines (the queue's materialised sort and filter key). */
export function nearestDeadline(clocks: SlaClocks, names: readonly SlaClockName[] = MEMBER_CLOCKS): Deadline | null {
  let best: Deadline | null = null;
  for (const n of names) {
    const d = clocks[n];
    if (d && (!best || d.dueAt < best.dueAt)) best = d;
  }
  return best;
}

/** The badge: 即将超时 from the warning threshold, 已超时 from the deadline. */
export type SlaBadge = "OK" | "WARNING" | "BREACHED";
export function badgeOf(deadline: Pick<Deadline, "warnAt" | "dueAt"> | null, now: Date): SlaBadge | null {
  if (!deadline) return null;
  if (now >= deadline.dueAt) return "BREACHED";
  if (now >= deadline.warnAt) return "WARNING";
  return "OK";
}

export type SlaAlert = { clock: SlaClockName; stage: "WARNING" | "BREACHED"; startedAt: Date; dueAt: Date };

/** Every threshold passed by `now`; the sweep records each (clock, stage, cycle) once. */
export function alertsDue(clocks: SlaClocks, now: Date): SlaAlert[] {
  const out: SlaAlert[] = [];
  for (const clock of SLA_CLOCK_NAMES) {
    const d = clocks[clock];
    if (!d) continue;
    if (now >= d.warnAt) out.push({ clock, stage: "WARNING", startedAt: d.startedAt, dueAt: d.dueAt });
    if (now >= d.dueAt) out.push({ clock, stage: "BREACHED", startedAt: d.startedAt, dueAt: d.dueAt });
  }
  return out;
}

/** When the sweep must look at the ticket next: its earliest threshold not yet passed at `after`. */
export function nextCheckAt(clocks: SlaClocks, after: Date | null): Date | null {
  let best: Date | null = null;
  for (const clock of SLA_CLOCK_NAMES) {
    const d = clocks[clock];
    if (!d) continue;
    for (const t of [d.warnAt, d.dueAt]) if ((after === null || t > after) && (!best || t < best)) best = t;
  }
  return best;
}

/** Minutes of wall-clock time left until a deadline (negative once breached): rows and the ticket page. */
export function minutesLeft(deadline: Pick<Deadline, "dueAt"> | null, now: Date): number | null {
  return deadline ? Math.floor((deadline.dueAt.getTime() - now.getTime()) / 60_000) : null;
}
