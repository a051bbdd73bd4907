"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useTRPC } from "@/trpc/react";
import { PartnerDeliveries } from "./partner-deliveries";
import { PartnerForm, type PartnerType } from "./partner-form";
import { SecretOnce, type ShownSecret } from "./secret-once";

export function PartnersManager({ baseUrl }: { baseUrl: string }) {
  const t = useTranslations("partners");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.partners.list.queryOptions());
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<number | null>(null);
  const [openLog, setOpenLog] = useState<number | null>(null);
  // Lives only in this component's memory: gone on "I have saved it" or on leaving the page.
  const [shown, setShown] = useState<ShownSecret | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.partners.list.queryKey() });
  const reveal = ({ partner, secret }: { partner: { name: string; partnerId: string; keyId: string }; secret: string }) => {
    setShown({ name: partner.name, partnerId: partner.partnerId, keyId: partner.keyId, secret });
    void refresh();
  };
  const create = useMutation(trpc.partners.create.mutationOptions({ onSuccess: (r) => (setAdding(false), reveal(r)) }));
  const update = useMutation(trpc.partners.update.mutationOptions({ onSuccess: () => (setEditing(null), refresh()) }));
  const rotate = useMutation(trpc.partners.rotateSecret.mutationOptions({ onSuccess: reveal }));

  return (
    <div className="space-y-4">
      {shown && <SecretOnce shown={shown} baseUrl={baseUrl} onDone={() => setShown(null)} />}
      <Card
        title={t("title")}
        actions={
          !adding && (
            <Button onClick={() => setAdding(true)} data-testid="partner-add">
              {t("add")}
            </Button>
          )
        }
      >
        {adding && (
          <div className="mb-4 border-b border-slate-100 pb-4">
            <PartnerForm
              withPartnerId
              submitLabel={t("create")}
              pending={create.isPending}
              error={create.error}
              onSubmit={(v) => create.mutate(v)}
              onCancel={() => setAdding(false)}
            />
          </div>
        )}
        {list.data?.length === 0 && <p className="text-sm text-slate-500">{t("none")}</p>}
        <ul className="divide-y divide-slate-100">
          {list.data?.map((p) => (
            <li key={p.id} className="space-y-2 py-3" data-testid="partner-row" data-partner-id={p.partnerId}>
              <div className="flex flex-wrap items-center gap-2 text-sm">
                <span className="font-medium">{p.name}</span>
                <Badge tone={p.enabled ? "green" : "gray"}>{p.enabled ? t("enable") : t("disable")}</Badge>
                {p.rotationInProgress && p.previousSecretExpiresAt && (
                  <Badge tone="amber">{t("rotationUntil", { time: new Date(p.previousSecretExpiresAt).toLocaleString("sv-SE") })}</Badge>
                )}
                <span className="font-mono text-xs text-slate-500">
                  {t("partnerId")} {p.partnerId} · {t("keyId")} {p.keyId}
                </span>
              </div>
              <div className="text-xs text-slate-600">
                {t("callbackUrl")}: <span className="font-mono">{p.callbackUrl}</span> · {t("allowedTypes")}:{" "}
                {p.allowedTypes.map((type) => t(`types.${type}`)).join("、")}
              </div>
              <div className="flex flex-wrap gap-2">
                <Button variant="secondary" onClick={() => setEditing(editing === p.id ? null : p.id)}>
                  {t("edit")}
                </Button>
                <Button variant="secondary" onClick={() => update.mutate({ id: p.id, enabled: !p.enabled })} data-testid="partner-toggle">
                  {p.enabled ? t("disable") : t("enable")}
                </Button>
                <Button
                  variant="secondary"
                  data-testid="partner-rotate"
                  onClick={() => window.confirm(t("rotateConfirm")) && rotate.mutate({ id: p.id, immediate: false })}
                >
                  {t("rotate")}
                </Button>
                <Button
                  variant="danger"
                  onClick={() => window.confirm(t("rotateImmediateConfirm")) && rotate.mutate({ id: p.id, immediate: true })}
                >
                  {t("rotateImmediate")}
                </Button>
                <Button variant="ghost" onClick={() => setOpenLog(openLog === p.id ? null : p.id)} data-testid="partner-show-deliveries">
                  {openLog === p.id ? t("hideDeliveries") : t("showDeliveries")}
                </Button>
              </div>
              {editing === p.id && (
                <PartnerForm
                  withPartnerId={false}
                  initial={{ ...p, allowedTypes: p.allowedTypes as PartnerType[] }}
                  submitLabel={t("save")}
                  pending={update.isPending}
                  error={update.error}
                  onSubmit={(v) => update.mutate({ id: p.id, ...v })}
                  onCancel={() => setEditing(null)}
                />
              )}
              {openLog === p.id && <PartnerDeliveries partnerId={p.id} />}
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
