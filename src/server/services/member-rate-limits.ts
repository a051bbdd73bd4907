import { AppError } from "../errors.ts";
import { LIMITS, type RateLimits } from "../rate-limits.ts";

/**
 * Per-member limits on writing, so one account (or a script using its session) cannot flood the
 * queue. Generous for a person: nobody files ten real tickets in ten minutes. Counted in the
 * shared limiter (rate-limits.ts) before any work, so a refused attempt costs nothing and saves
 * nothing.
 */
export async function takeMemberAllowance(limits: RateLimits, kind: "newTicket" | "reply", memberId: number): Promise<void> {
  if ((await limits.take(kind, `member:${memberId}`)).ok) return;
  const { points, windowSeconds } = LIMITS[kind];
  throw new AppError("RATE_LIMITED", `portal.errors.${kind === "newTicket" ? "tooManyTickets" : "tooManyReplies"}`, {
    params: { limit: points, minutes: windowSeconds / 60 },
  });
}
