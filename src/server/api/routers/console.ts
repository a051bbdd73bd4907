import { z } from "zod";
import { ZCursor, ZId, zPageSize } from "../../schemas.ts";
import { router, staffProcedure } from "../trpc.ts";
import { consoleHome, listQueue, queueCounts, queueOptions, ZQueueFilter, ZQueueInput } from "../../services/queue-service.ts";
import { CONVERSATION_PAGE, getConversationPage, getTicketDetail } from "../../services/ticket-detail-service.ts";
import { runBulkAction, ZBulkInput } from "../../services/bulk-ticket-service.ts";
import { acceptTicket, addInternalNote, closeTicket, moveTicket, replyToTicket, ZMoveInput } from "../../services/staff-ticket-service.ts";
import { ZMessageInput, ZTicketRef } from "../../services/ticket-inputs.ts";

/** The staff console: 工单管理 (queue) and 工单信息 (ticket page). Thin: parse, one service call. */
export const consoleRouter = router({
  home: staffProcedure.query(({ ctx }) => consoleHome(ctx.db, ctx.viewer, ctx.timeZone)),
  queue: staffProcedure.input(ZQueueInput).query(({ ctx, input }) => listQueue(ctx.db, ctx.viewer, input, ctx.timeZone)),
  counts: staffProcedure.input(ZQueueFilter).query(({ ctx, input }) => queueCounts(ctx.db, ctx.viewer, input, ctx.timeZone)),
  options: staffProcedure.query(({ ctx }) => queueOptions(ctx.db)),
  bulk: staffProcedure.input(ZBulkInput).mutation(({ ctx, input }) => runBulkAction(ctx.db, ctx.viewer, input, ctx.locale)),

  ticket: staffProcedure
    .input(z.object({ ticketId: ZId }))
    .query(({ ctx, input }) => getTicketDetail(ctx.db, input.ticketId, ctx)),
  /** 沟通记录, older pages: `cursor` is the previous page's olderCursor (null = the newest page). */
  conversation: staffProcedure
    .input(z.object({ ticketId: ZId, cursor: ZCursor.nullish(), limit: zPageSize(100, CONVERSATION_PAGE) }))
    .query(({ ctx, input }) => getConversationPage(ctx.db, input.ticketId, input.cursor, input.limit, ctx)),
  accept: staffProcedure.input(ZTicketRef).mutation(({ ctx, input }) => acceptTicket(ctx.db, ctx.viewer, input)),
  reply: staffProcedure.input(ZMessageInput).mutation(({ ctx, input }) => replyToTicket(ctx.db, ctx.viewer, input)),
  note: staffProcedure.input(ZMessageInput).mutation(({ ctx, input }) => addInternalNote(ctx.db, ctx.viewer, input)),
  move: staffProcedure.input(ZMoveInput).mutation(({ ctx, input }) => moveTicket(ctx.db, ctx.viewer, input)),
  close: staffProcedure.input(ZTicketRef).mutation(({ ctx, input }) => closeTicket(ctx.db, ctx.viewer, input)),
});
