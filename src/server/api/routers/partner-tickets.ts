import { z } from "zod";
import { router, staffProcedure } from "../trpc.ts";
import { notWiredYet } from "./pending.ts";

const ZTicketAction = z.object({ ticketId: z.number().int().positive(), expectedVersion: z.number().int().nonnegative().optional() });

export const partnerTicketsRouter = router({
  /** 转移工单: hand a partner's ticket back to the partner. */
  returnToPartner: staffProcedure.input(ZTicketAction).mutation(() => notWiredYet()),
  /** 关闭工单 on our (upstream) side: the partner can no longer escalate it. */
  closeUpstreamSide: staffProcedure.input(ZTicketAction).mutation(() => notWiredYet()),
});
