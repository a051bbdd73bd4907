// 工作日历 and SLA 策略 in the console (super admins): calendars with their weekly periods and date
// overrides, the policy per category (or for every category), and the targets per 上级资源.
import { z } from "zod";
import { ZCalendarDate, ZId, zText, zWholeNumber } from "../schemas.ts";
import type { Db } from "../db/client.ts";
import {
  categoryExists,
  categoryHasOtherPolicy,
  connectionExists,
  deleteCalendar,
  deleteCalendarDay,
  deletePolicy,
  findCalendar,
  insertCalendar,
  insertPolicy,
  listCalendars,
  listPolicies,
  listUpstreamPolicies,
  policyExists,
  updateCalendar,
  updatePolicy,
  upsertCalendarDay,
  upsertUpstreamPolicy,
} from "../db/repos/sla.ts";
import { periodsProblem, type WorkPeriod } from "../domain/business-calendar.ts";
import { AppError, isUniqueViolation, notFound } from "../errors.ts";

/**
 * The zones a calendar may name: the runtime's IANA list, plus UTC and the fixed-offset Etc/GMT±N
 * zones (a vendor abroad that keeps one offset all year; note the POSIX sign: Etc/GMT-8 is UTC+8).
 */
export const TIME_ZONES: readonly string[] = [
  ...Intl.supportedValuesOf("timeZone"),
  "UTC",
  ...Array.from({ length: 27 }, (_, i) => i - 14).map((n) => (n === 0 ? "Etc/GMT" : `Etc/GMT${n > 0 ? "+" : ""}${n}`)),
];

const DAY_MINUTES = 1440;
/** A year of business minutes is more than any target needs; the column is an int. */
const MAX_TARGET_MINUTES = 525_600;

const ZPeriod = z.object({ start: zWholeNumber(0, DAY_MINUTES), end: zWholeNumber(0, DAY_MINUTES) });
const ZDayPeriods = z.array(ZPeriod).max(6, "errors.periodsInvalid");

export const ZCalendarInput = z.object({
  id: ZId.optional(),
  name: zText({ min: 1, max: 64 }),
  timeZone: z.enum(TIME_ZONES as [string, ...string[]], { error: "errors.timeZoneInvalid" }),
  /** Sunday first. */
  weekly: z
    .array(ZDayPeriods)
    .length(7, "errors.periodsInvalid")
    .refine((days) => days.every((d) => periodsProblem(d as WorkPeriod[]) === null), "errors.periodsInvalid"),
});

export const ZCalendarDayInput = z.object({
  calendarId: ZId,
  date: ZCalendarDate,
  /** true: a 调休 working day; false: a holiday. */
  working: z.boolean({ error: "errors.invalidField" }),
  note: zText({ max: 64 }).default(""),
});
export const ZCalendarDayRef = z.object({ calendarId: ZId, date: ZCalendarDate });

const ZTarget = zWholeNumber(1, MAX_TARGET_MINUTES).nullable();
export const ZPolicyInput = z.object({
  id: ZId.optional(),
  name: zText({ min: 1, max: 64 }),
  calendarId: ZId,
  /** null: the policy for every category without its own. */
  categoryId: ZId.nullable(),
  firstResponseMinutes: ZTarget,
  nextResponseMinutes: ZTarget,
  resolutionMinutes: ZTarget,
  warnPercent: zWholeNumber(1, 99).default(80),
  /** 自动关闭 after this many days without a member answer; null = off. */
  autoCloseDays: zWholeNumber(1, 365).nullable().default(null),
  enabled: z.boolean({ error: "errors.invalidField" }).default(true),
});

export const ZUpstreamPolicyInput = z.object({
  connectionId: ZId,
  calendarId: ZId,
  ackMinutes: ZTarget,
  resolutionMinutes: ZTarget,
  warnPercent: zWholeNumber(1, 99).default(80),
});

export async function getSlaSettings(db: Db) {
  const [calendars, policies, upstreams] = await Promise.all([listCalendars(db), listPolicies(db), listUpstreamPolicies(db)]);
  return {
    calendars: calendars.map((c) => ({
      id: c.id,
      name: c.name,
      timeZone: c.timeZone,
      weekly: c.weekly as WorkPeriod[][],
      days: c.days.map((d) => ({ date: d.date, working: d.working, note: d.note })),
      inUse: c._count.policies + c._count.upstreamPolicies > 0,
    })),
    policies: policies.map(({ calendar, category, ...p }) => ({ ...p, calendarName: calendar.name, categoryName: category?.name ?? null })),
    upstreams: upstreams.map((u) => ({ connectionId: u.id, name: u.name, policy: u.slaPolicy })),
  };
}

const nameTaken = (key: string) => (e: unknown) => {
  throw isUniqueViolation(e) ? new AppError("VALIDATION", key) : e;
};

export async function saveCalendar(db: Db, input: z.infer<typeof ZCalendarInput>) {
  const data = { name: input.name, timeZone: input.timeZone, weekly: input.weekly };
  if (input.id === undefined) return insertCalendar(db, data).catch(nameTaken("errors.calendarNameTaken"));
  if (!(await findCalendar(db, input.id))) throw notFound("calendar");
  return updateCalendar(db, input.id, data).catch(nameTaken("errors.calendarNameTaken"));
}

export async function removeCalendar(db: Db, id: number) {
  const calendar = await findCalendar(db, id);
  if (!calendar) throw notFound("calendar");
  if (calendar._count.policies + calendar._count.upstreamPolicies > 0) throw new AppError("VALIDATION", "errors.calendarInUse");
  await deleteCalendar(db, id);
  return { id };
}

export async function setCalendarDay(db: Db, input: z.infer<typeof ZCalendarDayInput>) {
  if (!(await findCalendar(db, input.calendarId))) throw notFound("calendar");
  return upsertCalendarDay(db, input);
}

export async function removeCalendarDay(db: Db, input: z.infer<typeof ZCalendarDayRef>) {
  await deleteCalendarDay(db, input.calendarId, input.date);
  return { date: input.date };
}

export async function savePolicy(db: Db, input: z.infer<typeof ZPolicyInput>) {
  const { id, ...fields } = input;
  if (id !== undefined && !(await policyExists(db, id))) throw notFound("slaPolicy");
  if (!(await findCalendar(db, fields.calendarId))) throw notFound("calendar");
  if (fields.categoryId !== null) {
    if (!(await categoryExists(db, fields.categoryId))) throw notFound("category");
    if (await categoryHasOtherPolicy(db, fields.categoryId, id)) throw new AppError("VALIDATION", "errors.categoryHasPolicy");
  }
  // A unique violation left is the name (or a concurrent save for the same category).
  const write = id === undefined ? insertPolicy(db, fields) : updatePolicy(db, id, fields);
  return write.catch(nameTaken("errors.policyNameTaken"));
}

export async function removePolicy(db: Db, id: number) {
  const { count } = await deletePolicy(db, id);
  if (count === 0) throw notFound("slaPolicy");
  return { id };
}

export async function saveUpstreamPolicy(db: Db, input: z.infer<typeof ZUpstreamPolicyInput>) {
  if (!(await connectionExists(db, input.connectionId))) throw notFound("upstream");
  if (!(await findCalendar(db, input.calendarId))) throw notFound("calendar");
  return upsertUpstreamPolicy(db, input);
}
