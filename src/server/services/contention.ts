import { isAppError, isUniqueViolation, isWriteConflict } from "../errors.ts";
import { logger } from "../logger.ts";

/**
 * Several hands on one ticket at once is normal (two staff, a callback, a sync): the loser of a
 * unique key (the same message twice), of a deadlock or of the compare-and-set rolls back whole,
 * and a fresh attempt re-reads and finds the work done or still to do. Bounded, with jitter so
 * the retries do not collide again. A CONFLICT from a version the user named is theirs to
 * resolve (409), never retried: pass `staleVersionIsFinal`.
 */
export async function retryOnContention<T>(
  work: () => Promise<T>,
  opts: { attempts?: number; staleVersionIsFinal?: boolean } = {},
): Promise<T> {
  const attempts = opts.attempts ?? 6;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      if (!isContention(e, opts.staleVersionIsFinal ?? false) || attempt >= attempts) throw e;
      logger.debug({ attempt }, "contention on a ticket; retrying");
      await new Promise((resolve) => setTimeout(resolve, 5 * 2 ** attempt + Math.random() * 25));
    }
  }
}

export function isContention(e: unknown, staleVersionIsFinal = false): boolean {
  if (isUniqueViolation(e) || isWriteConflict(e)) return true;
  return !staleVersionIsFinal && isAppError(e) && e.code === "CONFLICT";
}
