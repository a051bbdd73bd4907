import { router, staffProcedure } from "../trpc.ts";
import { getReport, ZReportInput } from "../../services/report-service.ts";

/** 报表 */
export const reportsRouter = router({
  get: staffProcedure.input(ZReportInput).query(({ ctx, input }) => getReport(ctx.db, input, { timeZone: ctx.timeZone, locale: ctx.locale })),
});
