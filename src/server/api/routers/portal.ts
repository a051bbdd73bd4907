import { memberProcedure, router } from "../trpc.ts";
import {
  ZCreateTicketInput,
  ZMemberReplyInput,
  ZMemberTicketListInput,
  ZMemberTicketRef,
  ZRateTicketInput,
} from "../../services/member-ticket-inputs.ts";
import { closeAsMember, createMemberTicket, rateTicket, replyAsMember } from "../../services/member-ticket-service.ts";
import { listMyTickets, openMyTicket } from "../../services/member-ticket-queries.ts";

/** The member's tickets (会员中心). Every procedure is scoped to the calling member. */
export const portalRouter = router({
  list: memberProcedure.input(ZMemberTicketListInput).query(({ ctx, input }) => listMyTickets(ctx.db, ctx.viewer, input)),
  ticket: memberProcedure
    .input(ZMemberTicketRef.pick({ ticketId: true }))
    .query(({ ctx, input }) => openMyTicket(ctx.db, ctx.viewer, input.ticketId, ctx)),
  create: memberProcedure.input(ZCreateTicketInput).mutation(({ ctx, input }) => createMemberTicket(ctx.db, ctx.limits, ctx.viewer, input)),
  reply: memberProcedure.input(ZMemberReplyInput).mutation(({ ctx, input }) => replyAsMember(ctx.db, ctx.limits, ctx.viewer, input)),
  close: memberProcedure.input(ZMemberTicketRef).mutation(({ ctx, input }) => closeAsMember(ctx.db, ctx.viewer, input)),
  rate: memberProcedure.input(ZRateTicketInput).mutation(({ ctx, input }) => rateTicket(ctx.db, ctx.viewer, input)),
});
