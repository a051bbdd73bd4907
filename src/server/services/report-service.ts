// 报表: first response, resolution, SLA met %, CSAT (工单评论) by staff, category, day or upstream
// vendor — the vendor scorecard (time to acknowledgement, first reply, return/close, share of
// tickets escalated). Durations are business minutes stored when each clock settled.
import { z } from "zod";
import { ZCalendarDate, ZId } from "../schemas.ts";
import type { Db } from "../db/client.ts";
import { REPORT_ROLLUP_ZONE, aggregateReport, aggregateReportFromRollup, type ReportRow } from "../db/repos/reports.ts";
import { AppError } from "../errors.ts";
import { translate, type Locale } from "@/i18n/messages";
import { nextDay, startOfZonedDay, zoneOffsetMs } from "@/lib/zoned-date";

/** A year and a day: a wider range is a different question (the daily rollup's). */
const MAX_RANGE_DAYS = 366;

export const ZReportInput = z.object({
  /** Calendar days in the viewer's zone, both inclusive; absent: the last 30 days. */
  from: ZCalendarDate.optional(),
  to: ZCalendarDate.optional(),
  dimension: z.enum(["staff", "category", "day", "upstream"]).default("day"),
  categoryId: ZId.optional(),
});
export type ReportInput = z.input<typeof ZReportInput>;

const pct = (met: number, of: number) => (of === 0 ? null : Math.round((met / of) * 1000) / 10);
const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

function present(r: ReportRow, dimension: z.infer<typeof ZReportInput>["dimension"], locale: Locale) {
  const label =
    r.key === "0" && dimension === "staff"
      ? translate(locale, "sla.reports.unassigned")
      : r.key === "0" && dimension === "upstream"
        ? translate(locale, "sla.reports.notEscalated")
        : (r.label ?? r.key);
  return {
    key: r.key,
    label,
    tickets: r.tickets,
    escalatedPct: pct(r.escalated, r.tickets),
    firstResponseAvg: round(r.firstResponseAvg),
    firstResponseMetPct: pct(r.firstResponseMet, r.firstResponseTimed),
    resolutionAvg: round(r.resolutionAvg),
    resolutionMetPct: pct(r.resolutionMet, r.resolutionTimed),
    /** Both verdicts that were given, together. */
    slaMetPct: pct(r.firstResponseMet + r.resolutionMet, r.firstResponseTimed + r.resolutionTimed),
    csatAvg: r.csatAvg === null ? null : Math.round(r.csatAvg * 100) / 100,
    rated: r.rated,
    upstreamAckAvg: round(r.upstreamAckAvg),
    upstreamFirstReplyAvg: round(r.upstreamFirstReplyAvg),
    upstreamSettleAvg: round(r.upstreamSettleAvg),
    upstreamAckMetPct: pct(r.upstreamAckMet, r.upstreamAckTimed),
    upstreamResolutionMetPct: pct(r.upstreamResolutionMet, r.upstreamResolutionTimed),
  };
}
export type ReportLine = ReturnType<typeof present>;

/** The columns of the table and the CSV, in order. */
export const REPORT_COLUMNS = [
  "label",
  "tickets",
  "firstResponseAvg",
  "firstResponseMetPct",
  "resolutionAvg",
  "resolutionMetPct",
  "slaMetPct",
  "csatAvg",
  "escalatedPct",
  "upstreamAckAvg",
  "upstreamFirstReplyAvg",
  "upstreamSettleAvg",
  "upstreamAckMetPct",
  "upstreamResolutionMetPct",
] as const satisfies readonly (keyof ReportLine)[];

/** RFC 4180, with a BOM so that spreadsheet programs read the Chinese correctly. */
function toCsv(lines: ReportLine[], locale: Locale): string {
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? "" : String(v);
    // A leading = + - @ would be a formula in a spreadsheet: quote it as text.
    const safe = /^[=+\-@]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s) ? `'${s}` : s;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const head = REPORT_COLUMNS.map((c) => translate(locale, `sla.reports.columns.${c}`));
  return `\uFEFF${[head, ...lines.map((l) => REPORT_COLUMNS.map((c) => l[c]))].map((row) => row.map(cell).join(",")).join("\r\n")}\r\n`;
}

const DEFAULT_DAYS = 30;
const dayIn = (timeZone: string, at: Date) => new Intl.DateTimeFormat("sv-SE", { timeZone }).format(at);

/**
 * The daily rollup answers when the viewer's days are the rollup's: the viewer's zone has the
 * rollup zone's offset at every midnight of the range, and inside each day (a zone with DST, or
 * any other offset, is computed from the tickets: correct, slower over long ranges).
 */
function rollupServes(timeZone: string, from: Date, to: Date): boolean {
  if (timeZone === REPORT_ROLLUP_ZONE) return true;
  for (let t = from.getTime(); t <= to.getTime(); t += 43_200_000) {
    if (zoneOffsetMs(new Date(t), timeZone) !== zoneOffsetMs(new Date(t), REPORT_ROLLUP_ZONE)) return false;
  }
  return true;
}

export async function getReport(db: Db, raw: ReportInput, view: { timeZone: string; locale: Locale }, now: Date = new Date()) {
  const parsed = ZReportInput.parse(raw);
  const input = {
    ...parsed,
    from: parsed.from ?? dayIn(view.timeZone, new Date(now.getTime() - (DEFAULT_DAYS - 1) * 86_400_000)),
    to: parsed.to ?? dayIn(view.timeZone, now),
  };
  const from = startOfZonedDay(input.from, view.timeZone);
  const to = startOfZonedDay(nextDay(input.to), view.timeZone);
  const days = Math.round((to.getTime() - from.getTime()) / 86_400_000);
  if (days <= 0 || days > MAX_RANGE_DAYS) throw new AppError("VALIDATION", "errors.reportRange", { params: { max: MAX_RANGE_DAYS } });
  const categoryId = input.categoryId ?? null;
  const rows = rollupServes(view.timeZone, from, to)
    ? await aggregateReportFromRollup(db, { fromDay: input.from, toDay: nextDay(input.to), dimension: input.dimension, categoryId })
    : await aggregateReport(db, { from, to, timeZone: view.timeZone, dimension: input.dimension, categoryId });
  const lines = rows.filter((r) => r.key !== "total").map((r) => present(r, input.dimension, view.locale));
  const totalRow = rows.find((r) => r.key === "total");
  const totalLine = totalRow ? { ...present(totalRow, input.dimension, view.locale), label: translate(view.locale, "sla.reports.total") } : null;
  return {
    range: { from: input.from, to: input.to, timeZone: view.timeZone },
    dimension: input.dimension,
    columns: REPORT_COLUMNS,
    lines,
    total: totalLine,
    csv: toCsv(totalLine ? [...lines, totalLine] : lines, view.locale),
    filename: `relaydesk-report-${input.dimension}-${input.from}-${input.to}.csv`,
  };
}
