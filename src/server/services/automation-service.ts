// 自动化规则: applied in the transaction of what triggers them — a filing (member portal, partner
// protocol) or the SLA sweep's warnings and breaches — so each runs exactly once, however many
// processes work; and edited by the super admin. docs/SLA.md ("Automation rules").
import { z } from "zod";
import type { Db, Tx } from "../db/client.ts";
import {
  deleteAutomationRule,
  findActiveStaffIds,
  findRuleTargets,
  findTicketsForAutomation,
  insertAutomationRule,
  listAutomationRules,
  listRulesForTrigger,
  lockRotation,
  recordRotation,
  updateAutomationRule,
} from "../db/repos/automation.ts";
import { findActiveStaffBrief, findCategoryBrief } from "../db/repos/lookups.ts";
import { AUTOMATION_TRIGGERS, nextInRotation, planAutomation, TRIGGER_OF_STAGE, type AutomationPlan, type AutomationRuleFacts } from "../domain/automation.ts";
import { SLA_CLOCK_NAMES, type SlaClockName } from "../domain/sla.ts";
import { canMoveTo } from "../domain/ticket-lifecycle.ts";
import { isEscalationEligible } from "../domain/category-rules.ts";
import { AppError, isAppError, isUniqueViolation, notFound } from "../errors.ts";
import { ZId, zIdList, zText, zWholeNumber } from "../schemas.ts";
import { writeSystemMessage } from "./system-message.ts";
import { runTicketCommandInTx, snapshotOf } from "./ticket-command.ts";

/** What an audit row carries about the rules that acted (the fan-out reads `channelIds`). */
export type AutomationAudit = { automation: { ruleIds: number[]; channelIds: number[] } } | Record<string, never>;
const auditOf = (plan: AutomationPlan): AutomationAudit => (plan.ruleIds.length > 0 ? { automation: { ruleIds: plan.ruleIds, channelIds: plan.channelIds } } : {});

/** The next turn of the rule's rotation, under its row lock (recorded with `recordRotation` once used); null when none of its staff can take tickets. */
async function nextTurn(tx: Tx, rule: AutomationRuleFacts): Promise<{ id: number; displayName: string } | null> {
  const last = await lockRotation(tx, rule.id);
  const active = await findActiveStaffIds(tx, rule.assignStaffIds);
  const staffId = nextInRotation(rule.assignStaffIds, last, (id) => active.has(id));
  return staffId === null ? null : findActiveStaffBrief(tx, staffId);
}

export type FilingDecision = {
  categoryId: number;
  assigneeId: number | null;
  audit: AutomationAudit;
  /** The staff-only lines saying what the rules did; after the ticket exists. */
  record(ticketId: number, at: Date): Promise<void>;
};

/**
 * A filing before it is written: the rules of TICKET_CREATED decide the category it is filed in
 * and who it is handed to (a rule's target category that is gone or disabled is passed over).
 */
export async function automateFiling(tx: Tx, filing: { categoryId: number; categoryName: string; title: string; body: string }): Promise<FilingDecision> {
  const rules = await listRulesForTrigger(tx, "TICKET_CREATED");
  const plan = planAutomation(rules, { categoryId: filing.categoryId, text: `${filing.title}\n${filing.body}` });
  const target = plan.move ? await findCategoryBrief(tx, plan.move.categoryId) : null;
  const moveTo = target?.enabled ? target : null;
  const assignee = plan.assignFrom ? await nextTurn(tx, plan.assignFrom) : null;
  if (assignee && plan.assignFrom) await recordRotation(tx, plan.assignFrom.id, assignee.id);
  return {
    categoryId: moveTo?.id ?? filing.categoryId,
    assigneeId: assignee?.id ?? null,
    audit: auditOf(plan),
    async record(ticketId, at) {
      if (moveTo && plan.move) await writeSystemMessage(tx, ticketId, "automationMoved", { rule: plan.move.ruleName, from: filing.categoryName, to: moveTo.name }, at);
      if (assignee && plan.assignFrom) await writeSystemMessage(tx, ticketId, "automationAssigned", { rule: plan.assignFrom.name, to: assignee.displayName }, at);
    },
  };
}

export type SlaAlertRef = { ticketId: number; clock: SlaClockName; stage: "WARNING" | "BREACHED" };

/**
 * The sweep's fresh warnings and breaches: `auditFor` gives each alert's audit data (the robots the
 * rules asked for), `apply` then moves and hands over tickets as system commands — after the sweep
 * wrote its next looks, so a move's own clock update is the last word.
 */
export async function automateSlaAlerts(tx: Tx, alerts: SlaAlertRef[]) {
  const [warning, breached] = alerts.length === 0 ? [[], []] : await Promise.all([listRulesForTrigger(tx, "SLA_WARNING"), listRulesForTrigger(tx, "SLA_BREACHED")]);
  const rulesOf = { SLA_WARNING: warning, SLA_BREACHED: breached };
  const plans = new Map<SlaAlertRef, AutomationPlan>();
  if (warning.length + breached.length > 0) {
    const tickets = new Map((await findTicketsForAutomation(tx, [...new Set(alerts.map((a) => a.ticketId))])).map((t) => [t.id, t]));
    for (const alert of alerts) {
      const ticket = tickets.get(alert.ticketId);
      if (ticket) plans.set(alert, planAutomation(rulesOf[TRIGGER_OF_STAGE[alert.stage]], { categoryId: ticket.categoryId, text: ticket.title, clock: alert.clock }));
    }
  }
  return {
    auditFor: (alert: SlaAlertRef): AutomationAudit => {
      const plan = plans.get(alert);
      return plan ? auditOf(plan) : {};
    },
    async apply(): Promise<void> {
      for (const [alert, plan] of plans) await applyToTicket(tx, alert.ticketId, plan);
    },
  };
}

/** One system move per ticket and plan; a ticket the table no longer lets move (finished, R9) is left as it is. */
async function applyToTicket(tx: Tx, ticketId: number, plan: AutomationPlan): Promise<void> {
  const target = plan.move ? await findCategoryBrief(tx, plan.move.categoryId) : null;
  const moveTo = target?.enabled ? target : null;
  const assignee = plan.assignFrom ? await nextTurn(tx, plan.assignFrom) : null;
  if (!moveTo && !assignee) return;
  const ruleName = moveTo && plan.move ? plan.move.ruleName : plan.assignFrom!.name;
  try {
    await runTicketCommandInTx(tx, {
      ticketId,
      action: "staff.move",
      actor: { kind: "SYSTEM", id: null, name: ruleName },
      authorize: (ticket) => {
        if (moveTo && !canMoveTo(snapshotOf(ticket), isEscalationEligible(moveTo)).ok) throw new NotMovable();
      },
      patch: () => ({ ...(moveTo ? { categoryId: moveTo.id } : {}), ...(assignee ? { assigneeId: assignee.id } : {}) }),
      effects: async (inner, ticket, _next, now) => {
        if (moveTo && plan.move && moveTo.id !== ticket.categoryId) {
          await writeSystemMessage(inner, ticket.id, "automationMoved", { rule: plan.move.ruleName, from: ticket.category.name, to: moveTo.name }, now);
        }
        if (assignee && plan.assignFrom && assignee.id !== ticket.assigneeId) {
          await recordRotation(inner, plan.assignFrom.id, assignee.id);
          await writeSystemMessage(inner, ticket.id, "automationAssigned", { rule: plan.assignFrom.name, to: assignee.displayName }, now);
        }
      },
      auditData: { categoryId: moveTo?.id ?? null, assigneeId: assignee?.id ?? null, ...auditOf(plan) },
    });
  } catch (e) {
    // Refusals come before any write, so the sweep's transaction goes on; a fault does not.
    if (e instanceof NotMovable || (isAppError(e) && (e.code === "RULE_VIOLATION" || e.code === "NOT_FOUND"))) return;
    throw e;
  }
}

class NotMovable extends Error {}

// --- The super admin's editor ------------------------------------------------------------------------

const MAX_KEYWORDS = 20;
const MAX_TARGETS = 50;

export const ZAutomationRuleInput = z.object({
  id: ZId.optional(),
  name: zText({ min: 1, max: 64 }),
  enabled: z.boolean({ error: "errors.invalidField" }).default(true),
  trigger: z.enum(AUTOMATION_TRIGGERS, { error: "errors.invalidField" }),
  sortOrder: zWholeNumber(0, 10_000).default(0),
  categoryIds: zIdList(MAX_TARGETS).default([]),
  keywords: z.array(zText({ min: 1, max: 64 })).max(MAX_KEYWORDS, "errors.tooManyItems").default([]),
  clocks: z.array(z.enum(SLA_CLOCK_NAMES, { error: "errors.invalidField" })).max(SLA_CLOCK_NAMES.length).default([]),
  moveToCategoryId: ZId.nullable().default(null),
  assignStaffIds: zIdList(MAX_TARGETS).default([]),
  notifyChannelIds: zIdList(MAX_TARGETS).default([]),
});
export type AutomationRuleInput = z.infer<typeof ZAutomationRuleInput>;

export async function getAutomationSettings(db: Db) {
  const [rules, targets] = await Promise.all([listAutomationRules(db), findRuleTargets(db)]);
  return { rules, ...targets };
}

/** Saved only when it does something and names categories, staff and robots that exist. */
export async function saveAutomationRule(db: Db, input: AutomationRuleInput) {
  const { id, ...fields } = input;
  const data = {
    ...fields,
    keywords: [...new Set(fields.keywords)],
    // Clocks only narrow SLA triggers; a filing has none.
    clocks: fields.trigger === "TICKET_CREATED" ? [] : [...new Set(fields.clocks)],
    categoryIds: [...new Set(fields.categoryIds)],
    assignStaffIds: [...new Set(fields.assignStaffIds)],
    notifyChannelIds: [...new Set(fields.notifyChannelIds)],
  };
  if (data.moveToCategoryId === null && data.assignStaffIds.length === 0 && data.notifyChannelIds.length === 0) throw new AppError("VALIDATION", "errors.automationNoAction");
  const targets = await findRuleTargets(db);
  const known = (list: { id: number }[], ids: number[]) => ids.every((x) => list.some((t) => t.id === x));
  const categoryIds = data.moveToCategoryId === null ? data.categoryIds : [...data.categoryIds, data.moveToCategoryId];
  if (!known(targets.categories, categoryIds)) throw notFound("category");
  if (!known(targets.staff, data.assignStaffIds)) throw notFound("staff");
  if (!known(targets.channels, data.notifyChannelIds)) throw notFound("chatChannel");
  try {
    if (id === undefined) return await insertAutomationRule(db, data);
    if (!(await updateAutomationRule(db, id, data))) throw notFound("automationRule");
    return { id };
  } catch (e) {
    throw isUniqueViolation(e) ? new AppError("VALIDATION", "errors.automationNameTaken") : e;
  }
}

export async function removeAutomationRule(db: Db, id: number) {
  if (!(await deleteAutomationRule(db, id))) throw notFound("automationRule");
  return { id };
}
