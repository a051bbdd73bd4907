// 自动化规则: which rules a ticket matches and what they do together. Pure; the service loads the
// rules and the ticket, and applies the plan in the transaction of the filing or the sweep.
import type { SlaClockName } from "./sla.ts";

export const AUTOMATION_TRIGGERS = ["TICKET_CREATED", "SLA_WARNING", "SLA_BREACHED"] as const;
export type AutomationTrigger = (typeof AUTOMATION_TRIGGERS)[number];

/** The SLA stage that fires each SLA trigger (the sweep's alert stages). */
export const TRIGGER_OF_STAGE = { WARNING: "SLA_WARNING", BREACHED: "SLA_BREACHED" } as const satisfies Record<string, AutomationTrigger>;

export type AutomationRuleFacts = {
  id: number;
  name: string;
  /** Empty: any category. */
  categoryIds: number[];
  /** Empty: any text; otherwise one of them in the title or the first message, case-insensitive. */
  keywords: string[];
  /** SLA triggers only; empty: any clock. */
  clocks: string[];
  moveToCategoryId: number | null;
  assignStaffIds: number[];
  notifyChannelIds: number[];
};

/** The ticket as the rules see it: as filed (or as it is when its clock warns), before any rule acted. */
export type AutomationTicketFacts = { categoryId: number; text: string; clock?: SlaClockName };

export function ruleMatches(rule: AutomationRuleFacts, ticket: AutomationTicketFacts): boolean {
  if (rule.categoryIds.length > 0 && !rule.categoryIds.includes(ticket.categoryId)) return false;
  if (rule.clocks.length > 0 && (ticket.clock === undefined || !rule.clocks.includes(ticket.clock))) return false;
  if (rule.keywords.length === 0) return true;
  const text = ticket.text.toLocaleLowerCase();
  return rule.keywords.some((k) => text.includes(k.toLocaleLowerCase()));
}

export type AutomationPlan = {
  /** The first matching rule that moves decides the category; null: it stays. */
  move: { ruleId: number; ruleName: string; categoryId: number } | null;
  /** The first matching rule that assigns hands the ticket to the next of its staff. */
  assignFrom: AutomationRuleFacts | null;
  /** Every matching rule's robots, once each. */
  channelIds: number[];
  /** The rules that matched, in order (for the audit line). */
  ruleIds: number[];
};

/** Rules in their order (sortOrder, then id): later rules add robots, never undo an earlier move or assignment. */
export function planAutomation(rules: readonly AutomationRuleFacts[], ticket: AutomationTicketFacts): AutomationPlan {
  const plan: AutomationPlan = { move: null, assignFrom: null, channelIds: [], ruleIds: [] };
  for (const rule of rules) {
    if (!ruleMatches(rule, ticket)) continue;
    plan.ruleIds.push(rule.id);
    if (plan.move === null && rule.moveToCategoryId !== null && rule.moveToCategoryId !== ticket.categoryId) {
      plan.move = { ruleId: rule.id, ruleName: rule.name, categoryId: rule.moveToCategoryId };
    }
    if (plan.assignFrom === null && rule.assignStaffIds.length > 0) plan.assignFrom = rule;
    for (const id of rule.notifyChannelIds) if (!plan.channelIds.includes(id)) plan.channelIds.push(id);
  }
  return plan;
}

/**
 * Round-robin: the next of `staffIds` after the one assigned last (from the start when that one is
 * gone from the list), skipping people who cannot take tickets now; null when nobody can.
 */
export function nextInRotation(staffIds: readonly number[], lastAssigned: number | null, canTake: (staffId: number) => boolean): number | null {
  const start = lastAssigned === null ? 0 : staffIds.indexOf(lastAssigned) + 1;
  for (let i = 0; i < staffIds.length; i++) {
    const candidate = staffIds[(start + i) % staffIds.length]!;
    if (canTake(candidate)) return candidate;
  }
  return null;
}

/** The robots a rule asked for, read back from an audit row's data (the fan-out posts to them). */
export function ruleChannelsOf(data: unknown): number[] {
  const ids = (data as { automation?: { channelIds?: unknown } } | null)?.automation?.channelIds;
  return Array.isArray(ids) ? ids.filter((x): x is number => typeof x === "number") : [];
}
