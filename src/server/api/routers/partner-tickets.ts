import { router, staffProcedure } from "../trpc.ts";
import { closeUpstreamSide, returnToPartner, ZPartnerTicketAction } from "../../partners/staff-partner-actions.ts";

/** Staff actions on a ticket a downstream partner sent us (we are its upstream). */
export const partnerTicketsRouter = router({
  /** 转移工单: hand a partner's ticket back to the partner. */
  returnToPartner: staffProcedure
    .input(ZPartnerTicketAction)
    .mutation(async ({ ctx, input }) => (await returnToPartner(ctx.db, ctx.viewer, input)).next),
  /** 关闭工单 on our (upstream) side: the partner can no longer escalate it. */
  closeUpstreamSide: staffProcedure
    .input(ZPartnerTicketAction)
    .mutation(async ({ ctx, input }) => (await closeUpstreamSide(ctx.db, ctx.viewer, input)).next),
});
