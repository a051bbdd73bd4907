import { tracked } from "@trpc/server";
import { router, signedInProcedure, staffProcedure } from "../trpc.ts";
import { ZLiveResume } from "../../schemas.ts";
import { beatPresence, leavePresence, listQueuePresence, listTicketPresence, ZPresenceBeat, ZPresenceTicket } from "../../services/presence-service.ts";

/** The live stream (SSE): ids and kinds of committed changes the viewer may hear of. */
export const liveRouter = router({
  events: signedInProcedure.input(ZLiveResume).subscription(async function* ({ ctx, input, signal }) {
    for await (const item of ctx.live.stream(ctx.viewer, { lastEventId: input.lastEventId, signal })) {
      yield item.id !== undefined ? tracked(item.id, item.event) : item.event;
    }
  }),
});

/** Who else is on a ticket page (staff). */
export const presenceRouter = router({
  beat: staffProcedure.input(ZPresenceBeat).mutation(({ ctx, input }) => beatPresence(ctx.db, ctx.viewer, input)),
  leave: staffProcedure.input(ZPresenceTicket).mutation(({ ctx, input }) => leavePresence(ctx.db, ctx.viewer, input)),
  ticket: staffProcedure.input(ZPresenceTicket).query(({ ctx, input }) => listTicketPresence(ctx.db, ctx.viewer, input)),
  queue: staffProcedure.query(({ ctx }) => listQueuePresence(ctx.db, ctx.viewer)),
});
