/** The instant a calendar day ("2024-05-01") starts in a time zone: filters are typed in the viewer's zone. */
export function startOfZonedDay(day: string, timeZone: string): Date {
  const [y = 1970, m = 1, d = 1] = day.split("-").map(Number);
  const utcGuess = Date.UTC(y, m - 1, d);
  // The zone's offset at that moment, read back through Intl (DST-safe within a day's precision).
  const offset = zoneOffsetMs(new Date(utcGuess), timeZone);
  const first = utcGuess - offset;
  const again = zoneOffsetMs(new Date(first), timeZone);
  return new Date(utcGuess - again);
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** A zone's offset from UTC at an instant, in ms (Asia/Shanghai: +8 h). */
export function zoneOffsetMs(at: Date, timeZone: string): number {
  let f = offsetFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    offsetFormatters.set(timeZone, f);
  }
  const parts = f.formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

export function nextDay(day: string): string {
  const [y = 1970, m = 1, d = 1] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}
