import { z } from "zod";
import { ZId } from "../../schemas.ts";
import { router, superAdminProcedure } from "../trpc.ts";
import { getDeliveryOverview, redeliverOutbox } from "../../outbox/deliveries.ts";

export const deliveriesRouter = router({
  /** Pending count, dead letters with their error, each upstream's last sync and error. */
  overview: superAdminProcedure.query(({ ctx }) => getDeliveryOverview(ctx.db)),
  redeliver: superAdminProcedure.input(z.object({ id: ZId })).mutation(({ ctx, input }) => redeliverOutbox(ctx.db, input.id)),
});
