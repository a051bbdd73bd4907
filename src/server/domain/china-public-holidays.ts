/**
 * The official 2026 holiday arrangement of the State Council (国务院办公厅关于2026年部分节假日安排的通知),
 * as date overrides of the default business calendar: days off (放假) and 调休 working days (上班,
 * weekends that work). Checked against the `chinese-days` package 1.5.7, which holds the same
 * 33 days off and 6 working days. Later years are entered in the console (工作日历) when the notice
 * is published; the seed adds only what is listed here.
 */
export type OfficialDay = { date: string; working: boolean; note: string };

const off = (note: string, ...dates: string[]): OfficialDay[] => dates.map((date) => ({ date, working: false, note }));
const on = (note: string, ...dates: string[]): OfficialDay[] => dates.map((date) => ({ date, working: true, note }));
const range = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) out.push(d.toISOString().slice(0, 10));
  return out;
};

export const CHINA_OFFICIAL_DAYS: readonly OfficialDay[] = [
  ...off("元旦", ...range("2026-01-01", "2026-01-03")),
  ...on("元旦调休上班", "2026-01-04"),
  ...off("春节", ...range("2026-02-15", "2026-02-23")),
  ...on("春节调休上班", "2026-02-14", "2026-02-28"),
  ...off("清明节", ...range("2026-04-04", "2026-04-06")),
  ...off("劳动节", ...range("2026-05-01", "2026-05-05")),
  ...on("劳动节调休上班", "2026-05-09"),
  ...off("端午节", ...range("2026-06-19", "2026-06-21")),
  ...off("中秋节", ...range("2026-09-25", "2026-09-27")),
  ...off("国庆节", ...range("2026-10-01", "2026-10-07")),
  ...on("国庆节调休上班", "2026-09-20", "2026-10-10"),
];
