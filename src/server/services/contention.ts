import { isAppError, isTransactionTimeout, isUniqueViolation, isWriteConflict } from "../errors.ts";
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
  if (isUniqueViolation(e) || isWriteConflict(e) || isTransactionTimeout(e)) return true;
  return !staleVersionIsFinal && isAppError(e) && e.code === "CONFLICT";
}

/**
 * Commands on one ticket in this process take turns before they open a transaction, so a burst on
 * one busy ticket waits here instead of holding every pooled connection while it queues on the row
 * lock (which starved the pool: "unable to start a transaction in the given time"). The row lock
 * is the guarantee — across processes, and should a bundle hold a second copy of this queue; the
 * turn only keeps the waiting out of the database. One queue per process (globalThis).
 */
const turns = ((globalThis as { __relaydeskTicketTurns?: Map<number, Promise<unknown>> }).__relaydeskTicketTurns ??= new Map());

export function inTicketTurn<T>(ticketId: number, work: () => Promise<T>): Promise<T> {
  const previous = turns.get(ticketId) ?? Promise.resolve();
  const run = previous.then(work, work);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  turns.set(ticketId, settled);
  void settled.then(() => {
    if (turns.get(ticketId) === settled) turns.delete(ticketId);
  });
  return run;
}
