/**
 * How long a sign-in waits after repeated wrong passwords: nothing for the first few, then a
 * delay that doubles with every further failure, up to a cap. Slows guessing to a crawl without
 * ever locking an account outright (the limiter applies it per account + address, per account
 * for unknown addresses, and per address). Pure.
 */
export type ThrottlePolicy = { freeFailures: number; baseDelaySeconds: number; maxDelaySeconds: number };

export function throttleDelaySeconds(failures: number, p: ThrottlePolicy): number {
  if (failures < p.freeFailures) return 0;
  const doublings = Math.min(failures - p.freeFailures, 30);
  return Math.min(p.baseDelaySeconds * 2 ** doublings, p.maxDelaySeconds);
}
