import { z } from "zod";
import { ZId, zText } from "../schemas.ts";
import type { Db } from "../db/client.ts";
import {
  countCategoriesInGroup,
  deleteCategoryGroupRow,
  findCategoryGroup,
  insertCategoryGroup,
  listCategoryGroupRows,
  setCategoryGroupSortOrders,
  updateCategoryGroupRow,
} from "../db/repos/categories.ts";
import { inTransaction } from "../db/transaction.ts";
import { AppError, isUniqueViolation, notFound } from "../errors.ts";
import { isForeignKeyViolation, isRecordNotFound, sameIds, ZIdList, ZSortOrder } from "./category-shared.ts";

/** 所属分组: groups order the member's category picker; a disabled one hides its categories. */
const ZGroupName = zText({ min: 1, required: "categories.errors.groupNameRequired", max: 64, tooLong: "categories.errors.groupNameTooLong" });

export const ZCreateCategoryGroupInput = z.object({
  name: ZGroupName,
  sortOrder: ZSortOrder,
  enabled: z.boolean().default(true),
});
export const ZUpdateCategoryGroupInput = z.object({
  id: ZId,
  name: ZGroupName.optional(),
  sortOrder: ZSortOrder.optional(),
  enabled: z.boolean().optional(),
});

export async function listCategoryGroups(db: Db) {
  const rows = await listCategoryGroupRows(db);
  return rows.map(({ _count, ...g }) => ({ ...g, categoryCount: _count.categories }));
}

export async function createCategoryGroup(db: Db, input: z.infer<typeof ZCreateCategoryGroupInput>) {
  try {
    return await insertCategoryGroup(db, input);
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("CONFLICT", "categories.errors.groupNameTaken");
    throw e;
  }
}

/** Rename, re-number or enable/disable. Disabling keeps the group's categories and their tickets. */
export async function updateCategoryGroup(db: Db, input: z.infer<typeof ZUpdateCategoryGroupInput>) {
  const { id, ...data } = input;
  try {
    return await updateCategoryGroupRow(db, id, data);
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("CONFLICT", "categories.errors.groupNameTaken");
    if (isRecordNotFound(e)) throw notFound("group");
    throw e;
  }
}

/** Only an empty group goes; one with categories can be disabled instead. */
export async function deleteCategoryGroup(db: Db, id: number) {
  if (!(await findCategoryGroup(db, id))) throw notFound("group");
  const count = await countCategoriesInGroup(db, id);
  if (count > 0) throw groupInUse(count);
  try {
    await deleteCategoryGroupRow(db, id);
  } catch (e) {
    // A category was added to the group between the count and the delete.
    if (isForeignKeyViolation(e)) throw groupInUse(await countCategoriesInGroup(db, id));
    if (isRecordNotFound(e)) throw notFound("group");
    throw e;
  }
}

const groupInUse = (count: number) =>
  new AppError("RULE_VIOLATION", "categories.errors.groupHasCategories", { params: { count }, rule: "R10" });

/** Re-numbers every group 1, 2, 3 … in the given order. */
export async function reorderCategoryGroups(db: Db, ids: z.infer<typeof ZIdList>) {
  await inTransaction(db, async (tx) => {
    const current = await listCategoryGroupRows(tx);
    if (!sameIds(current.map((g) => g.id), ids)) throw new AppError("CONFLICT", "categories.errors.listChanged");
    await setCategoryGroupSortOrders(tx, ids.map((id, i) => ({ id, sortOrder: i + 1 })));
  });
}
