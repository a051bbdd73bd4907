import { describe, expect, it } from "vitest";
import { throttleDelaySeconds } from "./login-throttle";

const policy = { freeFailures: 5, baseDelaySeconds: 30, maxDelaySeconds: 3600 };

describe("login throttle: a growing delay instead of a lockout", () => {
  it("the first failures cost nothing", () => {
    for (let n = 0; n < 5; n++) expect(throttleDelaySeconds(n, policy)).toBe(0);
  });
  it("from the limit on, every further failure doubles the wait", () => {
    expect([5, 6, 7, 8].map((n) => throttleDelaySeconds(n, policy))).toEqual([30, 60, 120, 240]);
  });
  it("the wait never exceeds the cap, however many failures", () => {
    expect(throttleDelaySeconds(12, policy)).toBe(3600);
    expect(throttleDelaySeconds(1_000_000, policy)).toBe(3600);
  });
});
