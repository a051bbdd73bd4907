import { z } from "zod";
import { ZId, zText } from "../schemas.ts";
import type { Db } from "../db/client.ts";
import { createCannedReply, deleteCannedReply, findCannedReply, listCannedReplies, updateCannedReply } from "../db/repos/canned-replies.ts";
import { AppError, notFound } from "../errors.ts";
import type { StaffViewer } from "../viewer.ts";
import { MAX_BODY } from "./ticket-inputs.ts";

/** 预设回复: a library every staff member reads and inserts from; its author or the super admin edits it. */

export const ZCannedReplyInput = z.object({
  title: zText({ min: 1, required: "console.errors.cannedTitleRequired", max: 100, tooLong: "console.errors.cannedTitleTooLong" }),
  body: zText({ min: 1, required: "errors.bodyRequired", max: MAX_BODY, tooLong: "errors.bodyTooLong" }),
});
export const ZCannedReplyUpdate = ZCannedReplyInput.extend({ id: ZId });

export function listCannedReplyLibrary(db: Db) {
  return listCannedReplies(db);
}

export function addCannedReply(db: Db, viewer: StaffViewer, input: z.infer<typeof ZCannedReplyInput>) {
  return createCannedReply(db, { ...input, createdById: viewer.staffId });
}

async function ownedReply(db: Db, viewer: StaffViewer, id: number) {
  const reply = await findCannedReply(db, id);
  if (!reply) throw notFound("cannedReply");
  if (reply.createdById !== viewer.staffId && viewer.role !== "SUPER_ADMIN") throw new AppError("FORBIDDEN", "console.errors.cannedNotYours");
  return reply;
}

export async function editCannedReply(db: Db, viewer: StaffViewer, input: z.infer<typeof ZCannedReplyUpdate>) {
  await ownedReply(db, viewer, input.id);
  return updateCannedReply(db, input.id, { title: input.title, body: input.body });
}

export async function removeCannedReply(db: Db, viewer: StaffViewer, id: number) {
  await ownedReply(db, viewer, id);
  return deleteCannedReply(db, id);
}
