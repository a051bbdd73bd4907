import type { DbOrTx } from "../client.ts";

/** Display names of staff by id, for author lines (one query, whatever the number of ids). */
export function findStaffNames(db: DbOrTx, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.staff.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true } });
}
