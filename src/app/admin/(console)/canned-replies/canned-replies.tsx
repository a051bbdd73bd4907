"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError, Input, Textarea } from "@/components/ui/field";
import { ConfirmButton } from "@/components/console/confirm-button";
import { fieldError } from "@/components/trpc-errors";
import type { RouterOutputs } from "@/components/console/types";

type Reply = RouterOutputs["cannedReplies"]["list"][number];

/** 预设回复: the team's library; the author (or the super admin) edits and deletes. */
export function CannedReplies({ initial, viewer }: { initial: Reply[]; viewer: { id: number; superAdmin: boolean } }) {
  const t = useTranslations("console.canned");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.cannedReplies.list.queryOptions(undefined, { initialData: initial }));
  const [editing, setEditing] = useState<Reply | null>(null);
  const refresh = () => queryClient.invalidateQueries(trpc.cannedReplies.list.queryFilter());
  const create = useMutation(trpc.cannedReplies.create.mutationOptions({ onSuccess: () => void refresh() }));
  const update = useMutation(trpc.cannedReplies.update.mutationOptions({ onSuccess: () => { setEditing(null); void refresh(); } }));
  const remove = useMutation(trpc.cannedReplies.delete.mutationOptions({ onSuccess: () => void refresh() }));
  const save = editing ? update : create;

  return (
    <div className="grid gap-4 lg:grid-cols-[1fr_24rem]">
      <Card title={t("title")}>
        <FormError message={remove.error?.message} />
        {list.data.length === 0 ? (
          <p className="text-sm text-slate-500">{t("empty")}</p>
        ) : (
          <ul className="divide-y divide-slate-100" data-testid="canned-list">
            {list.data.map((r) => (
              <li key={r.id} className="flex gap-3 py-2 text-sm">
                <div className="min-w-0 flex-1">
                  <div className="font-medium text-slate-900">{r.title}</div>
                  <p className="line-clamp-2 whitespace-pre-wrap text-slate-600">{r.body}</p>
                  <div className="text-xs text-slate-400">{t("author")}: {r.createdBy.displayName}</div>
                </div>
                {(r.createdById === viewer.id || viewer.superAdmin) && (
                  <div className="flex shrink-0 items-start gap-1">
                    <Button variant="ghost" onClick={() => setEditing(r)}>{tc("edit")}</Button>
                    <ConfirmButton variant="secondary" label={tc("delete")} question={t("deleteConfirm", { title: r.title })} onConfirm={() => remove.mutate({ id: r.id })} />
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title={editing ? `${tc("edit")}: ${editing.title}` : t("new")}>
        <form
          key={editing?.id ?? "new"}
          className="space-y-3"
          data-testid="canned-form"
          onSubmit={(e) => {
            e.preventDefault();
            const form = e.currentTarget;
            const f = new FormData(form);
            const values = { title: String(f.get("title")), body: String(f.get("body")) };
            if (editing) update.mutate({ id: editing.id, ...values });
            else create.mutate(values, { onSuccess: () => form.reset() });
          }}
        >
          <FormError message={save.error?.message} />
          <Field label={t("fieldTitle")} required error={fieldError(save.error, "title")}>
            <Input name="title" required maxLength={100} defaultValue={editing?.title} />
          </Field>
          <Field label={t("fieldBody")} required error={fieldError(save.error, "body")}>
            <Textarea name="body" required rows={6} defaultValue={editing?.body} />
          </Field>
          <div className="flex gap-2">
            <Button type="submit" disabled={save.isPending}>{tc("save")}</Button>
            {editing && <Button type="button" variant="ghost" onClick={() => setEditing(null)}>{tc("cancel")}</Button>}
          </div>
        </form>
      </Card>
    </div>
  );
}
