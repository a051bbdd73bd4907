import { describe, expect, it } from "vitest";
import {
  OFFICE_WEEK,
  ROUND_THE_CLOCK_WEEK,
  addBusinessMinutes,
  elapsedBusinessMinutes,
  isBusinessTime,
  localDateOf,
  periodsProblem,
  type BusinessCalendar,
  type WorkPeriod,
} from "./business-calendar";
import { CHINA_OFFICIAL_DAYS } from "./china-public-holidays";
import { OFFICE_DAY } from "./business-calendar";

/** The default calendar as the seed builds it: office week + the State Council's 2026 dates. */
function chinaCalendar(timeZone = "Asia/Shanghai"): BusinessCalendar {
  const overrides = new Map<string, readonly WorkPeriod[]>(CHINA_OFFICIAL_DAYS.map((d) => [d.date, d.working ? OFFICE_DAY : []]));
  return { timeZone, weekly: OFFICE_WEEK, overrides };
}
const cst = (local: string) => new Date(`${local}+08:00`);

describe("business-minute arithmetic on the Chinese office calendar", () => {
  const cal = chinaCalendar();

  it("a lunch break does not count: 11:30 + 60 min ends at 14:00", () => {
    expect(addBusinessMinutes(cal, cst("2026-12-07T11:30:00"), 60)).toEqual(cst("2026-12-07T14:00:00"));
    expect(elapsedBusinessMinutes(cal, cst("2026-12-07T11:30:00"), cst("2026-12-07T14:00:00"))).toBe(60);
  });

  it("a Friday evening before the 清明 holiday waits for Tuesday morning", () => {
    // Fri 2026-04-03 19:00, after hours; Sat–Mon 4-04..4-06 are days off.
    expect(addBusinessMinutes(cal, cst("2026-04-03T19:00:00"), 30)).toEqual(cst("2026-04-07T09:30:00"));
  });

  it("across a holiday: the 劳动节 days off count nothing", () => {
    // Thu 2026-04-30 17:00: one hour that day, then 5-01..5-05 off, then Wed 5-06.
    expect(addBusinessMinutes(cal, cst("2026-04-30T17:00:00"), 120)).toEqual(cst("2026-05-06T10:00:00"));
    expect(elapsedBusinessMinutes(cal, cst("2026-04-30T17:00:00"), cst("2026-05-06T10:00:00"))).toBe(120);
  });

  it("a 调休 Saturday is a working day: Fri 17:30 + 60 min ends on Sat 2026-05-09 09:30", () => {
    expect(addBusinessMinutes(cal, cst("2026-05-08T17:30:00"), 60)).toEqual(cst("2026-05-09T09:30:00"));
    expect(isBusinessTime(cal, cst("2026-05-09T10:00:00"))).toBe(true);
    // Positive control: an ordinary Saturday does not work.
    expect(isBusinessTime(cal, cst("2026-05-16T10:00:00"))).toBe(false);
  });

  it("a 调休 Sunday works too (2026-01-04 after 元旦)", () => {
    expect(addBusinessMinutes(cal, cst("2025-12-31T17:00:00"), 90)).toEqual(cst("2026-01-04T09:30:00"));
  });

  it("the calendar's zone decides its hours: the same instant in Asia/Tokyo is an hour further into the day", () => {
    const at = new Date("2026-12-07T00:30:00Z"); // 08:30 in Shanghai, 09:30 in Tokyo — both DST-free
    expect(addBusinessMinutes(cal, at, 60)).toEqual(new Date("2026-12-07T02:00:00Z"));
    const tokyo = { ...cal, timeZone: "Asia/Tokyo" };
    expect(addBusinessMinutes(tokyo, at, 60)).toEqual(new Date("2026-12-07T01:30:00Z"));
    expect(localDateOf("Asia/Tokyo", new Date("2026-12-06T15:30:00Z"))).toBe("2026-12-07");
    expect(localDateOf("Asia/Shanghai", new Date("2026-12-06T15:30:00Z"))).toBe("2026-12-06");
  });

  it("a zone with DST keeps the wall-clock hours across the change (America/New_York, 2026-03-08)", () => {
    const ny: BusinessCalendar = { timeZone: "America/New_York", weekly: OFFICE_WEEK, overrides: new Map() };
    // Fri 17:00 EST (-5) + 120 min → Mon 10:00 EDT (-4).
    expect(addBusinessMinutes(ny, new Date("2026-03-06T22:00:00Z"), 120)).toEqual(new Date("2026-03-09T14:00:00Z"));
  });

  it("elapsed minutes and added minutes are inverse over a week with a holiday and a lunch break", () => {
    const from = cst("2026-09-30T10:17:00");
    for (const minutes of [1, 59, 103, 450, 451, 2000]) {
      const due = addBusinessMinutes(cal, from, minutes);
      expect(elapsedBusinessMinutes(cal, from, due)).toBeCloseTo(minutes, 6);
    }
  });

  it("zero minutes are due at once; a reversed range has no elapsed time", () => {
    const at = cst("2026-04-04T03:00:00");
    expect(addBusinessMinutes(cal, at, 0)).toEqual(at);
    expect(elapsedBusinessMinutes(cal, cst("2026-04-07T10:00:00"), cst("2026-04-07T09:00:00"))).toBe(0);
  });

  it("a 7×24 calendar counts every minute, holidays included", () => {
    const always: BusinessCalendar = { timeZone: "Asia/Shanghai", weekly: ROUND_THE_CLOCK_WEEK, overrides: new Map() };
    expect(addBusinessMinutes(always, cst("2026-10-01T23:50:00"), 20)).toEqual(cst("2026-10-02T00:10:00"));
    expect(elapsedBusinessMinutes(always, cst("2026-10-01T00:00:00"), cst("2026-10-08T00:00:00"))).toBe(7 * 1440);
  });

  it("a calendar without working time is refused instead of looping", () => {
    const never: BusinessCalendar = { timeZone: "Asia/Shanghai", weekly: [[], [], [], [], [], [], []], overrides: new Map() };
    expect(() => addBusinessMinutes(never, cst("2026-01-05T09:00:00"), 1)).toThrow(/no working time/);
  });

  it("periods must lie inside the day, be non-empty and in order", () => {
    expect(periodsProblem(OFFICE_DAY)).toBeNull();
    expect(periodsProblem([{ start: 600, end: 500 }])).toBe("PERIOD_RANGE");
    expect(periodsProblem([{ start: 0, end: 1441 }])).toBe("PERIOD_RANGE");
    expect(periodsProblem([{ start: 800, end: 900 }, { start: 600, end: 700 }])).toBe("PERIOD_ORDER");
  });
});

describe("the shipped official days", () => {
  it("hold the 2026 notice: 33 days off and 6 调休 working days, each on a weekend", () => {
    expect(CHINA_OFFICIAL_DAYS.filter((d) => !d.working)).toHaveLength(33);
    const working = CHINA_OFFICIAL_DAYS.filter((d) => d.working);
    expect(working.map((d) => d.date)).toEqual(["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]);
    expect(working.every((d) => [0, 6].includes(new Date(`${d.date}T00:00:00Z`).getUTCDay()))).toBe(true);
    expect(new Set(CHINA_OFFICIAL_DAYS.map((d) => d.date)).size).toBe(CHINA_OFFICIAL_DAYS.length);
  });
});
