/**
 * Category rules (工单分类), pure. R1 decides which categories may go upstream; R10 holds
 * the constraints a category must meet before the service writes it. The database repeats
 * the one-per-type and NORMAL-never-API rules (partial unique index, CHECK) as a backstop;
 * these functions exist so the user gets a clear sentence instead of a constraint error.
 */

/** Same strings as the Prisma enum `TicketType`; the domain stays free of the Prisma client. */
export const TICKET_TYPES = ["NORMAL", "BUSINESS_TECH", "ICP_FILING", "TRADEMARK", "OTHER"] as const;
export type TicketType = (typeof TICKET_TYPES)[number];

/**
 * "业务技术工单和商务工单分别只能存在一个分类": at most one category of each of these types.
 * 商务 is read as 商标 (TRADEMARK), the only type that matches (DOMAIN.md).
 */
export const ONE_PER_TYPE = ["BUSINESS_TECH", "TRADEMARK"] as const satisfies readonly TicketType[];

/** R1: only a non-NORMAL category with submit-to-API on can send its tickets upstream. */
export function isEscalationEligible(category: { type: TicketType; submitToApi: boolean }): boolean {
  return category.type !== "NORMAL" && category.submitToApi;
}

/** R10: a disabled category, or one in a disabled group, takes no new tickets (at every door); its old tickets stay. */
export function canReceiveNewTickets(category: { enabled: boolean; group: { enabled: boolean } }): boolean {
  return category.enabled && category.group.enabled;
}

export type CategoryInput = {
  /** Absent when creating; set when editing, so the category does not collide with itself. */
  id?: number;
  name: string;
  description: string;
  groupId: number | null;
  type: TicketType;
  submitToApi: boolean;
  sortOrder: number;
};

export const CATEGORY_ISSUE_CODES = [
  "NAME_REQUIRED",
  "DESCRIPTION_REQUIRED",
  "GROUP_REQUIRED",
  "SORT_ORDER_INVALID",
  "NORMAL_CANNOT_SUBMIT_TO_API",
  "ONE_PER_TYPE",
] as const;
export type CategoryIssueCode = (typeof CATEGORY_ISSUE_CODES)[number];

export type CategoryIssue = {
  field: "name" | "description" | "groupId" | "type" | "submitToApi" | "sortOrder";
  code: CategoryIssueCode;
};

/**
 * R10: every problem with a category about to be created or edited, in form order (empty = valid).
 * `others` are the existing categories (id and type); the service loads them, this stays pure.
 */
export function validateCategoryInput(
  input: CategoryInput,
  others: ReadonlyArray<{ id: number; type: TicketType }> = [],
): CategoryIssue[] {
  const issues: CategoryIssue[] = [];
  if (input.name.trim() === "") issues.push({ field: "name", code: "NAME_REQUIRED" });
  if (input.description.trim() === "") issues.push({ field: "description", code: "DESCRIPTION_REQUIRED" });
  if (input.groupId === null) issues.push({ field: "groupId", code: "GROUP_REQUIRED" });
  if (isOnePerType(input.type) && others.some((c) => c.type === input.type && c.id !== input.id)) {
    issues.push({ field: "type", code: "ONE_PER_TYPE" });
  }
  // The manual offers 是否提交到API only beside the four "(可提交到API)" types.
  if (input.type === "NORMAL" && input.submitToApi) {
    issues.push({ field: "submitToApi", code: "NORMAL_CANNOT_SUBMIT_TO_API" });
  }
  if (!Number.isInteger(input.sortOrder) || input.sortOrder < 0) {
    issues.push({ field: "sortOrder", code: "SORT_ORDER_INVALID" });
  }
  return issues;
}

function isOnePerType(type: TicketType): boolean {
  return (ONE_PER_TYPE as readonly TicketType[]).includes(type);
}
