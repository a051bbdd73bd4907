"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError, Input } from "@/components/ui/field";
import { fieldError } from "@/components/trpc-errors";
import { useTRPC } from "@/trpc/react";
import { moved } from "../reorder";

type Group = { id: number; name: string; sortOrder: number; enabled: boolean; categoryCount: number };

const th = "px-3 py-2 text-left text-xs font-medium uppercase tracking-wide text-slate-500";
const td = "px-3 py-2 align-middle";

/** 所属分组: add, rename, reorder, enable/disable; delete only an empty group. */
export function GroupManager({ groups }: { groups: Group[] }) {
  const t = useTranslations("categories");
  const trpc = useTRPC();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ id: number; name: string } | null>(null);
  const refresh = { onSuccess: () => (setError(null), setEditing(null), router.refresh()), onError: (e: { message: string }) => setError(e.message) };
  const create = useMutation(trpc.categories.groups.create.mutationOptions({ onSuccess: () => router.refresh() }));
  const update = useMutation(trpc.categories.groups.update.mutationOptions(refresh));
  const reorder = useMutation(trpc.categories.groups.reorder.mutationOptions(refresh));
  const remove = useMutation(trpc.categories.groups.delete.mutationOptions(refresh));
  const busy = update.isPending || reorder.isPending || remove.isPending;
  const ids = groups.map((g) => g.id);
  const nextSortOrder = groups.reduce((max, g) => Math.max(max, g.sortOrder), 0) + 1;

  return (
    <div className="space-y-4">
      <Card title={t("groups.add")}>
        <form
          className="flex flex-wrap items-start gap-3"
          data-testid="group-create-form"
          onSubmit={(e) => {
            e.preventDefault();
            const form = e.currentTarget;
            const f = new FormData(form);
            const sort = String(f.get("sortOrder") ?? "").trim();
            create.mutate({ name: String(f.get("name") ?? ""), sortOrder: sort === "" ? nextSortOrder : Number(sort) }, { onSuccess: () => form.reset() });
          }}
        >
          <div className="min-w-56 flex-1">
            <Field label={t("groups.name")} required help={t("groups.help.name")} error={fieldError(create.error, "name")}>
              <Input name="name" maxLength={64} required />
            </Field>
          </div>
          <div className="w-28">
            <Field label={t("groups.sortOrder")} help={t("form.help.sortOrder")} error={fieldError(create.error, "sortOrder")}>
              <Input name="sortOrder" type="number" min={0} placeholder={String(nextSortOrder)} />
            </Field>
          </div>
          <Button type="submit" className="mt-6" disabled={create.isPending}>
            {t("groups.add")}
          </Button>
          <div className="basis-full">
            <FormError message={create.error && !create.error.data?.fieldErrors ? create.error.message : null} />
          </div>
        </form>
      </Card>

      <FormError message={error} />
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full divide-y divide-slate-100 text-sm" data-testid="group-table">
          <thead className="bg-slate-50">
            <tr>
              <th className={th}>{t("groups.sortOrder")}</th>
              <th className={th}>{t("groups.name")}</th>
              <th className={th}>{t("groups.categoryCount")}</th>
              <th className={th}>
                <span title={t("groups.help.status")}>{t("groups.status")}</span>
              </th>
              <th className={th}>{t("columns.actions")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {groups.length === 0 && (
              <tr>
                <td colSpan={5} className="px-3 py-8 text-center text-slate-500">
                  {t("groups.empty")}
                </td>
              </tr>
            )}
            {groups.map((g, i) => (
              <tr key={g.id} data-testid="group-row" className={g.enabled ? "" : "bg-slate-50 text-slate-400"}>
                <td className={td}>
                  <div className="flex items-center gap-1">
                    <span className="w-8 tabular-nums">{g.sortOrder}</span>
                    <Button variant="ghost" className="px-1" aria-label={t("actions.moveUp")} title={t("actions.moveUp")} disabled={busy || i === 0} onClick={() => reorder.mutate({ ids: moved(ids, i, -1) })}>
                      ↑
                    </Button>
                    <Button variant="ghost" className="px-1" aria-label={t("actions.moveDown")} title={t("actions.moveDown")} disabled={busy || i === ids.length - 1} onClick={() => reorder.mutate({ ids: moved(ids, i, 1) })}>
                      ↓
                    </Button>
                  </div>
                </td>
                <td className={td}>
                  {editing?.id === g.id ? (
                    <form
                      className="flex gap-2"
                      onSubmit={(e) => {
                        e.preventDefault();
                        update.mutate({ id: g.id, name: editing.name });
                      }}
                    >
                      <Input value={editing.name} onChange={(e) => setEditing({ id: g.id, name: e.target.value })} maxLength={64} autoFocus aria-label={t("groups.name")} />
                      <Button type="submit" disabled={busy}>
                        {t("groups.save")}
                      </Button>
                      <Button type="button" variant="secondary" onClick={() => setEditing(null)}>
                        {t("groups.cancel")}
                      </Button>
                    </form>
                  ) : (
                    <span className="font-medium text-slate-800">{g.name}</span>
                  )}
                </td>
                <td className={`${td} tabular-nums`}>{g.categoryCount}</td>
                <td className={td}>
                  <Badge tone={g.enabled ? "green" : "gray"}>{t(g.enabled ? "status.enabled" : "status.disabled")}</Badge>
                </td>
                <td className={td}>
                  <div className="flex flex-wrap gap-1">
                    <Button variant="ghost" disabled={busy} onClick={() => setEditing({ id: g.id, name: g.name })}>
                      {t("groups.rename")}
                    </Button>
                    <Button variant="ghost" disabled={busy} onClick={() => update.mutate({ id: g.id, enabled: !g.enabled })}>
                      {t(g.enabled ? "actions.disable" : "actions.enable")}
                    </Button>
                    <Button
                      variant="ghost"
                      className="text-rose-600 hover:bg-rose-50"
                      disabled={busy}
                      title={g.categoryCount > 0 ? t("groups.deleteBlocked") : undefined}
                      onClick={() => window.confirm(t("groups.confirmDelete", { name: g.name })) && remove.mutate({ id: g.id })}
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
    </div>
  );
}
