"use client";

import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { useQueryClient, type QueryFilters } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useTRPC } from "@/trpc/react";
import type { AppRouter } from "@/server/api/root";
import type { inferRouterOutputs } from "@trpc/server";

type StreamItem = inferRouterOutputs<AppRouter>["live"]["events"] extends AsyncIterable<infer T> ? T : never;
type LiveEvent = Exclude<StreamItem, { id: string; data: unknown }> | Extract<StreamItem, { id: string; data: unknown }>["data"];

/** How long a changed row stays marked. */
const CHANGED_MS = 2_500;
/** Events arriving together are turned into one round of re-reads. */
const BATCH_MS = 120;

type LiveState = { connected: boolean; changed: ReadonlySet<number> };
const LiveContext = createContext<LiveState>({ connected: false, changed: new Set() });

/** Whether the live stream is open, and which tickets changed a moment ago (for a brief marker). */
export const useLive = () => useContext(LiveContext);

const eventOf = (item: StreamItem): LiveEvent => ("data" in item && "id" in item ? item.data : item) as LiveEvent;

/**
 * The one refresh model: the live stream says what changed (ids and kinds), and this turns it
 * into react-query invalidations of the queries showing it. Active queries re-read in the
 * background and keep showing their data meanwhile (no flicker; inputs and focus untouched).
 */
type Trpc = ReturnType<typeof useTRPC>;

/** The queries an event makes stale, per area. */
function filtersFor(trpc: Trpc, area: "console" | "portal", e: LiveEvent): QueryFilters[] {
  if (e.kind === "ready") return [];
  if (e.kind === "resync") return [{}];
  if (area === "portal") return e.kind === "ticket" ? [trpc.portal.pathFilter(), trpc.notifications.bell.pathFilter()] : [];
  switch (e.kind) {
    case "ticket":
      return [
        trpc.console.pathFilter(), // queue rows, counts, the ticket page, 首页 figures
        trpc.escalation.pathFilter(),
        trpc.partnerTickets.pathFilter(),
        trpc.deliveries.pathFilter(),
        trpc.notifications.bell.pathFilter(),
      ];
    case "link":
      return [trpc.console.pathFilter(), trpc.escalation.pathFilter()];
    case "delivery":
      return [trpc.deliveries.pathFilter(), trpc.partners.deliveries.pathFilter(), trpc.escalation.pathFilter()];
    case "presence":
      return [trpc.presence.pathFilter()];
  }
}

/** Collects events for BATCH_MS, then invalidates each stale query once and marks the tickets. */
function createBatcher(invalidate: (f: QueryFilters) => void, mark: (tickets: number[]) => void) {
  const filters = new Map<string, QueryFilters>();
  const tickets = new Set<number>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    timer = null;
    const fs = [...filters.values()];
    const ts = [...tickets];
    filters.clear();
    tickets.clear();
    fs.forEach(invalidate);
    if (ts.length) mark(ts);
  };
  return {
    add(fs: QueryFilters[], ticketId: number | null) {
      for (const f of fs) filters.set(JSON.stringify(f.queryKey ?? "*"), f);
      if (ticketId !== null) tickets.add(ticketId);
      if (filters.size && !timer) timer = setTimeout(flush, BATCH_MS);
    },
    stop: () => void (timer && clearTimeout(timer)),
  };
}

/**
 * The one refresh model: the live stream says what changed (ids and kinds), and this turns it
 * into react-query invalidations of the queries showing it. Active queries re-read in the
 * background and keep showing their data meanwhile (no flicker; inputs and focus untouched).
 */
export function LiveProvider({ area, children }: { area: "console" | "portal"; children: ReactNode }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [changed, setChanged] = useState<ReadonlySet<number>>(new Set());
  const [batcher] = useState(() =>
    createBatcher(
      (f) => void queryClient.invalidateQueries(f),
      (tickets) => {
        setChanged((prev) => new Set([...prev, ...tickets]));
        setTimeout(() => setChanged((prev) => new Set([...prev].filter((id) => !tickets.includes(id)))), CHANGED_MS);
      },
    ),
  );
  useEffect(() => batcher.stop, [batcher]);

  const onData = useCallback(
    (item: StreamItem) => {
      const e = eventOf(item);
      batcher.add(filtersFor(trpc, area, e), e.kind === "ticket" ? e.ticketId : null);
    },
    [batcher, trpc, area],
  );
  const sub = useSubscription(trpc.live.events.subscriptionOptions({}, { onData }));
  const connected = sub.status === "pending";

  return (
    <LiveContext.Provider value={{ connected, changed }}>
      {children}
      <span hidden data-testid="live-status" data-live={connected ? "on" : "off"} />
    </LiveContext.Provider>
  );
}
