import pg from "pg";
import type { PGlite } from "@electric-sql/pglite";
import { logger, safeError } from "../logger.ts";

/** The channel the database's triggers publish on (migration `live_events`, docs/LIVE.md). */
const LIVE_CHANNEL = "relaydesk_live";

/**
 * What a trigger announced after a commit: ids and kinds only. `resync` means notifications may
 * have been missed (the listening connection dropped): listeners re-read everything.
 */
export type LiveSignal =
  | { kind: "event"; ticketId: number; eventId: number }
  | { kind: "link" | "presence"; ticketId: number }
  | { kind: "delivery"; ticketId: number | null }
  | { kind: "resync" };

/** Committed changes, as the database announces them; one listening connection per process. */
export type LiveBus = {
  subscribe(listener: (signal: LiveSignal) => void): () => void;
  close(): Promise<void>;
};

const id = (v: unknown) => (typeof v === "number" && Number.isInteger(v) && v > 0 ? v : null);

function parseLiveSignal(payload: string): LiveSignal | null {
  let raw: { k?: unknown; t?: unknown; e?: unknown };
  try {
    raw = JSON.parse(payload) as typeof raw;
  } catch {
    return null;
  }
  const ticketId = id(raw.t);
  switch (raw.k) {
    case "event": {
      const eventId = id(raw.e);
      return ticketId && eventId ? { kind: "event", ticketId, eventId } : null;
    }
    case "link":
    case "presence":
      return ticketId ? { kind: raw.k, ticketId } : null;
    case "delivery":
      return { kind: "delivery", ticketId };
    default:
      return null;
  }
}

function fanOut() {
  const listeners = new Set<(signal: LiveSignal) => void>();
  return {
    listeners,
    emit(signal: LiveSignal) {
      for (const listener of listeners) {
        try {
          listener(signal);
        } catch (e) {
          logger.error({ err: safeError(e) }, "live listener failed");
        }
      }
    },
    subscribe(listener: (signal: LiveSignal) => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

/** PGlite: one process owns the database, so its own listen() sees every commit. */
export async function pgliteLiveBus(pglite: PGlite): Promise<LiveBus> {
  const hub = fanOut();
  const unlisten = await pglite.listen(LIVE_CHANNEL, (payload) => {
    const signal = parseLiveSignal(payload);
    if (signal) hub.emit(signal);
  });
  return {
    subscribe: hub.subscribe,
    close: async () => {
      hub.listeners.clear();
      await unlisten().catch(() => {});
    },
  };
}

/**
 * PostgreSQL: one dedicated connection per process runs LISTEN (outside the pool: a pooled
 * connection would be handed to queries and lose the subscription). When it drops, it reconnects
 * with backoff and announces `resync`, since whatever committed in between was not heard.
 */
export async function postgresLiveBus(url: string, opts: { retryMs?: number } = {}): Promise<LiveBus> {
  const hub = fanOut();
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;
  const retryMs = opts.retryMs ?? 1_000;

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url, application_name: "relaydesk-live" });
    c.on("notification", (n) => {
      const signal = n.channel === LIVE_CHANNEL && n.payload ? parseLiveSignal(n.payload) : null;
      if (signal) hub.emit(signal);
    });
    c.on("error", (e) => {
      logger.warn({ err: safeError(e) }, "live channel connection lost; reconnecting");
      void c.end().catch(() => {});
      if (client === c) client = null;
      schedule();
    });
    await c.connect();
    await c.query(`LISTEN ${LIVE_CHANNEL}`);
    if (closed) {
      await c.end();
      return;
    }
    client = c;
  };
  const schedule = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = null;
      connect().then(
        () => hub.emit({ kind: "resync" }),
        (e: unknown) => {
          logger.warn({ err: safeError(e) }, "live channel reconnect failed");
          schedule();
        },
      );
    }, retryMs);
    retry.unref();
  };

  await connect();
  return {
    subscribe: hub.subscribe,
    close: async () => {
      closed = true;
      if (retry) clearTimeout(retry);
      hub.listeners.clear();
      await client?.end().catch(() => {});
      client = null;
    },
  };
}

/** A bus that never speaks (callers in tests that do not listen). */
export const silentLiveBus: LiveBus = { subscribe: () => () => {}, close: async () => {} };
