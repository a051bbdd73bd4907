/**
 * Business calendars (工作日历): a time zone, weekly working periods (several a day, so a lunch
 * break is a gap between two), and per-date overrides — a holiday (no periods) or a 调休 working
 * day (a Saturday or Sunday that works). Pure: every function takes the instants it works on;
 * nothing here reads a clock.
 */
import { zoneOffsetMs } from "@/lib/zoned-date";

/** Minutes since local midnight, [start, end); end may be 1440 (24:00). */
export type WorkPeriod = { start: number; end: number };

export type BusinessCalendar = {
  timeZone: string;
  /** Index 0 = Sunday … 6 = Saturday, as Date#getUTCDay counts. */
  weekly: readonly (readonly WorkPeriod[])[];
  /** 'YYYY-MM-DD' (local date) → that day's periods; [] is a holiday. */
  overrides: ReadonlyMap<string, readonly WorkPeriod[]>;
};

const MINUTE = 60_000;
const DAY_MINUTES = 1440;
/** A calendar without working time would loop for ever; ten years of empty days is an error. */
const MAX_DAYS_SCANNED = 3660;

/** 09:00–12:00 and 13:30–18:00, Monday to Friday: the usual Chinese office day. */
export const OFFICE_DAY: readonly WorkPeriod[] = [
  { start: 9 * 60, end: 12 * 60 },
  { start: 13 * 60 + 30, end: 18 * 60 },
];
export const OFFICE_WEEK: readonly (readonly WorkPeriod[])[] = [[], OFFICE_DAY, OFFICE_DAY, OFFICE_DAY, OFFICE_DAY, OFFICE_DAY, []];
export const ROUND_THE_CLOCK_WEEK: readonly (readonly WorkPeriod[])[] = Array.from({ length: 7 }, () => [{ start: 0, end: DAY_MINUTES }]);

/** What a 调休 working day works when its row names no periods of its own: a Monday. */
export const SHIFTED_WORKDAY_WEEKDAY = 1;

/** Why a calendar or a period list is unusable; null when it is fine. */
export function periodsProblem(periods: readonly WorkPeriod[]): "PERIOD_RANGE" | "PERIOD_ORDER" | null {
  let last = -1;
  for (const p of periods) {
    if (!Number.isInteger(p.start) || !Number.isInteger(p.end) || p.start < 0 || p.end > DAY_MINUTES || p.start >= p.end) return "PERIOD_RANGE";
    if (p.start < last) return "PERIOD_ORDER";
    last = p.end;
  }
  return null;
}

// --- Time zone arithmetic (Intl only; works for zones with DST too) --------------------------

/** The wall-clock fields of an instant in a zone, as if they were UTC (ms). */
const wallClockMs = (zone: string, ms: number) => ms + zoneOffsetMs(new Date(ms), zone);

/** The instant of a local wall-clock time (as UTC-fields ms) in a zone. */
function instantOfWallClock(zone: string, wall: number): number {
  let guess = wall - zoneOffsetMs(new Date(wall), zone);
  guess = wall - zoneOffsetMs(new Date(guess), zone);
  return guess;
}

/** 'YYYY-MM-DD' of an instant in the zone. */
export function localDateOf(zone: string, at: Date): string {
  return new Date(wallClockMs(zone, at.getTime())).toISOString().slice(0, 10);
}

const dayKey = (dayStartWall: number) => new Date(dayStartWall).toISOString().slice(0, 10);

/** The working periods of one local day (the override wins over the weekday). */
export function periodsOn(calendar: BusinessCalendar, date: string): readonly WorkPeriod[] {
  return calendar.overrides.get(date) ?? calendar.weekly[new Date(`${date}T00:00:00Z`).getUTCDay()] ?? [];
}

/** Working intervals (instants, ms) of the local day starting at `dayStartWall`. */
function intervalsOfDay(calendar: BusinessCalendar, dayStartWall: number): [number, number][] {
  return periodsOn(calendar, dayKey(dayStartWall)).map((p) => [
    instantOfWallClock(calendar.timeZone, dayStartWall + p.start * MINUTE),
    instantOfWallClock(calendar.timeZone, dayStartWall + p.end * MINUTE),
  ]);
}

function localMidnightWall(zone: string, ms: number): number {
  const wall = wallClockMs(zone, ms);
  return wall - (((wall % (DAY_MINUTES * MINUTE)) + DAY_MINUTES * MINUTE) % (DAY_MINUTES * MINUTE));
}

/**
 * The instant `minutes` business minutes after `from`. Zero minutes is `from` itself, even outside
 * working time (nothing is owed).
 */
export function addBusinessMinutes(calendar: BusinessCalendar, from: Date, minutes: number): Date {
  if (!(minutes > 0)) return new Date(from);
  let left = minutes * MINUTE;
  let cursor = from.getTime();
  let day = localMidnightWall(calendar.timeZone, cursor);
  for (let scanned = 0; scanned < MAX_DAYS_SCANNED; scanned++, day += DAY_MINUTES * MINUTE) {
    for (const [start, end] of intervalsOfDay(calendar, day)) {
      if (end <= cursor) continue;
      const s = Math.max(start, cursor);
      if (end - s >= left) return new Date(s + left);
      left -= end - s;
      cursor = end;
    }
  }
  throw new Error(`calendar has no working time within ${MAX_DAYS_SCANNED} days`);
}

/** Business minutes between two instants (0 when `to` is not after `from`); fractional. */
export function elapsedBusinessMinutes(calendar: BusinessCalendar, from: Date, to: Date): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  let total = 0;
  for (let day = localMidnightWall(calendar.timeZone, a); day <= wallClockMs(calendar.timeZone, b); day += DAY_MINUTES * MINUTE) {
    for (const [start, end] of intervalsOfDay(calendar, day)) {
      const s = Math.max(start, a);
      const e = Math.min(end, b);
      if (e > s) total += e - s;
    }
  }
  return total / MINUTE;
}

/** Whether an instant falls inside working time. */
export function isBusinessTime(calendar: BusinessCalendar, at: Date): boolean {
  const ms = at.getTime();
  return intervalsOfDay(calendar, localMidnightWall(calendar.timeZone, ms)).some(([s, e]) => ms >= s && ms < e);
}
