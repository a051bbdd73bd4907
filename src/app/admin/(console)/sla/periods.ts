/** "09:00-12:00,13:30-18:00" ⇄ [{start: 540, end: 720}, …]: how a person types a day's periods. */
export type Period = { start: number; end: number };

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

export function formatPeriods(periods: Period[]): string {
  return periods.map((p) => `${hhmm(p.start)}-${hhmm(p.end)}`).join(",");
}

/** null when the text is not a list of HH:MM-HH:MM (the server checks order and overlap). */
export function parsePeriods(text: string): Period[] | null {
  const parts = text.split(/[,，\s]+/).filter(Boolean);
  const out: Period[] = [];
  for (const part of parts) {
    const m = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/.exec(part);
    if (!m) return null;
    out.push({ start: Number(m[1]) * 60 + Number(m[2]), end: Number(m[3]) * 60 + Number(m[4]) });
  }
  return out;
}
