import type { TicketType } from "../generated/enums.ts";
import type { DbOrTx } from "../client.ts";

/** Every list is in 排序 order; the id breaks ties so equal sort orders stay stable. */
const bySortOrder = [{ sortOrder: "asc" as const }, { id: "asc" as const }];

// --- groups (所属分组) ---

export function listCategoryGroupRows(db: DbOrTx) {
  return db.categoryGroup.findMany({
    orderBy: bySortOrder,
    select: { id: true, name: true, sortOrder: true, enabled: true, _count: { select: { categories: true } } },
  });
}

export function findCategoryGroup(db: DbOrTx, id: number) {
  return db.categoryGroup.findUnique({ where: { id }, select: { id: true, name: true, enabled: true } });
}

export function insertCategoryGroup(db: DbOrTx, data: { name: string; sortOrder: number; enabled: boolean }) {
  return db.categoryGroup.create({ data, select: { id: true } });
}

export function updateCategoryGroupRow(db: DbOrTx, id: number, data: { name?: string; sortOrder?: number; enabled?: boolean }) {
  return db.categoryGroup.update({ where: { id }, data, select: { id: true } });
}

export function countCategoriesInGroup(db: DbOrTx, groupId: number) {
  return db.category.count({ where: { groupId } });
}

export function deleteCategoryGroupRow(db: DbOrTx, id: number) {
  return db.categoryGroup.delete({ where: { id }, select: { id: true } });
}

export async function setCategoryGroupSortOrders(db: DbOrTx, order: { id: number; sortOrder: number }[]) {
  for (const { id, sortOrder } of order) await db.categoryGroup.update({ where: { id }, data: { sortOrder } });
}

// --- categories (工单分类) ---

const categorySelect = {
  id: true,
  name: true,
  description: true,
  groupId: true,
  type: true,
  submitToApi: true,
  iconKey: true,
  sortOrder: true,
  enabled: true,
  group: { select: { id: true, name: true, enabled: true } },
} as const;

export function listCategoryRows(db: DbOrTx) {
  return db.category.findMany({
    orderBy: bySortOrder,
    select: { ...categorySelect, _count: { select: { tickets: true } } },
  });
}

export function findCategory(db: DbOrTx, id: number) {
  return db.category.findUnique({ where: { id }, select: categorySelect });
}

/** The categories that a one-per-type rule could collide with. */
export function listCategoriesOfTypes(db: DbOrTx, types: readonly TicketType[]) {
  return db.category.findMany({ where: { type: { in: [...types] } }, select: { id: true, type: true } });
}

export type CategoryData = {
  name: string;
  description: string;
  groupId: number;
  type: TicketType;
  submitToApi: boolean;
  iconKey: string | null;
  sortOrder: number;
  enabled: boolean;
};

export function insertCategory(db: DbOrTx, data: CategoryData) {
  return db.category.create({ data, select: { id: true } });
}

export function updateCategoryRow(db: DbOrTx, id: number, data: Partial<CategoryData>) {
  return db.category.update({ where: { id }, data, select: { id: true } });
}

export function countTicketsInCategory(db: DbOrTx, categoryId: number) {
  return db.ticket.count({ where: { categoryId } });
}

export function deleteCategoryRow(db: DbOrTx, id: number) {
  return db.category.delete({ where: { id }, select: { id: true } });
}

export async function setCategorySortOrders(db: DbOrTx, order: { id: number; sortOrder: number }[]) {
  for (const { id, sortOrder } of order) await db.category.update({ where: { id }, data: { sortOrder } });
}

/** What a member may pick when filing a ticket: enabled groups with their enabled categories. */
export function listOpenCategoryGroups(db: DbOrTx) {
  return db.categoryGroup.findMany({
    where: { enabled: true, categories: { some: { enabled: true } } },
    orderBy: bySortOrder,
    select: {
      id: true,
      name: true,
      categories: {
        where: { enabled: true },
        orderBy: bySortOrder,
        select: { id: true, name: true, description: true, type: true, iconKey: true },
      },
    },
  });
}

/** What filing a ticket needs of its category, with the group's switch (R10), in one read. */
export function findCategoryOpenState(db: DbOrTx, id: number) {
  return db.category.findUnique({ where: { id }, select: { id: true, name: true, type: true, enabled: true, group: { select: { enabled: true } } } });
}

/** Icons are served only while some category uses them, and only files uploaded as icons. */
export async function isCategoryIconKey(db: DbOrTx, iconKey: string) {
  const [used, uploaded] = await Promise.all([
    db.category.findFirst({ where: { iconKey }, select: { id: true } }),
    db.categoryIcon.findUnique({ where: { storageKey: iconKey }, select: { storageKey: true } }),
  ]);
  return used !== null && uploaded !== null;
}

/** Remembers that these bytes were uploaded as an icon (the only files a category may show). */
export async function recordCategoryIcon(db: DbOrTx, storageKey: string, uploadedById: number) {
  await db.categoryIcon.upsert({ where: { storageKey }, create: { storageKey, uploadedById }, update: {} });
}

export async function isUploadedIcon(db: DbOrTx, storageKey: string) {
  return (await db.categoryIcon.findUnique({ where: { storageKey }, select: { storageKey: true } })) !== null;
}
