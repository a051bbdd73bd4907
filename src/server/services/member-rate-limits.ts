import { RateLimiter } from "../rate-limit.ts";
import { AppError } from "../errors.ts";

/**
 * Per-member limits on writing, so one account (or a script using its session) cannot flood the
 * queue. Generous for a person: nobody files ten real tickets in ten minutes.
 */
export const MEMBER_LIMITS = {
  tickets: { limit: 10, windowMinutes: 10 },
  replies: { limit: 30, windowMinutes: 10 },
} as const;

export const newTicketLimiter = new RateLimiter(MEMBER_LIMITS.tickets.limit, MEMBER_LIMITS.tickets.windowMinutes * 60_000);
export const replyLimiter = new RateLimiter(MEMBER_LIMITS.replies.limit, MEMBER_LIMITS.replies.windowMinutes * 60_000);

/** Counts the attempt before any work, so a refused one costs nothing and saves nothing. */
export function takeMemberAllowance(kind: keyof typeof MEMBER_LIMITS, memberId: number): void {
  const limiter = kind === "tickets" ? newTicketLimiter : replyLimiter;
  if (limiter.take(`member:${memberId}`)) return;
  const { limit, windowMinutes } = MEMBER_LIMITS[kind];
  throw new AppError("RATE_LIMITED", `portal.errors.${kind === "tickets" ? "tooManyTickets" : "tooManyReplies"}`, {
    params: { limit, minutes: windowMinutes },
  });
}
