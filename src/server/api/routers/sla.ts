import { z } from "zod";
import { ZId } from "../../schemas.ts";
import { router, superAdminProcedure } from "../trpc.ts";
import {
  getSlaSettings,
  removeCalendar,
  removeCalendarDay,
  removePolicy,
  saveCalendar,
  savePolicy,
  saveUpstreamPolicy,
  setCalendarDay,
  ZCalendarDayInput,
  ZCalendarDayRef,
  ZCalendarInput,
  ZPolicyInput,
  ZUpstreamPolicyInput,
} from "../../services/sla-admin-service.ts";

/** 工作日历 and SLA 策略 (super admins). */
export const slaRouter = router({
  settings: superAdminProcedure.query(({ ctx }) => getSlaSettings(ctx.db)),
  saveCalendar: superAdminProcedure.input(ZCalendarInput).mutation(({ ctx, input }) => saveCalendar(ctx.db, input)),
  deleteCalendar: superAdminProcedure.input(z.object({ id: ZId })).mutation(({ ctx, input }) => removeCalendar(ctx.db, input.id)),
  setDay: superAdminProcedure.input(ZCalendarDayInput).mutation(({ ctx, input }) => setCalendarDay(ctx.db, input)),
  deleteDay: superAdminProcedure.input(ZCalendarDayRef).mutation(({ ctx, input }) => removeCalendarDay(ctx.db, input)),
  savePolicy: superAdminProcedure.input(ZPolicyInput).mutation(({ ctx, input }) => savePolicy(ctx.db, input)),
  deletePolicy: superAdminProcedure.input(z.object({ id: ZId })).mutation(({ ctx, input }) => removePolicy(ctx.db, input.id)),
  saveUpstreamPolicy: superAdminProcedure.input(ZUpstreamPolicyInput).mutation(({ ctx, input }) => saveUpstreamPolicy(ctx.db, input)),
});
