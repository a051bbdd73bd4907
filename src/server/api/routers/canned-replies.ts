import { z } from "zod";
import { ZId } from "../../schemas.ts";
import { router, staffProcedure } from "../trpc.ts";
import {
  addCannedReply,
  editCannedReply,
  listCannedReplyLibrary,
  removeCannedReply,
  ZCannedReplyInput,
  ZCannedReplyUpdate,
} from "../../services/canned-reply-service.ts";

/** 预设回复 */
export const cannedRepliesRouter = router({
  list: staffProcedure.query(({ ctx }) => listCannedReplyLibrary(ctx.db)),
  create: staffProcedure.input(ZCannedReplyInput).mutation(({ ctx, input }) => addCannedReply(ctx.db, ctx.viewer, input)),
  update: staffProcedure.input(ZCannedReplyUpdate).mutation(({ ctx, input }) => editCannedReply(ctx.db, ctx.viewer, input)),
  delete: staffProcedure
    .input(z.object({ id: ZId }))
    .mutation(({ ctx, input }) => removeCannedReply(ctx.db, ctx.viewer, input.id)),
});
