import { z } from "zod";
import { router, staffProcedure } from "../trpc.ts";
import { notWiredYet } from "./pending.ts";

const ZTicketAction = z.object({ ticketId: z.number().int().positive(), expectedVersion: z.number().int().nonnegative().optional() });

export const escalationRouter = router({
  /** 转移到云技术客服 */
  escalate: staffProcedure.input(ZTicketAction).mutation(() => notWiredYet()),
  /** 同步工单 */
  sync: staffProcedure.input(ZTicketAction).mutation(() => notWiredYet()),
});
