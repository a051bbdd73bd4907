/** Dates are shown in the viewer's time zone (cookie `tz`, set by the browser), else China's. */
export const DEFAULT_TIME_ZONE = "Asia/Shanghai";

export function resolveTimeZone(value: string | undefined | null): string {
  if (!value) return DEFAULT_TIME_ZONE;
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return value;
  } catch {
    return DEFAULT_TIME_ZONE;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** "2021-06-30 13:33:38", the manual's format, in the given zone. */
export function formatDateTime(value: Date | string | null | undefined, timeZone: string): string {
  if (!value) return "-";
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("sv-SE", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, f);
  }
  return f.format(typeof value === "string" ? new Date(value) : value);
}
