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

/** Tickets filed in [from, to), grouped, the last row the total (key "total"); one statement. */
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
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return rows.map((r) => ({
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
  }));
}
