"use client";

import { useEffect, useMemo, useState } from "react";
import { useTranslations } from "next-intl";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { countFilterOf, queueHref, type QueueState } from "@/components/console/queue-params";
import type { QueueCounts, QueueOptions, QueuePage } from "@/components/console/types";
import { QueueFilters } from "./queue-filters";
import { QueueTable } from "./queue-table";
import { BulkBar } from "./bulk-bar";
import { useLive } from "@/components/live/live-provider";
import { PRESENCE_BEAT_MS } from "@/lib/live";

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function QueueView({ state: start, initial, options, viewerId }: {
  state: QueueState;
  initial: { page: QueuePage; counts: QueueCounts };
  options: QueueOptions;
  viewerId: number;
}) {
  const t = useTranslations("console.queue");
  const trpc = useTRPC();
  const [state, setState] = useState(start);
  const [selected, setSelected] = useState<Set<number>>(new Set());

  // The URL mirrors the filters (shareable, reload-safe) without a server round trip.
  useEffect(() => {
    window.history.replaceState(null, "", queueHref(state));
  }, [state]);

  const input = { ...state.filter, sort: state.sort };
  const isStart = sameJson(state, start);
  const list = useInfiniteQuery(
    trpc.console.queue.infiniteQueryOptions(input, {
      getNextPageParam: (last) => last.nextCursor,
      initialData: isStart ? { pages: [initial.page], pageParams: [null] } : undefined,
    }),
  );
  const countInput = countFilterOf(state.filter);
  const counts = useQuery(
    trpc.console.counts.queryOptions(countInput, {
      initialData: sameJson(countInput, countFilterOf(start.filter)) ? initial.counts : undefined,
      placeholderData: (prev) => prev,
    }),
  );
  // Who else is on which ticket: re-read on presence events, and each beat for expiries.
  const presence = useQuery(trpc.presence.queue.queryOptions(undefined, { refetchInterval: PRESENCE_BEAT_MS, placeholderData: (prev) => prev }));
  const { changed } = useLive();
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);

  const change = (next: Partial<QueueState["filter"]>, sort = state.sort) => {
    setSelected(new Set());
    setState({ filter: { ...state.filter, ...next }, sort });
  };

  return (
    <div className="space-y-3">
      <div className="flex items-baseline justify-between">
        <h1>{t("title")}</h1>
        <span className="text-xs text-slate-400">{t("breadcrumb")}</span>
      </div>
      <QueueFilters state={state} counts={counts.data} options={options} onChange={change} onReset={() => change({ status: "PENDING", categoryId: undefined, groupId: undefined, assignee: "any", escalation: undefined, memberId: undefined, createdFrom: undefined, createdTo: undefined, q: undefined, sla: undefined }, "updated")} />
      {selected.size > 0 && (
        <BulkBar
          items={items.filter((i) => selected.has(i.id))}
          staff={options.staff}
          viewerId={viewerId}
          onClear={() => setSelected(new Set())}
          onDone={() => {
            void list.refetch();
            void counts.refetch();
          }}
        />
      )}
      <QueueTable
        items={items}
        sort={state.sort}
        // Only a change of filters dims the table; a live re-read keeps it as it is until the new rows arrive.
        loading={list.isFetching && !list.isFetchingNextPage && !list.isRefetching}
        selected={selected}
        presence={presence.data ?? {}}
        changed={changed}
        onToggle={(id) => {
          const next = new Set(selected);
          if (next.has(id)) next.delete(id);
          else next.add(id);
          setSelected(next);
        }}
        onToggleAll={(on) => setSelected(on ? new Set(items.map((i) => i.id)) : new Set())}
      />
      {list.hasNextPage && (
        <div className="flex justify-center">
          <button type="button" className="rounded-md border border-slate-300 bg-white px-4 py-1.5 text-sm hover:bg-slate-50" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} data-testid="queue-more">
            {list.isFetchingNextPage ? t("loading") : t("loadMore")}
          </button>
        </div>
      )}
      <p className="text-xs text-slate-400">{t("keyboard")}</p>
    </div>
  );
}
