"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { formatLocal } from "@/components/escalation/format";
import { useTRPC } from "@/trpc/react";

/** 发送记录: every request that left for an upstream, with its exact body — what left the building. */
export function SentRequests() {
  const t = useTranslations("escalation.sharing.sent");
  const trpc = useTRPC();
  const list = useInfiniteQuery(
    trpc.sharing.deliveries.infiniteQueryOptions({}, { initialCursor: null, getNextPageParam: (page) => page.nextBeforeId }),
  );
  const [open, setOpen] = useState<number | null>(null);
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card title={t("title")}>
      <p className="mb-2 text-sm text-slate-600">{t("intro")}</p>
      {rows.length === 0 && <p className="text-sm text-slate-600">{t("empty")}</p>}
      <ul className="divide-y divide-slate-100 text-sm" data-testid="sent-requests">
        {rows.map((d) => (
          <li key={d.id} className="py-2">
            <div className="flex flex-wrap items-center gap-2">
              <span className="font-mono text-xs">{d.method} {d.path}</span>
              <Badge tone={d.status !== null && d.status < 300 ? "green" : "amber"}>{d.status ?? t("noAnswer")}</Badge>
              {d.maskedMessageIds.length > 0 && <Badge tone="gray">{t("masked")}</Badge>}
              <Link className="text-brand-700 hover:underline" href={`/admin/tickets/${d.ticketId}`}>
                #{d.ticketId}
              </Link>
              <span className="text-slate-600">{formatLocal(d.createdAt)}</span>
              <span className="text-slate-600">{t("size", { bytes: d.bodySize })}</span>
              <Button variant="ghost" className="ml-auto" data-testid="sent-request-show" onClick={() => setOpen(open === d.id ? null : d.id)}>
                {open === d.id ? t("hide") : t("show")}
              </Button>
            </div>
            {open === d.id && <SentBody id={d.id} />}
          </li>
        ))}
      </ul>
      {list.hasNextPage && (
        <Button variant="secondary" className="mt-2" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {t("more")}
        </Button>
      )}
    </Card>
  );
}

function SentBody({ id }: { id: number }) {
  const trpc = useTRPC();
  const body = useQuery(trpc.sharing.deliveryBody.queryOptions({ id }));
  if (!body.data) return null;
  let shown = body.data.body;
  try {
    shown = JSON.stringify(JSON.parse(body.data.body), (k, v) => (k === "content" && typeof v === "string" && v.length > 120 ? `${v.slice(0, 120)}…` : v), 2);
  } catch {
    // not JSON: shown as sent
  }
  return (
    <div className="mt-2 space-y-1">
      <div className="font-mono text-xs text-slate-600">sha256 {body.data.sha256}</div>
      <pre data-testid="sent-request-body" className="max-h-80 overflow-auto rounded bg-slate-50 p-2 text-xs">{shown}</pre>
    </div>
  );
}
