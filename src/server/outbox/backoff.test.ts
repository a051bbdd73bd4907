import { describe, expect, it } from "vitest";
import { RETRY_POLICY, backoffDelayMs, nextAttemptAt, parseRetryAfterMs } from "./backoff";

describe("outbox backoff", () => {
  it("doubles from 30 s, is capped at an hour, and jitters within [0.5, 1] of the step", () => {
    expect(backoffDelayMs(1, () => 1)).toBe(30_000);
    expect(backoffDelayMs(2, () => 1)).toBe(60_000);
    expect(backoffDelayMs(1, () => 0)).toBe(15_000);
    expect(backoffDelayMs(8, () => 1)).toBe(3_600_000);
    expect(backoffDelayMs(11, () => 0)).toBe(1_800_000);
  });

  it("a shorter base (RELAYDESK_RETRY_BASE_MS) doubles from there", () => {
    expect(backoffDelayMs(1, () => 1, 1000)).toBe(1000);
    expect(backoffDelayMs(3, () => 1, 1000)).toBe(4000);
    const now = new Date("2025-11-28T08:00:00Z");
    expect(nextAttemptAt(1, now, undefined, () => 1, 1000)).toEqual(new Date(now.getTime() + 1000));
  });

  it("gives up after the last attempt, the last one 2.5–5 hours after the first", () => {
    const now = new Date(0);
    expect(nextAttemptAt(RETRY_POLICY.maxAttempts, now)).toBeNull();
    expect(nextAttemptAt(RETRY_POLICY.maxAttempts - 1, now)).not.toBeNull();
    const total = (random: () => number) =>
      Array.from({ length: RETRY_POLICY.maxAttempts - 1 }, (_, i) => backoffDelayMs(i + 1, random)).reduce((a, b) => a + b, 0);
    expect(total(() => 0) / 3_600_000).toBeGreaterThanOrEqual(2.5);
    // 5 h 3.5 min at the top: "roughly 2½–5 hours" in the protocol doc.
    expect(total(() => 1) / 3_600_000).toBeLessThan(5.1);
  });

  it("honours Retry-After (seconds or HTTP date) as a minimum, capped at an hour", () => {
    const now = new Date("2025-11-28T08:00:00Z");
    expect(parseRetryAfterMs("120", now)).toBe(120_000);
    expect(parseRetryAfterMs("Fri, 28 Nov 2025 08:01:00 GMT", now)).toBe(60_000);
    expect(parseRetryAfterMs("999999", now)).toBe(3_600_000);
    expect(parseRetryAfterMs("soon", now)).toBeUndefined();
    expect(nextAttemptAt(1, now, 300_000, () => 1)!.getTime() - now.getTime()).toBe(300_000);
  });
});
