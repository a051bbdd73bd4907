import type { DbOrTx } from "../client.ts";

const select = {
  id: true,
  title: true,
  body: true,
  createdById: true,
  updatedAt: true,
  createdBy: { select: { displayName: true } },
} as const;

/** 预设回复: a shared library, most recently edited first. */
export function listCannedReplies(db: DbOrTx) {
  return db.cannedReply.findMany({ orderBy: [{ updatedAt: "desc" }, { id: "desc" }], select, take: 500 });
}

export function findCannedReply(db: DbOrTx, id: number) {
  return db.cannedReply.findUnique({ where: { id }, select });
}

export function createCannedReply(db: DbOrTx, data: { title: string; body: string; createdById: number }) {
  return db.cannedReply.create({ data, select });
}

export function updateCannedReply(db: DbOrTx, id: number, data: { title: string; body: string }) {
  return db.cannedReply.update({ where: { id }, data, select });
}

export function deleteCannedReply(db: DbOrTx, id: number) {
  return db.cannedReply.delete({ where: { id }, select: { id: true } });
}
