import { isAppError, isUniqueViolation } from "../errors.ts";

/**
 * A callback, a sync and a staff click may touch one ticket at the same moment: the loser of the
 * compare-and-set (CONFLICT) or of a unique key (the same message twice) rolls back whole, and a
 * fresh attempt re-reads and finds the work done or still to do.
 */
export async function retryOnContention<T>(work: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      const contention = (isAppError(e) && e.code === "CONFLICT") || isUniqueViolation(e);
      if (!contention || attempt >= attempts) throw e;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 20));
    }
  }
}
