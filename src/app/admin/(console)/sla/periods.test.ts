import { describe, expect, it } from "vitest";
import { formatPeriods, parsePeriods } from "./periods";

describe("working periods as typed on the SLA page", () => {
  it("reads a day with a lunch break and writes it back the same way", () => {
    const day = parsePeriods("09:00-12:00,13:30-18:00");
    expect(day).toEqual([{ start: 540, end: 720 }, { start: 810, end: 1080 }]);
    expect(formatPeriods(day!)).toBe("09:00-12:00,13:30-18:00");
  });

  it("takes full-width commas and spaces, an empty day is a day off, and anything else is refused", () => {
    expect(parsePeriods("9:00-12:00， 13:30-18:00")).toHaveLength(2);
    expect(parsePeriods("")).toEqual([]);
    expect(parsePeriods("9-12")).toBeNull();
    expect(parsePeriods("09:00~12:00")).toBeNull();
  });
});
