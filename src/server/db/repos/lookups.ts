import type { DbOrTx } from "../client.ts";

export function findCategoryBrief(db: DbOrTx, id: number) {
  return db.category.findUnique({ where: { id }, select: { id: true, name: true, type: true, submitToApi: true, enabled: true } });
}

export function findActiveStaffBrief(db: DbOrTx, id: number) {
  return db.staff.findFirst({ where: { id, disabled: false }, select: { id: true, displayName: true } });
}
