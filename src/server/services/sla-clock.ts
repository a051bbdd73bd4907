// The SLA clocks in the command path: load the category's policy (and, when escalated, the
// 上级资源's), let the domain advance the clocks, and write the materialised columns — inside the
// transaction of the command that moved the ticket.
import type { Tx } from "../db/client.ts";
import {
  findPolicyForCategory,
  findUpstreamPolicyForTicket,
  writeTicketSla,
  type CalendarWithDays,
  type PolicyWithCalendar,
  type TicketSlaUpdate,
  type UpstreamPolicyWithCalendar,
} from "../db/repos/sla.ts";
import { OFFICE_WEEK, periodsProblem, SHIFTED_WORKDAY_WEEKDAY, type BusinessCalendar, type WorkPeriod } from "../domain/business-calendar.ts";
import {
  NO_CLOCKS,
  SLA_CLOCK_NAMES,
  advanceClocks,
  clocksOnCreate,
  involvesUpstream,
  nearestDeadline,
  nextCheckAt,
  type ClockPolicy,
  type Deadline,
  type SlaClocks,
  type SlaOutcomes,
  type SlaTargets,
  type UpstreamTargets,
} from "../domain/sla.ts";
import { autoCloseSchedule, lastPublicAnswerAfter } from "../domain/auto-close.ts";
import type { TicketAction, TicketState } from "../domain/ticket-lifecycle.ts";

// --- Stored shapes ---------------------------------------------------------------------------------

function parsePeriods(value: unknown): WorkPeriod[] | null {
  if (!Array.isArray(value)) return null;
  const periods = value.map((p) => ({ start: Number((p as WorkPeriod)?.start), end: Number((p as WorkPeriod)?.end) }));
  return periodsProblem(periods) === null ? periods : null;
}

/** A stored calendar as the domain reads it; an unreadable weekly plan falls back to office hours. */
export function calendarOf(row: Pick<CalendarWithDays, "timeZone" | "weekly" | "days">): BusinessCalendar {
  const stored = Array.isArray(row.weekly) && row.weekly.length === 7 ? row.weekly.map(parsePeriods) : null;
  const weekly = stored && stored.every((d) => d !== null) ? (stored as WorkPeriod[][]) : OFFICE_WEEK;
  const overrides = new Map<string, readonly WorkPeriod[]>();
  for (const d of row.days) overrides.set(d.date, d.working ? (parsePeriods(d.periods) ?? weekly[SHIFTED_WORKDAY_WEEKDAY]!) : []);
  return { timeZone: row.timeZone, weekly, overrides };
}

export function ourPolicyOf(row: PolicyWithCalendar | null): ClockPolicy<SlaTargets> | null {
  if (!row) return null;
  return {
    calendar: calendarOf(row.calendar),
    targets: {
      firstResponseMinutes: row.firstResponseMinutes,
      nextResponseMinutes: row.nextResponseMinutes,
      resolutionMinutes: row.resolutionMinutes,
      warnPercent: row.warnPercent,
    },
  };
}

function upstreamPolicyOf(row: UpstreamPolicyWithCalendar | null): ClockPolicy<UpstreamTargets> | null {
  if (!row) return null;
  return { calendar: calendarOf(row.calendar), targets: { ackMinutes: row.ackMinutes, resolutionMinutes: row.resolutionMinutes, warnPercent: row.warnPercent } };
}

type StoredDeadline = { startedAt: string; warnAt: string; dueAt: string };
const deadlineOf = (d: StoredDeadline | null | undefined): Deadline | null =>
  d ? { startedAt: new Date(d.startedAt), warnAt: new Date(d.warnAt), dueAt: new Date(d.dueAt) } : null;
const dateOf = (v: unknown) => (typeof v === "string" ? new Date(v) : null);

export function clocksOf(json: unknown): SlaClocks | null {
  if (!json || typeof json !== "object") return null;
  const j = json as Record<string, unknown>;
  const c: SlaClocks = { ...NO_CLOCKS };
  for (const name of SLA_CLOCK_NAMES) c[name] = deadlineOf(j[name] as StoredDeadline | undefined);
  c.resolutionUsedMinutes = Number(j.resolutionUsedMinutes ?? 0);
  c.resolutionRunningSince = dateOf(j.resolutionRunningSince);
  c.upstreamEscalatedAt = dateOf(j.upstreamEscalatedAt);
  c.upstreamFirstReplyAt = dateOf(j.upstreamFirstReplyAt);
  return c;
}

/** Dates as ISO strings (JSON.stringify does it); the shape is `SlaClocks`. */
const clocksJson = (c: SlaClocks) => JSON.parse(JSON.stringify(c)) as TicketSlaUpdate["slaClocks"];

function outcomeColumns(o: SlaOutcomes): Partial<TicketSlaUpdate> {
  return {
    slaFirstResponseMinutes: o.firstResponseMinutes,
    slaFirstResponseMet: o.firstResponseMet,
    slaResolutionMinutes: o.resolutionMinutes,
    slaResolutionMet: o.resolutionMet,
    upstreamAckMinutes: o.upstreamAckMinutes,
    upstreamAckMet: o.upstreamAckMet,
    upstreamFirstReplyMinutes: o.upstreamFirstReplyMinutes,
    upstreamSettleMinutes: o.upstreamSettleMinutes,
    upstreamResolutionMet: o.upstreamResolutionMet,
  };
}

/** The materialised columns of a set of clocks. */
export function slaColumns(clocks: SlaClocks): Pick<TicketSlaUpdate, "slaClocks" | "slaWarnAt" | "slaDueAt" | "slaNextCheckAt"> {
  const nearest = nearestDeadline(clocks);
  return {
    slaClocks: clocksJson(clocks),
    slaWarnAt: nearest?.warnAt ?? null,
    slaDueAt: nearest?.dueAt ?? null,
    slaNextCheckAt: nextCheckAt(clocks, null),
  };
}

// --- The command path ---------------------------------------------------------------------------------

/** A filed ticket's clocks (member portal; a partner's ticket starts them at its first command). */
export async function startTicketClocks(tx: Tx, ticket: { id: number; categoryId: number; createdAt: Date }): Promise<void> {
  const policy = ourPolicyOf(await findPolicyForCategory(tx, ticket.categoryId));
  if (!policy) return;
  await writeTicketSla(tx, ticket.id, { ...slaColumns(clocksOnCreate(policy, ticket.createdAt)), autoCloseRemindAt: null, autoCloseAt: null });
}

export type ClockedTicket = TicketState & {
  id: number;
  categoryId: number;
  createdAt: Date;
  lastReplyAt: Date | null;
  slaClocks: unknown;
  autoCloseAt: Date | null;
  autoCloseRemindAt: Date | null;
};

/**
 * One command's effect on the clocks and on auto-close, written beside its transition. Reads the
 * ticket's category after the command (a move takes the new category's policy from now on).
 */
export async function advanceTicketClocks(tx: Tx, ticket: ClockedTicket, action: TicketAction, next: TicketState, now: Date, categoryId: number): Promise<void> {
  const policyRow = await findPolicyForCategory(tx, categoryId);
  const policy = ourPolicyOf(policyRow);
  const stored = clocksOf(ticket.slaClocks);
  if (!policy && !stored) return;
  const clocks = stored ?? clocksOnCreate(policy, ticket.createdAt);
  const upstream = involvesUpstream(ticket, next) ? upstreamPolicyOf(await findUpstreamPolicyForTicket(tx, ticket.id)) : null;
  const step = advanceClocks({ action, from: ticket, to: next, now, createdAt: ticket.createdAt, clocks, policy, upstream });
  const schedule = autoCloseSchedule(next, lastPublicAnswerAfter(action, ticket.lastReplyAt, now), policyRow?.autoCloseDays ?? null);
  const remindAt = schedule && ticket.autoCloseAt?.getTime() === schedule.closeAt.getTime() ? ticket.autoCloseRemindAt : (schedule?.remindAt ?? null);
  await writeTicketSla(tx, ticket.id, {
    ...slaColumns(step.clocks),
    ...outcomeColumns(step.outcomes),
    autoCloseRemindAt: remindAt,
    autoCloseAt: schedule?.closeAt ?? null,
  });
}
