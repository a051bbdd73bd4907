"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { Card } from "@/components/ui/card";
import { STATUSES } from "@/components/console/types";
import { useTRPC } from "@/trpc/react";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

type Home = inferRouterOutputs<AppRouter>["console"]["home"];

/** 首页 figures, kept current by the live stream's invalidations. */
export function HomeView({ initial, viewerName }: { initial: Home; viewerName: string }) {
  const t = useTranslations("console.home");
  const ts = useTranslations("tickets");
  const trpc = useTRPC();
  const { data: home = initial } = useQuery(trpc.console.home.queryOptions(undefined, { initialData: initial }));
  const viewer = { name: viewerName };
  return (
    <div className="space-y-4">
      <h1 data-testid="console-home">{t("title")}</h1>
      <Card title={t("countsTitle")} actions={<Link className="text-sm text-brand-600 hover:underline" href="/admin/tickets">{t("toQueue")}</Link>}>
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-5">
          {STATUSES.map((s) => (
            <Link key={s} href={`/admin/tickets?status=${s}`} className="rounded-md border border-slate-200 px-3 py-2 hover:border-brand-500" data-testid={`home-count-${s}`}>
              <div className="text-xs text-slate-500">{ts(`status.${s}`)}</div>
              <div className="text-2xl font-semibold tabular-nums text-slate-900">{home.counts[s]}</div>
              <div className="text-xs text-slate-400">{viewer.name}: {home.mineCounts[s]}</div>
            </Link>
          ))}
        </div>
      </Card>
      <Card title={t("mineTitle")}>
        {home.myOpen.length === 0 ? (
          <p className="text-sm text-slate-500">{t("mineEmpty")}</p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm" data-testid="home-mine">
            {home.myOpen.map((i) => (
              <li key={i.id} className="flex items-center gap-3 py-1.5">
                <span className="w-14 font-mono text-xs text-slate-500">#{i.id}</span>
                <Link href={`/admin/tickets/${i.id}`} className="flex-1 truncate hover:text-brand-600">{i.title}</Link>
                <span className="text-xs text-slate-500">{ts(`status.${i.status}`)}</span>
                <span className="w-36 text-right font-mono text-xs text-slate-400">{i.updatedAt}</span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
