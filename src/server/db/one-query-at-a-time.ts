import type { PrismaPg } from "@prisma/adapter-pg";

type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;

/**
 * A transaction owns one pg connection, and pg runs one query at a time on a connection (it
 * queues the rest and warns; pg 9 will refuse). Prisma's query interpreter, though, sends the
 * relation queries of one `include` concurrently. This wraps the adapter so that inside a
 * transaction every statement waits for the one before it: the order Prisma asked for, one at a
 * time, on the connection that holds the transaction. Outside transactions the pool gives each
 * query its own connection and nothing changes.
 */
export function oneQueryAtATimeInTransactions(factory: PrismaPg): PrismaPg {
  return new Proxy(factory, {
    get(target, key, receiver) {
      if (key !== "connect") return Reflect.get(target, key, receiver);
      return async () => {
        const adapter = await target.connect();
        return new Proxy(adapter, {
          get(a, k, r) {
            if (k !== "startTransaction") return Reflect.get(a, k, r);
            return async (...args: Parameters<Adapter["startTransaction"]>) => serialize(await a.startTransaction(...args));
          },
        });
      };
    },
  });
}

const STATEMENTS = new Set<string | symbol>(["queryRaw", "executeRaw", "commit", "rollback", "createSavepoint", "rollbackToSavepoint", "releaseSavepoint"]);

function serialize(tx: Transaction): Transaction {
  let tail: Promise<unknown> = Promise.resolve();
  const inTurn = <R>(run: () => Promise<R>): Promise<R> => {
    const result = tail.then(run, run);
    tail = result.catch(() => undefined);
    return result;
  };
  return new Proxy(tx, {
    get(t, k, r) {
      const value = Reflect.get(t, k, r);
      if (typeof value !== "function") return value;
      if (STATEMENTS.has(k)) {
        return (...args: unknown[]) => inTurn(() => (value as (...a: unknown[]) => Promise<unknown>).apply(t, args));
      }
      return (value as (...a: unknown[]) => unknown).bind(t);
    },
  });
}
