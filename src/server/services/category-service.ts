import { z } from "zod";
import type { Db, DbOrTx } from "../db/client.ts";
import {
  countTicketsInCategory,
  deleteCategoryRow,
  findCategory,
  findCategoryGroup,
  findCategoryOpenState,
  insertCategory,
  isUploadedIcon,
  listCategoriesOfTypes,
  listCategoryRows,
  listOpenCategoryGroups,
  setCategorySortOrders,
  updateCategoryRow,
  type CategoryData,
} from "../db/repos/categories.ts";
import { inTransaction } from "../db/transaction.ts";
import {
  canReceiveNewTickets,
  isEscalationEligible,
  ONE_PER_TYPE,
  TICKET_TYPES,
  validateCategoryInput,
  type CategoryIssue,
  type TicketType,
} from "../domain/category-rules.ts";
import { AppError, isUniqueViolation, notFound } from "../errors.ts";
import type { BlobStore } from "../storage/blob-store.ts";
import { BLOB_KEY } from "../storage/blob-store.ts";
import { INT32_MAX, ZId, zText } from "../schemas.ts";
import { isForeignKeyViolation, isRecordNotFound, requiredNumber, sameIds, ZIdList, ZSortOrder } from "./category-shared.ts";

/** The manual's form (添加/修改分类). Messages name keys in src/messages/<locale>/categories.json. */
export const ZCategoryInput = z.object({
  name: zText({ min: 1, required: "categories.errors.nameRequired", max: 64, tooLong: "categories.errors.nameTooLong" }),
  description: zText({ min: 1, required: "categories.errors.descriptionRequired", max: 500, tooLong: "categories.errors.descriptionTooLong" }),
  groupId: requiredNumber(z.number().int("categories.errors.groupRequired").positive("categories.errors.groupRequired").max(INT32_MAX, "categories.errors.groupRequired"), "categories.errors.groupRequired"),
  type: z.enum(TICKET_TYPES, { error: "categories.errors.typeRequired" }),
  submitToApi: z.boolean(),
  iconKey: z.string().regex(BLOB_KEY, "categories.errors.iconMissing").nullable(),
  sortOrder: requiredNumber(ZSortOrder, "categories.errors.sortOrderInvalid"),
  enabled: z.boolean(),
});
export type CategoryInput = z.output<typeof ZCategoryInput>;
export const ZUpdateCategoryInput = ZCategoryInput.extend({ id: ZId });

/** Icons are public and cached forever: the key is the content hash. */
export const iconUrl = (key: string | null) => (key ? `/api/files/icons/${key}` : null);

// --- the console ---

export async function listCategoriesForConsole(db: Db) {
  const rows = await listCategoryRows(db);
  return rows.map(({ _count, iconKey, ...c }) => ({
    ...c,
    iconKey,
    iconUrl: iconUrl(iconKey),
    /** Shown as `[API]` after the name, as in the manual ("备案类问题 [API]"). */
    isApi: isEscalationEligible(c),
    ticketCount: _count.tickets,
  }));
}

export async function getCategory(db: Db, id: number) {
  const category = await findCategory(db, id);
  if (!category) throw notFound("category");
  return { ...category, iconUrl: iconUrl(category.iconKey) };
}

export async function createCategory(db: Db, store: BlobStore, input: CategoryInput) {
  const data = await checkCategory(db, store, input);
  try {
    return await insertCategory(db, data);
  } catch (e) {
    throw translateWriteError(e, input.type);
  }
}

export async function updateCategory(db: Db, store: BlobStore, input: z.output<typeof ZUpdateCategoryInput>) {
  const { id, ...fields } = input;
  if (!(await findCategory(db, id))) throw notFound("category");
  const data = await checkCategory(db, store, fields, id);
  try {
    return await updateCategoryRow(db, id, data);
  } catch (e) {
    throw translateWriteError(e, input.type);
  }
}

export async function setCategoryEnabled(db: Db, id: number, enabled: boolean) {
  try {
    return await updateCategoryRow(db, id, { enabled });
  } catch (e) {
    throw isRecordNotFound(e) ? notFound("category") : e;
  }
}

/** Re-numbers every category 1, 2, 3 … in the given order (the console's 上移/下移). */
export async function reorderCategories(db: Db, ids: z.infer<typeof ZIdList>) {
  await inTransaction(db, async (tx) => {
    const current = await listCategoryRows(tx);
    if (!sameIds(current.map((c) => c.id), ids)) throw new AppError("CONFLICT", "categories.errors.listChanged");
    await setCategorySortOrders(tx, ids.map((id, i) => ({ id, sortOrder: i + 1 })));
  });
}

/** Only a category without tickets goes; otherwise disable it (its tickets keep their category). */
export async function deleteCategory(db: Db, id: number) {
  if (!(await findCategory(db, id))) throw notFound("category");
  if ((await countTicketsInCategory(db, id)) > 0) throw categoryInUse();
  try {
    await deleteCategoryRow(db, id);
  } catch (e) {
    if (isForeignKeyViolation(e)) throw categoryInUse(); // a ticket arrived meanwhile
    if (isRecordNotFound(e)) throw notFound("category");
    throw e;
  }
}

const categoryInUse = () => new AppError("RULE_VIOLATION", "categories.errors.categoryHasTickets", { rule: "R10" });

// --- members filing a ticket ---

/** The member's picker: enabled groups and enabled categories only, in 排序 order. */
export async function listCategoriesForNewTicket(db: Db) {
  const groups = await listOpenCategoryGroups(db);
  return {
    groups: groups.map((g) => ({
      id: g.id,
      name: g.name,
      categories: g.categories.map((c) => ({
        id: c.id,
        name: c.name,
        description: c.description,
        type: c.type,
        iconUrl: iconUrl(c.iconKey),
        isBusinessTech: c.type === "BUSINESS_TECH",
      })),
    })),
  };
}

/**
 * R10: a disabled category (or one in a disabled group) receives no new tickets. The portal calls
 * this before filing, in its transaction, and files under the category it returns.
 */
export async function categoryOpenForNewTickets(db: DbOrTx, categoryId: number) {
  const category = await findCategoryOpenState(db, categoryId);
  if (!category) throw notFound("category");
  if (!canReceiveNewTickets(category)) {
    throw new AppError("RULE_VIOLATION", "categories.errors.categoryClosed", { rule: "R10" });
  }
  return { id: category.id, name: category.name, type: category.type };
}

// --- shared checks ---

/** R10 in the order the form shows its fields; the first problem is reported. */
async function checkCategory(db: Db, store: BlobStore, input: CategoryInput, id?: number): Promise<CategoryData> {
  if (!(await findCategoryGroup(db, input.groupId))) throw new AppError("VALIDATION", "categories.errors.groupRequired");
  const others = await listCategoriesOfTypes(db, ONE_PER_TYPE);
  const issue = validateCategoryInput({ ...input, id }, others)[0];
  if (issue) throw issueError(issue, input.type);
  // Icons are public: only a file uploaded as an icon may become one, never another stored file
  // (a member's attachment has a key too).
  if (input.iconKey && !((await isUploadedIcon(db, input.iconKey)) && (await store.exists(input.iconKey)))) {
    throw new AppError("VALIDATION", "categories.errors.iconMissing");
  }
  return input;
}

function issueError(issue: CategoryIssue, type: TicketType): AppError {
  switch (issue.code) {
    case "ONE_PER_TYPE":
      return onePerType(type);
    case "NORMAL_CANNOT_SUBMIT_TO_API":
      return new AppError("RULE_VIOLATION", "categories.errors.normalNeverApi", { rule: "R10" });
    case "NAME_REQUIRED":
      return new AppError("VALIDATION", "categories.errors.nameRequired");
    case "DESCRIPTION_REQUIRED":
      return new AppError("VALIDATION", "categories.errors.descriptionRequired");
    case "GROUP_REQUIRED":
      return new AppError("VALIDATION", "categories.errors.groupRequired");
    case "SORT_ORDER_INVALID":
      return new AppError("VALIDATION", "categories.errors.sortOrderInvalid");
  }
}

/** "业务技术工单和商务工单分别只能存在一个分类" — the manual's own reason. */
const onePerType = (type: TicketType) =>
  new AppError("RULE_VIOLATION", `categories.errors.onePerType.${type}`, { rule: "R10" });

/**
 * The database repeats R10 (partial unique index): when two creations race past the check above,
 * the loser gets a unique violation, reported exactly like the check's refusal.
 */
function translateWriteError(e: unknown, type: TicketType): unknown {
  if (isUniqueViolation(e)) return onePerType(type);
  if (isForeignKeyViolation(e)) return new AppError("VALIDATION", "categories.errors.groupRequired");
  if (isRecordNotFound(e)) return notFound("category");
  return e;
}
