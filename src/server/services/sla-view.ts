// How a deadline is shown: the badge (即将超时 / 已超时), the time left (or over), the due time in
// the viewer's zone. One presenter for queue rows and the ticket page.
import { SLA_CLOCK_NAMES, badgeOf, minutesLeft, type Deadline, type SlaClockName } from "../domain/sla.ts";
import { clocksOf } from "./sla-clock.ts";
import { formatDateTime } from "@/lib/datetime";

export type SlaView = { badge: "OK" | "WARNING" | "BREACHED"; minutesLeft: number; dueAt: string; dueAtIso: string } | null;

export function presentSla(deadline: Pick<Deadline, "warnAt" | "dueAt"> | null, now: Date, timeZone: string): SlaView {
  const badge = badgeOf(deadline, now);
  if (!deadline || !badge) return null;
  return { badge, minutesLeft: minutesLeft(deadline, now)!, dueAt: formatDateTime(deadline.dueAt, timeZone), dueAtIso: deadline.dueAt.toISOString() };
}

/** The ticket page's SLA box: every running clock, whether ours is paused, the auto-close time. */
export function presentTicketSla(
  t: { slaClocks: unknown; autoCloseAt: Date | null; slaFirstResponseMet: boolean | null; slaResolutionMet: boolean | null },
  now: Date,
  timeZone: string,
) {
  const clocks = clocksOf(t.slaClocks);
  if (!clocks) return null;
  const running = SLA_CLOCK_NAMES.flatMap((clock: SlaClockName) => {
    const view = presentSla(clocks[clock], now, timeZone);
    return view ? [{ clock, upstream: clock.startsWith("upstream"), ...view }] : [];
  });
  return {
    clocks: running,
    /** 已回复: our resolution clock waits for the member. */
    paused: clocks.resolutionRunningSince === null && clocks.resolution === null && t.slaResolutionMet === null,
    firstResponseMet: t.slaFirstResponseMet,
    resolutionMet: t.slaResolutionMet,
    autoCloseAt: t.autoCloseAt ? formatDateTime(t.autoCloseAt, timeZone) : null,
  };
}
