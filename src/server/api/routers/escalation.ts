import { z } from "zod";
import { ZId, ZVersion, zIdList } from "../../schemas.ts";
import { router, staffProcedure } from "../trpc.ts";
import { getConfig } from "../../config.ts";
import { upstreamDepsFromConfig } from "../../upstream/deps.ts";
import { escalateTicket, getEscalationView } from "../../upstream/escalate.ts";
import { syncTicketNow } from "../../upstream/sync.ts";

const ZTicketAction = z.object({ ticketId: ZId, expectedVersion: ZVersion.optional() });

export const escalationRouter = router({
  /** 转移到云技术客服: returns at once; the worker delivers (the page shows 转移中 until the GUID). */
  escalate: staffProcedure.input(ZTicketAction.extend({ fileIds: zIdList(100).optional() })).mutation(async ({ ctx, input }) => (await escalateTicket(ctx.db, ctx.viewer, input)).result),
  /** 同步工单: pulls the upstream's messages and state now. */
  sync: staffProcedure.input(ZTicketAction).mutation(({ ctx, input }) => syncTicketNow(ctx.db, upstreamDepsFromConfig(getConfig()), ctx.viewer, input)),
  /** The escalation box of the ticket page (null when never escalated). */
  status: staffProcedure.input(z.object({ ticketId: ZId })).query(({ ctx, input }) => getEscalationView(ctx.db, input.ticketId)),
});
