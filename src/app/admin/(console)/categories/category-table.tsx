"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { useTRPC } from "@/trpc/react";
import type { AppRouter } from "@/server/api/root";
import type { inferRouterOutputs } from "@trpc/server";
import { moved } from "./reorder";
import { TypeBadge } from "./type-badge";

type Row = inferRouterOutputs<AppRouter>["categories"]["list"][number];

const th = "px-3 py-2 text-left text-xs font-medium uppercase tracking-wide text-slate-500";
const td = "px-3 py-2 align-middle";

export function CategoryTable({ categories }: { categories: Row[] }) {
  const t = useTranslations("categories");
  const trpc = useTRPC();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const options = { onSuccess: () => (setError(null), router.refresh()), onError: (e: { message: string }) => setError(e.message) };
  const reorder = useMutation(trpc.categories.reorder.mutationOptions(options));
  const setEnabled = useMutation(trpc.categories.setEnabled.mutationOptions(options));
  const remove = useMutation(trpc.categories.delete.mutationOptions(options));
  const busy = reorder.isPending || setEnabled.isPending || remove.isPending;
  const ids = categories.map((c) => c.id);

  if (categories.length === 0) return <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-500">{t("empty")}</p>;

  return (
    <div className="space-y-2">
      <FormError message={error} />
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full divide-y divide-slate-100 text-sm" data-testid="category-table">
          <thead className="bg-slate-50">
            <tr>
              {(["sortOrder", "name", "group", "type", "submitToApi", "icon", "status", "tickets", "actions"] as const).map((k) => (
                <th key={k} className={th}>
                  {t(`columns.${k}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {categories.map((c, i) => (
              <tr key={c.id} data-testid="category-row" className={c.enabled ? "" : "bg-slate-50 text-slate-400"}>
                <td className={td}>
                  <div className="flex items-center gap-1">
                    <span className="w-8 tabular-nums">{c.sortOrder}</span>
                    <Button variant="ghost" className="px-1" aria-label={t("actions.moveUp")} title={t("actions.moveUp")} disabled={busy || i === 0} onClick={() => reorder.mutate({ ids: moved(ids, i, -1) })}>
                      ↑
                    </Button>
                    <Button variant="ghost" className="px-1" aria-label={t("actions.moveDown")} title={t("actions.moveDown")} disabled={busy || i === ids.length - 1} onClick={() => reorder.mutate({ ids: moved(ids, i, 1) })}>
                      ↓
                    </Button>
                  </div>
                </td>
                <td className={td}>
                  <div className="font-medium text-slate-800" data-testid="category-name">
                    {c.name}
                    {c.isApi && <span className="ml-1 text-xs font-semibold text-brand-700">{` ${t("apiSuffix")}`}</span>}
                  </div>
                  <div className="max-w-xs truncate text-xs text-slate-400" title={c.description}>
                    {c.description}
                  </div>
                </td>
                <td className={td}>
                  {c.group.name}
                  {!c.group.enabled && (
                    <span className="ml-1">
                      <Badge tone="amber">{t("groupDisabled")}</Badge>
                    </span>
                  )}
                </td>
                <td className={td}>
                  <TypeBadge type={c.type} label={t(`types.${c.type}`)} />
                </td>
                <td className={td}>{c.submitToApi ? <Badge tone="violet">API</Badge> : <span className="text-slate-400">—</span>}</td>
                <td className={td}>
                  {c.iconUrl ? (
                    // Icons are tiny, content-addressed and cached as immutable: the optimizer would only add a hop.
                    // eslint-disable-next-line @next/next/no-img-element
                    <img src={c.iconUrl} alt="" width={56} height={28} className="h-7 w-14 rounded border border-slate-100 object-contain" />
                  ) : (
                    <span className="text-slate-400">—</span>
                  )}
                </td>
                <td className={td}>
                  <Badge tone={c.enabled ? "green" : "gray"} testId="category-status">
                    {t(c.enabled ? "status.enabled" : "status.disabled")}
                  </Badge>
                </td>
                <td className={`${td} tabular-nums`}>{c.ticketCount}</td>
                <td className={td}>
                  <div className="flex flex-wrap gap-1">
                    <Link href={`/admin/categories/${c.id}`} className="rounded-md px-2 py-1 text-sm text-brand-600 hover:bg-brand-50">
                      {t("actions.edit")}
                    </Link>
                    <Button
                      variant="ghost"
                      disabled={busy}
                      onClick={() => {
                        if (c.enabled && !window.confirm(t("actions.confirmDisable", { name: c.name }))) return;
                        setEnabled.mutate({ id: c.id, enabled: !c.enabled });
                      }}
                    >
                      {t(c.enabled ? "actions.disable" : "actions.enable")}
                    </Button>
                    <Button
                      variant="ghost"
                      className="text-rose-600 hover:bg-rose-50"
                      disabled={busy || c.ticketCount > 0}
                      title={c.ticketCount > 0 ? t("actions.deleteBlocked") : undefined}
                      onClick={() => window.confirm(t("actions.confirmDelete", { name: c.name })) && remove.mutate({ id: c.id })}
                    >
                      {t("actions.delete")}
                    </Button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="text-xs text-slate-400">{t("count", { count: categories.length })}</p>
    </div>
  );
}
