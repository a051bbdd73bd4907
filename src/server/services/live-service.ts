import type { Db } from "../db/client.ts";
import type { LiveBus, LiveSignal } from "../db/live-bus.ts";
import { findLatestEventId, findLiveEvent, findLiveEventsAfter, type LiveEventRow } from "../db/repos/live.ts";
import { memberMayHearOf } from "../domain/live-audience.ts";
import { AppError } from "../errors.ts";
import { logger, safeError } from "../logger.ts";
import type { Viewer } from "../viewer.ts";

/**
 * What a live stream carries: ids and kinds, never content. The browser turns each into "these
 * queries are stale" and re-reads them through the ordinary, authorized procedures.
 * - `ticket`: an audit row was written for the ticket (a reply, a move, a filing …);
 * - `link`, `delivery`, `presence`: staff-only signals (转移 state, 同步与投递, who is on a page);
 * - `ready`: the stream is open (its id is where a reconnect resumes); `resync`: re-read everything.
 */
export type LiveEvent =
  | { kind: "ticket"; ticketId: number; eventId: number }
  | { kind: "link" | "presence"; ticketId: number }
  | { kind: "delivery"; ticketId: number | null }
  | { kind: "ready" }
  | { kind: "resync" };

/** One item of a stream; `id` (an audit row id) is what a reconnect names to resume after. */
export type LiveItem = { id?: string; event: LiveEvent };

type Listener = { viewer: Exclude<Viewer, { kind: "anonymous" }>; push(item: LiveItem): void };

export type LiveHubOptions = {
  /** Open streams one account may hold (tabs, devices); one more is refused. */
  maxPerAccount?: number;
  /** Items a slow stream may have waiting; past it they are dropped for one `resync`. */
  queueLimit?: number;
  /** Missed audit rows a reconnect replays one by one; more and it gets `resync` instead. */
  replayLimit?: number;
};

export type LiveHub = {
  /** The viewer's stream, resuming after `lastEventId`; ends when `signal` aborts. */
  stream(viewer: Viewer, opts: { lastEventId?: number | null; signal?: AbortSignal }): AsyncGenerator<LiveItem>;
  /** Open streams in this process (the leak check, the bench). */
  openStreams(): number;
  close(): Promise<void>;
};

const accountOf = (v: Listener["viewer"]) => (v.kind === "staff" ? `staff:${v.staffId}` : `member:${v.memberId}`);

/** Whether this viewer hears of an audit row: staff of every one, a member of its own visible ones. */
function hears(viewer: Listener["viewer"], row: LiveEventRow): boolean {
  if (viewer.kind === "staff") return true;
  return row.ticket.memberId === viewer.memberId && memberMayHearOf(row);
}

const ticketItem = (row: LiveEventRow): LiveItem => ({ id: String(row.id), event: { kind: "ticket", ticketId: row.ticketId, eventId: row.id } });

/**
 * The process's fan-out: one bus subscription, each notification resolved once (one read of the
 * audit row, in commit order) and handed to the streams that may hear of it.
 */
export function createLiveHub(db: Db, bus: LiveBus, opts: LiveHubOptions = {}): LiveHub {
  const maxPerAccount = opts.maxPerAccount ?? 6;
  const queueLimit = opts.queueLimit ?? 500;
  const replayLimit = opts.replayLimit ?? 200;
  const listeners = new Set<Listener>();
  const perAccount = new Map<string, number>();
  let chain: Promise<void> = Promise.resolve();

  const deliver = async (signal: LiveSignal) => {
    if (listeners.size === 0) return;
    if (signal.kind === "event") {
      const row = await findLiveEvent(db, signal.eventId);
      if (!row) return;
      for (const l of listeners) if (hears(l.viewer, row)) l.push(ticketItem(row));
      return;
    }
    const item: LiveItem = { event: signal };
    for (const l of listeners) if (signal.kind === "resync" || l.viewer.kind === "staff") l.push(item);
  };
  const unsubscribe = bus.subscribe((signal) => {
    chain = chain.then(() => deliver(signal)).catch((e: unknown) => logger.error({ err: safeError(e) }, "live event could not be resolved"));
  });

  async function* stream(viewer: Viewer, { lastEventId, signal }: { lastEventId?: number | null; signal?: AbortSignal }): AsyncGenerator<LiveItem> {
    if (viewer.kind === "anonymous") throw new AppError("UNAUTHORIZED", "errors.unauthorized");
    const account = accountOf(viewer);
    const open = perAccount.get(account) ?? 0;
    if (open >= maxPerAccount) throw new AppError("RATE_LIMITED", "errors.liveTooManyStreams", { params: { max: maxPerAccount } });
    perAccount.set(account, open + 1);

    const queue: LiveItem[] = [];
    let wake: (() => void) | null = null;
    const listener: Listener = {
      viewer,
      push(item) {
        if (queue.length >= queueLimit) queue.splice(0, queue.length, { event: { kind: "resync" } });
        else queue.push(item);
        wake?.();
      },
    };
    const onAbort = () => wake?.();
    // Listen before replaying, so nothing committed during the replay falls between the two.
    listeners.add(listener);
    signal?.addEventListener("abort", onAbort);
    try {
      let last: number;
      if (lastEventId == null) {
        last = await findLatestEventId(db);
        yield { id: String(last), event: { kind: "ready" } };
      } else {
        last = lastEventId;
        const missed = await findLiveEventsAfter(db, last, viewer.kind === "member" ? { memberId: viewer.memberId } : {}, replayLimit + 1);
        if (missed.length > replayLimit) {
          last = await findLatestEventId(db);
          yield { id: String(last), event: { kind: "resync" } };
        } else {
          for (const row of missed) {
            last = row.id;
            if (hears(viewer, row)) yield ticketItem(row);
          }
        }
      }
      while (!signal?.aborted) {
        const item = queue.shift();
        if (!item) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
          continue;
        }
        if (item.id !== undefined && Number(item.id) <= last) continue; // already replayed
        if (item.id !== undefined) last = Number(item.id);
        yield item;
      }
    } finally {
      listeners.delete(listener);
      signal?.removeEventListener("abort", onAbort);
      const left = (perAccount.get(account) ?? 1) - 1;
      if (left > 0) perAccount.set(account, left);
      else perAccount.delete(account);
    }
  }

  return {
    stream,
    openStreams: () => listeners.size,
    close: async () => {
      unsubscribe();
      await chain;
    },
  };
}
