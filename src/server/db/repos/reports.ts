import { Prisma } from "../generated/client.ts";
import type { DbOrTx } from "../client.ts";

// 报表: aggregates over the durations and verdicts each ticket stored when its clocks settled
// (business minutes on the policy's calendar), never recomputed from the conversation.

export type ReportDimension = "staff" | "category" | "day" | "upstream";

export type ReportRow = {
  key: string;
  label: string | null;
  tickets: number;
  escalated: number;
  firstResponseAvg: number | null;
  firstResponseMet: number;
  firstResponseTimed: number;
  resolutionAvg: number | null;
  resolutionMet: number;
  resolutionTimed: number;
  csatAvg: number | null;
  rated: number;
  upstreamAckAvg: number | null;
  upstreamFirstReplyAvg: number | null;
  upstreamSettleAvg: number | null;
  upstreamAckMet: number;
  upstreamAckTimed: number;
  upstreamResolutionMet: number;
  upstreamResolutionTimed: number;
};

function grouping(dimension: ReportDimension, timeZone: string): { key: Prisma.Sql; label: Prisma.Sql; join: Prisma.Sql } {
  switch (dimension) {
    case "staff":
      return { key: Prisma.sql`COALESCE(t."assigneeId", 0)::text`, label: Prisma.sql`s."displayName"`, join: Prisma.sql`LEFT JOIN "Staff" s ON s.id = t."assigneeId"` };
    case "category":
      return { key: Prisma.sql`t."categoryId"::text`, label: Prisma.sql`c.name`, join: Prisma.sql`JOIN "Category" c ON c.id = t."categoryId"` };
    case "day":
      return { key: Prisma.sql`to_char(t."createdAt" AT TIME ZONE ${timeZone}, 'YYYY-MM-DD')`, label: Prisma.sql`NULL::text`, join: Prisma.empty };
    case "upstream":
      return {
        key: Prisma.sql`COALESCE(l."connectionId", 0)::text`,
        label: Prisma.sql`u.name`,
        join: Prisma.sql`LEFT JOIN "UpstreamLink" l ON l."ticketId" = t.id LEFT JOIN "UpstreamConnection" u ON u.id = l."connectionId"`,
      };
  }
}

/** Tickets filed in [from, to), grouped, computed from the tickets themselves (any zone), the last row the total (key "total"); one statement. */
export async function aggregateReport(db: DbOrTx, q: { from: Date; to: Date; timeZone: string; dimension: ReportDimension; categoryId: number | null }): Promise<ReportRow[]> {
  const g = grouping(q.dimension, q.timeZone);
  const where = [Prisma.sql`t."createdAt" >= ${q.from}::timestamptz`, Prisma.sql`t."createdAt" < ${q.to}::timestamptz`];
  if (q.categoryId !== null) where.push(Prisma.sql`t."categoryId" = ${q.categoryId}`);
  // The key is computed once in the inner query, so ROLLUP groups by a plain column (a key with a
  // bound parameter, the day's zone, would be a different expression in GROUP BY).
  const rows = await db.$queryRaw<Record<string, unknown>[]>`
    SELECT x.gkey AS key, MAX(x.glabel) AS label,
           count(*)::int AS tickets,
           count(*) FILTER (WHERE x.escalation <> 'NONE')::int AS escalated,
           avg(x."slaFirstResponseMinutes") AS "firstResponseAvg",
           count(*) FILTER (WHERE x."slaFirstResponseMet")::int AS "firstResponseMet",
           count(x."slaFirstResponseMet")::int AS "firstResponseTimed",
           avg(x."slaResolutionMinutes") AS "resolutionAvg",
           count(*) FILTER (WHERE x."slaResolutionMet")::int AS "resolutionMet",
           count(x."slaResolutionMet")::int AS "resolutionTimed",
           avg(x.rating) AS "csatAvg",
           count(x.rating)::int AS rated,
           avg(x."upstreamAckMinutes") AS "upstreamAckAvg",
           avg(x."upstreamFirstReplyMinutes") AS "upstreamFirstReplyAvg",
           avg(x."upstreamSettleMinutes") AS "upstreamSettleAvg",
           count(*) FILTER (WHERE x."upstreamAckMet")::int AS "upstreamAckMet",
           count(x."upstreamAckMet")::int AS "upstreamAckTimed",
           count(*) FILTER (WHERE x."upstreamResolutionMet")::int AS "upstreamResolutionMet",
           count(x."upstreamResolutionMet")::int AS "upstreamResolutionTimed"
      FROM (
        SELECT ${g.key} AS gkey, ${g.label}::text AS glabel, t.escalation, t.rating,
               t."slaFirstResponseMinutes", t."slaFirstResponseMet", t."slaResolutionMinutes", t."slaResolutionMet",
               t."upstreamAckMinutes", t."upstreamAckMet", t."upstreamFirstReplyMinutes", t."upstreamSettleMinutes", t."upstreamResolutionMet"
          FROM "Ticket" t ${g.join}
         WHERE ${Prisma.join(where, " AND ")}
      ) x
     GROUP BY ROLLUP (x.gkey)
     ORDER BY x.gkey NULLS LAST`;
  return rows.map(toReportRow);
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function toReportRow(r: Record<string, unknown>): ReportRow {
  return {
    ...(r as unknown as ReportRow),
    // ROLLUP's grand total has no key.
    key: r.key === null ? "total" : String(r.key),
    label: (r.label as string | null) ?? null,
    firstResponseAvg: num(r.firstResponseAvg),
    resolutionAvg: num(r.resolutionAvg),
    csatAvg: num(r.csatAvg),
    upstreamAckAvg: num(r.upstreamAckAvg),
    upstreamFirstReplyAvg: num(r.upstreamFirstReplyAvg),
    upstreamSettleAvg: num(r.upstreamSettleAvg),
  };
}

function rollupGrouping(dimension: ReportDimension): { key: Prisma.Sql; label: Prisma.Sql; join: Prisma.Sql } {
  switch (dimension) {
    case "staff":
      return { key: Prisma.sql`r."assigneeId"::text`, label: Prisma.sql`s."displayName"`, join: Prisma.sql`LEFT JOIN "Staff" s ON s.id = r."assigneeId"` };
    case "category":
      return { key: Prisma.sql`r."categoryId"::text`, label: Prisma.sql`c.name`, join: Prisma.sql`JOIN "Category" c ON c.id = r."categoryId"` };
    case "day":
      return { key: Prisma.sql`to_char(r.day, 'YYYY-MM-DD')`, label: Prisma.sql`NULL::text`, join: Prisma.empty };
    case "upstream":
      return { key: Prisma.sql`r."connectionId"::text`, label: Prisma.sql`u.name`, join: Prisma.sql`LEFT JOIN "UpstreamConnection" u ON u.id = r."connectionId"` };
  }
}

/** The days whose rows "TicketReportDay" holds: filing days in this zone (the triggers' zone). */
export const REPORT_ROLLUP_ZONE = "Asia/Shanghai";

/**
 * The same figures as aggregateReport for the filing days [fromDay, toDay) in REPORT_ROLLUP_ZONE,
 * read from the daily rollup the triggers keep current: a year is a few dozen rows a day instead of
 * every ticket. Averages are the sums over the counts, so they equal the tickets' avg().
 */
export async function aggregateReportFromRollup(db: DbOrTx, q: { fromDay: string; toDay: string; dimension: ReportDimension; categoryId: number | null }): Promise<ReportRow[]> {
  const g = rollupGrouping(q.dimension);
  // A row whose tickets all moved away holds only zeros: skipped, so no empty group appears.
  const where = [Prisma.sql`r.day >= ${q.fromDay}::date`, Prisma.sql`r.day < ${q.toDay}::date`, Prisma.sql`r.tickets > 0`];
  if (q.categoryId !== null) where.push(Prisma.sql`r."categoryId" = ${q.categoryId}`);
  const avg = (sum: string, count: string) => Prisma.raw(`sum(x."${sum}") / NULLIF(sum(x."${count}"), 0)::float8`);
  const total = (col: string) => Prisma.raw(`COALESCE(sum(x."${col}"), 0)::int`);
  const rows = await db.$queryRaw<Record<string, unknown>[]>`
    SELECT x.gkey AS key, MAX(x.glabel) AS label,
           ${total("tickets")} AS tickets,
           ${total("escalated")} AS escalated,
           ${avg("firstResponseSum", "firstResponseCount")} AS "firstResponseAvg",
           ${total("firstResponseMet")} AS "firstResponseMet",
           ${total("firstResponseTimed")} AS "firstResponseTimed",
           ${avg("resolutionSum", "resolutionCount")} AS "resolutionAvg",
           ${total("resolutionMet")} AS "resolutionMet",
           ${total("resolutionTimed")} AS "resolutionTimed",
           ${avg("ratingSum", "rated")} AS "csatAvg",
           ${total("rated")} AS rated,
           ${avg("upstreamAckSum", "upstreamAckCount")} AS "upstreamAckAvg",
           ${avg("upstreamFirstReplySum", "upstreamFirstReplyCount")} AS "upstreamFirstReplyAvg",
           ${avg("upstreamSettleSum", "upstreamSettleCount")} AS "upstreamSettleAvg",
           ${total("upstreamAckMet")} AS "upstreamAckMet",
           ${total("upstreamAckTimed")} AS "upstreamAckTimed",
           ${total("upstreamResolutionMet")} AS "upstreamResolutionMet",
           ${total("upstreamResolutionTimed")} AS "upstreamResolutionTimed"
      FROM (
        SELECT ${g.key} AS gkey, ${g.label}::text AS glabel, r.*
          FROM "TicketReportDay" r ${g.join}
         WHERE ${Prisma.join(where, " AND ")}
      ) x
     GROUP BY ROLLUP (x.gkey)
     ORDER BY x.gkey NULLS LAST`;
  return rows.map(toReportRow);
}
