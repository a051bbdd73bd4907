"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { formatDateTime } from "@/lib/datetime";
import { useTRPC } from "@/trpc/react";
import type { AppRouter } from "@/server/api/root";
import type { inferRouterOutputs } from "@trpc/server";
import { StatusBadge, type TicketStatus } from "../_components/status-badge";
import { Highlighted, SearchSnippet } from "@/components/search-highlight";

type Page = inferRouterOutputs<AppRouter>["portal"]["list"];
export type TicketListFilter = { status?: TicketStatus; search?: string };

/** The server renders the first page; "加载更多" fetches the next keyset page and appends it. */
export function TicketList({ filter, firstPage, timeZone, emptyText }: { filter: TicketListFilter; firstPage: Page; timeZone: string; emptyText: string }) {
  const t = useTranslations("portal.list");
  const trpc = useTRPC();
  const query = useInfiniteQuery(
    trpc.portal.list.infiniteQueryOptions(filter, {
      getNextPageParam: (page) => page.nextCursor,
      initialData: { pages: [firstPage], pageParams: [null] },
    }),
  );
  const rows = query.data?.pages.flatMap((p) => p.items) ?? firstPage.items;
  if (rows.length === 0) return <p className="py-10 text-center text-sm text-slate-500" data-testid="ticket-list-empty">{emptyText}</p>;

  return (
    <div>
      <table className="w-full text-sm" data-testid="ticket-list">
        <thead>
          <tr className="border-b border-slate-100 text-left text-xs text-slate-500">
            <th className="py-2 pr-3 font-medium">{t("number")}</th>
            <th className="py-2 pr-3 font-medium">{t("subject")}</th>
            <th className="py-2 pr-3 font-medium">{t("category")}</th>
            <th className="py-2 pr-3 font-medium">{t("status")}</th>
            <th className="py-2 font-medium">{t("updatedAt")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-testid="ticket-row" data-ticket-id={row.id} className="border-b border-slate-50 hover:bg-slate-50">
              <td className="py-2.5 pr-3 font-mono text-slate-500">{row.id}</td>
              <td className="py-2.5 pr-3">
                <Link href={`/tickets/${row.id}`} className="font-medium text-slate-800 hover:text-brand-600">
                  {row.search ? <Highlighted pieces={row.search.title} /> : row.title}
                </Link>
                {row.unread && (
                  <span data-testid="unread-marker" className="ml-2 inline-flex items-center gap-1 text-xs text-rose-600">
                    <span className="h-2 w-2 rounded-full bg-rose-500" aria-hidden />
                    {t("unread")}
                  </span>
                )}
                {row.search && <SearchSnippet pieces={row.search.snippet} />}
              </td>
              <td className="py-2.5 pr-3 text-slate-600">{row.categoryName}</td>
              <td className="py-2.5 pr-3">
                <StatusBadge status={row.status} />
              </td>
              <td className="py-2.5 whitespace-nowrap text-slate-500">{formatDateTime(row.updatedAt, timeZone)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {query.hasNextPage && (
        <div className="mt-4 text-center">
          <button
            type="button"
            data-testid="load-more"
            disabled={query.isFetchingNextPage}
            onClick={() => void query.fetchNextPage()}
            className="rounded-md border border-slate-300 px-4 py-1.5 text-sm text-slate-600 hover:bg-slate-50 disabled:opacity-50"
          >
            {query.isFetchingNextPage ? t("loading") : t("loadMore")}
          </button>
        </div>
      )}
    </div>
  );
}
