"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { formatLocal } from "@/components/escalation/format";
import { useTRPC } from "@/trpc/react";

/**
 * Polled until live updates exist: everything the bell shows comes from the one
 * `notifications.bell` query, so switching to push means invalidating just that query.
 */
/** A fallback only: the live stream invalidates the bell when a notification is written. */
export const BELL_POLL_MS = 30_000;
const PAGE = 10;

/** The 通知 bell of the console and the portal: unread badge, the newest notifications, read marks. */
export function NotificationBell({ settingsHref }: { settingsHref: string }) {
  const t = useTranslations("notifications.bell");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [limit, setLimit] = useState(PAGE);
  const box = useRef<HTMLDivElement>(null);
  const bell = useQuery({ ...trpc.notifications.bell.queryOptions({ limit }), refetchInterval: BELL_POLL_MS, placeholderData: (previous) => previous });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.notifications.bell.pathKey() });
  const markRead = useMutation(trpc.notifications.markRead.mutationOptions({ onSuccess: refresh }));
  const markAll = useMutation(trpc.notifications.markAllRead.mutationOptions({ onSuccess: refresh }));

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    return () => document.removeEventListener("mousedown", close);
  }, [open]);

  const unread = bell.data?.unread ?? 0;
  const badge = bell.data?.unreadCapped ? "99+" : String(unread);
  return (
    <div className="relative" ref={box}>
      <button
        type="button"
        data-testid="notification-bell"
        aria-label={t("open", { n: unread })}
        aria-expanded={open}
        onClick={() => setOpen((v) => !v)}
        className="relative rounded-md p-1.5 text-slate-600 hover:bg-slate-100"
      >
        <svg viewBox="0 0 24 24" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth="1.8" aria-hidden>
          <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        {unread > 0 && (
          <span data-testid="notification-unread" className="absolute -right-1 -top-1 min-w-[1.1rem] rounded-full bg-rose-600 px-1 text-center text-[10px] font-semibold leading-4 text-white">
            {badge}
          </span>
        )}
      </button>
      {open && (
        <div data-testid="notification-panel" className="absolute right-0 z-30 mt-2 w-96 max-w-[90vw] rounded-lg border border-slate-200 bg-white text-left shadow-lg">
          <div className="flex items-center justify-between border-b border-slate-100 px-3 py-2 text-sm">
            <span className="font-medium text-slate-800">{t("title")}</span>
            <span className="flex items-center gap-3">
              <button type="button" data-testid="notification-mark-all" className="text-brand-600 hover:underline disabled:text-slate-400" disabled={unread === 0 || markAll.isPending} onClick={() => markAll.mutate()}>
                {t("markAllRead")}
              </button>
              <Link href={settingsHref} className="text-slate-500 hover:underline" onClick={() => setOpen(false)}>
                ⚙
              </Link>
            </span>
          </div>
          <ul className="max-h-[60vh] divide-y divide-slate-100 overflow-y-auto">
            {bell.data?.items.length === 0 && <li className="px-3 py-6 text-center text-sm text-slate-500">{t("empty")}</li>}
            {bell.data?.items.map((n) => (
              <li key={n.id} data-testid="notification-item" data-read={n.read ? "yes" : "no"} className={n.read ? "bg-white" : "bg-brand-50/40"}>
                <Link
                  href={n.href}
                  className="block px-3 py-2 hover:bg-slate-50"
                  onClick={() => {
                    if (!n.read) markRead.mutate({ ids: [n.id] });
                    setOpen(false);
                  }}
                >
                  <span className="flex items-start gap-2">
                    {!n.read && <span className="mt-1.5 h-2 w-2 shrink-0 rounded-full bg-brand-600" aria-label={t("unread")} />}
                    <span className="min-w-0 flex-1">
                      <span className="block text-sm font-medium text-slate-800" data-testid="notification-headline">{n.headline}</span>
                      <span className="block truncate text-xs text-slate-500">{n.ticketTitle}</span>
                      {n.excerpt && <span className="mt-0.5 block line-clamp-2 text-xs text-slate-600" data-testid="notification-excerpt">{n.excerpt}</span>}
                      <span className="block text-[11px] text-slate-400">{formatLocal(n.createdAt)}</span>
                    </span>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
          {bell.data?.nextBefore && limit < 50 && (
            <button type="button" className="w-full border-t border-slate-100 py-2 text-sm text-brand-600 hover:bg-slate-50" onClick={() => setLimit((l) => Math.min(50, l + PAGE))}>
              {t("loadMore")}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
