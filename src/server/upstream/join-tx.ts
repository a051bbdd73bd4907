import type { Tx } from "../db/client.ts";

/**
 * runTicketCommand decides whether it was handed a caller's transaction with `"$transaction" in db`.
 * Prisma's interactive-transaction client answers true to that (its `$transaction` exists and only
 * throws when called), so the command would open a second transaction: P2028 on PGlite, and on
 * PostgreSQL a separate connection that is neither atomic with the caller nor free of deadlocks.
 * Until ticket-command.ts tells the two apart itself (reported to the lead), every call made inside
 * one of our transactions passes the client through this view, which answers that one question truthfully.
 */
export function joinTx(tx: Tx): Tx {
  return new Proxy(tx, { has: (target, key) => key !== "$transaction" && Reflect.has(target, key) });
}
