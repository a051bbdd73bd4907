import { z } from "zod";
import { ZId } from "../../schemas.ts";
import { router, superAdminProcedure } from "../trpc.ts";
import { getAutomationSettings, removeAutomationRule, saveAutomationRule, ZAutomationRuleInput } from "../../services/automation-service.ts";

/** 自动化规则 (super admins). */
export const automationRouter = router({
  settings: superAdminProcedure.query(({ ctx }) => getAutomationSettings(ctx.db)),
  save: superAdminProcedure.input(ZAutomationRuleInput).mutation(({ ctx, input }) => saveAutomationRule(ctx.db, input)),
  delete: superAdminProcedure.input(z.object({ id: ZId })).mutation(({ ctx, input }) => removeAutomationRule(ctx.db, input.id)),
});
