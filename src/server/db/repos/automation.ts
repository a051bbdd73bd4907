import type { Prisma } from "../generated/client.ts";
import type { AutomationTrigger } from "../generated/enums.ts";
import type { DbOrTx, Tx } from "../client.ts";

// 自动化规则: the rules (a small table, read whole per trigger) and the ticket facts they match on.

const ruleSelect = {
  id: true,
  name: true,
  enabled: true,
  trigger: true,
  sortOrder: true,
  categoryIds: true,
  keywords: true,
  clocks: true,
  moveToCategoryId: true,
  assignStaffIds: true,
  notifyChannelIds: true,
  lastAssignedStaffId: true,
  updatedAt: true,
} as const;

export type AutomationRuleRow = Prisma.AutomationRuleGetPayload<{ select: typeof ruleSelect }>;
export type AutomationRuleData = Omit<AutomationRuleRow, "id" | "lastAssignedStaffId" | "updatedAt">;

export function listAutomationRules(db: DbOrTx) {
  return db.automationRule.findMany({ orderBy: [{ sortOrder: "asc" }, { id: "asc" }], select: ruleSelect });
}

/** The enabled rules of one trigger, in the order they apply (index: trigger, enabled, sortOrder). */
export function listRulesForTrigger(db: DbOrTx, trigger: AutomationTrigger) {
  return db.automationRule.findMany({ where: { trigger, enabled: true }, orderBy: [{ sortOrder: "asc" }, { id: "asc" }], select: ruleSelect });
}

export function insertAutomationRule(db: DbOrTx, data: AutomationRuleData) {
  return db.automationRule.create({ data, select: { id: true } });
}

/** false when the rule is gone. */
export async function updateAutomationRule(db: DbOrTx, id: number, data: AutomationRuleData): Promise<boolean> {
  return (await db.automationRule.updateMany({ where: { id }, data: { ...data, lastAssignedStaffId: null } })).count === 1;
}

export async function deleteAutomationRule(db: DbOrTx, id: number): Promise<boolean> {
  return (await db.automationRule.deleteMany({ where: { id } })).count === 1;
}

/** The rotation's position, read under the rule's row lock so two filings never pick the same turn. */
export async function lockRotation(tx: Tx, ruleId: number): Promise<number | null> {
  const rows = await tx.$queryRaw<{ lastAssignedStaffId: number | null }[]>`
    SELECT "lastAssignedStaffId" FROM "AutomationRule" WHERE id = ${ruleId} FOR UPDATE`;
  return rows[0]?.lastAssignedStaffId ?? null;
}

export async function recordRotation(tx: Tx, ruleId: number, staffId: number): Promise<void> {
  await tx.automationRule.update({ where: { id: ruleId }, data: { lastAssignedStaffId: staffId }, select: { id: true } });
}

/** Of these staff, the ones who may be handed tickets (not disabled). */
export async function findActiveStaffIds(db: DbOrTx, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db.staff.findMany({ where: { id: { in: ids }, disabled: false }, select: { id: true } });
  return new Set(rows.map((r) => r.id));
}

/** What the SLA triggers match on: the ticket's category and title. */
export function findTicketsForAutomation(db: DbOrTx, ids: number[]) {
  return db.ticket.findMany({ where: { id: { in: ids } }, select: { id: true, categoryId: true, title: true } });
}

/** The names the rule editor shows and checks: categories, staff and robots that exist. */
export async function findRuleTargets(db: DbOrTx) {
  const [categories, staff, channels] = await Promise.all([
    db.category.findMany({ orderBy: [{ groupId: "asc" }, { sortOrder: "asc" }, { id: "asc" }], select: { id: true, name: true, enabled: true } }),
    db.staff.findMany({ orderBy: { id: "asc" }, select: { id: true, displayName: true, disabled: true } }),
    db.chatChannel.findMany({ orderBy: { id: "asc" }, select: { id: true, name: true, enabled: true } }),
  ]);
  return { categories, staff, channels };
}
