"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import type { inferRouterOutputs } from "@trpc/server";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError, Input } from "@/components/ui/field";
import { fieldError } from "@/components/trpc-errors";
import { formatLocal } from "@/components/escalation/format";
import { useTRPC } from "@/trpc/react";
import type { AppRouter } from "@/server/api/root";
import { SharingPolicyEditor } from "./sharing-policy-editor";

type Connection = inferRouterOutputs<AppRouter>["upstreams"]["list"][number];

/** 上级资源: list, add, edit, 测试连接. The secret is write-only: never filled in, never shown. */
export function UpstreamsManager() {
  const t = useTranslations("escalation");
  const trpc = useTRPC();
  const list = useQuery(trpc.upstreams.list.queryOptions());
  const [editing, setEditing] = useState<Connection | "new" | null>(null);
  const [sharing, setSharing] = useState<Connection | null>(null);
  const [tested, setTested] = useState<Record<number, string>>({});
  const test = useMutation(
    trpc.upstreams.test.mutationOptions({
      onSuccess: (result, input) => setTested((s) => ({ ...s, [input.id]: result.ok ? t("testOk") : t("testFailed", { error: result.error }) })),
    }),
  );

  return (
    <div className="space-y-4">
      <Card
        title={t("title")}
        actions={
          <Button data-testid="upstream-add" onClick={() => setEditing("new")}>
            {t("add")}
          </Button>
        }
      >
        {list.data?.length === 0 && <p className="text-sm text-slate-500">{t("empty")}</p>}
        <ul className="divide-y divide-slate-100">
          {list.data?.map((c) => (
            <li key={c.id} className="space-y-1 py-3 text-sm" data-testid={`upstream-${c.id}`}>
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-medium" data-testid="upstream-name">{c.name}</span>
                <Badge tone={c.enabled ? "green" : "gray"}>{c.enabled ? t("enabledYes") : t("enabledNo")}</Badge>
                {c.isDefault && <Badge tone="blue">{t("defaultBadge")}</Badge>}
                <span className="ml-auto flex gap-2">
                  <Button variant="secondary" data-testid="upstream-test" disabled={test.isPending} onClick={() => test.mutate({ id: c.id })}>
                    {t("test")}
                  </Button>
                  <Button variant="secondary" data-testid="upstream-edit" onClick={() => setEditing(c)}>
                    {t("edit")}
                  </Button>
                  <Button variant="secondary" data-testid="upstream-sharing" onClick={() => setSharing(c)}>
                    {t("sharing.button")}
                  </Button>
                </span>
              </div>
              <div className="grid grid-cols-1 gap-x-6 gap-y-1 text-slate-600 md:grid-cols-2">
                <span>{t("fields.baseUrl")}: {c.baseUrl}</span>
                <span>{t("fields.partnerId")}: {c.partnerId} · {t("fields.keyId")}: {c.keyId}</span>
                <span>
                  {t("fields.callbackUrl")}: <code data-testid="upstream-callback-url">{c.callbackUrl}</code>
                </span>
                <span>{t("fields.lastSync")}: {c.lastSyncAt ? formatLocal(c.lastSyncAt) : t("never")}</span>
                {c.lastError && <span className="text-rose-700 md:col-span-2">{t("fields.lastError")}: {c.lastError}</span>}
              </div>
              {tested[c.id] && (
                <p data-testid="upstream-test-result" className="text-slate-800">
                  {tested[c.id]}
                </p>
              )}
            </li>
          ))}
        </ul>
      </Card>
      {sharing && <SharingPolicyEditor key={sharing.id} connection={sharing} onDone={() => setSharing(null)} />}
      {editing && <ConnectionForm key={editing === "new" ? "new" : editing.id} connection={editing === "new" ? null : editing} onDone={() => setEditing(null)} />}
    </div>
  );
}

function ConnectionForm({ connection, onDone }: { connection: Connection | null; onDone: () => void }) {
  const t = useTranslations("escalation");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const done = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.upstreams.list.queryKey() });
    onDone();
  };
  const create = useMutation(trpc.upstreams.create.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.upstreams.update.mutationOptions({ onSuccess: done }));
  const error = create.error ?? update.error;
  return (
    <Card title={connection ? `${t("edit")} ${connection.name}` : t("add")}>
      <form
        data-testid="upstream-form"
        className="grid grid-cols-1 gap-3 md:grid-cols-2"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          const fields = {
            name: String(f.get("name")),
            baseUrl: String(f.get("baseUrl")),
            partnerId: String(f.get("partnerId")),
            keyId: String(f.get("keyId")),
            enabled: f.get("enabled") === "on",
            isDefault: f.get("isDefault") === "on",
          };
          const secret = String(f.get("secret") ?? "");
          if (connection) update.mutate({ ...fields, id: connection.id, secret });
          else create.mutate({ ...fields, secret });
        }}
      >
        <div className="md:col-span-2">
          <FormError message={error?.message} />
        </div>
        <Field label={t("fields.name")} required help={t("help.name")} error={fieldError(error, "name")}>
          <Input name="name" required maxLength={64} defaultValue={connection?.name} />
        </Field>
        <Field label={t("fields.baseUrl")} required help={t("help.baseUrl")} error={fieldError(error, "baseUrl")}>
          <Input name="baseUrl" required maxLength={300} defaultValue={connection?.baseUrl} placeholder="https://" />
        </Field>
        <Field label={t("fields.partnerId")} required help={t("help.partnerId")} error={fieldError(error, "partnerId")}>
          <Input name="partnerId" required maxLength={64} defaultValue={connection?.partnerId} />
        </Field>
        <Field label={t("fields.keyId")} required help={t("help.keyId")} error={fieldError(error, "keyId")}>
          <Input name="keyId" required maxLength={64} defaultValue={connection?.keyId} />
        </Field>
        <Field label={t("fields.secret")} required={!connection} help={t("help.secret")} error={fieldError(error, "secret")}>
          <Input name="secret" type="password" autoComplete="new-password" required={!connection} maxLength={200} placeholder={connection ? t("fields.secretKeep") : ""} />
        </Field>
        <div className="flex items-center gap-6 text-sm">
          <label className="flex items-center gap-2">
            <input type="checkbox" name="enabled" defaultChecked={connection?.enabled ?? true} /> {t("fields.enabled")}
          </label>
          <label className="flex items-center gap-2" title={t("help.isDefault")}>
            <input type="checkbox" name="isDefault" defaultChecked={connection?.isDefault ?? false} /> {t("fields.isDefault")}
          </label>
        </div>
        <div className="flex gap-2 md:col-span-2">
          <Button type="submit" data-testid="upstream-save" disabled={create.isPending || update.isPending}>
            {t("save")}
          </Button>
          <Button type="button" variant="secondary" onClick={onDone}>
            {t("cancel")}
          </Button>
        </div>
      </form>
    </Card>
  );
}
