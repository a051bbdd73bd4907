"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { formatLocal } from "@/components/escalation/format";
import { useTRPC } from "@/trpc/react";

/** 投递记录: what is queued, what died and why (with 重新投递), and each upstream's sync health. */
export function DeliveriesBoard() {
  const t = useTranslations("escalation");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const overview = useQuery({ ...trpc.deliveries.overview.queryOptions(), refetchInterval: 10_000 });
  const redeliver = useMutation(
    trpc.deliveries.redeliver.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.deliveries.overview.queryKey() }) }),
  );
  const data = overview.data;
  return (
    <div className="space-y-4">
      <Card title={t("deliveries.pending")}>
        <span className="text-2xl font-semibold" data-testid="deliveries-pending">{data?.pending ?? "-"}</span>
      </Card>
      <Card title={t("deliveries.dead")}>
        {data?.dead.length === 0 && <p className="text-sm text-slate-500">{t("deliveries.deadEmpty")}</p>}
        {data && data.dead.length > 0 && (
          <table className="w-full text-left text-sm">
            <thead className="text-slate-500">
              <tr>
                <th className="py-1">{t("deliveries.type")}</th>
                <th>{t("deliveries.ticket")}</th>
                <th>{t("deliveries.attempts")}</th>
                <th>{t("deliveries.error")}</th>
                <th>{t("deliveries.createdAt")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {data.dead.map((d) => (
                <tr key={d.id} className="border-t border-slate-100 align-top" data-testid={`dead-letter-${d.id}`}>
                  <td className="py-2">{d.type}</td>
                  <td>{d.ticketId ?? "-"}</td>
                  <td>{d.attempts}</td>
                  <td className="max-w-md break-words text-rose-700">{d.lastError}</td>
                  <td>{formatLocal(d.createdAt)}</td>
                  <td>
                    <Button variant="secondary" data-testid="redeliver" disabled={redeliver.isPending} onClick={() => redeliver.mutate({ id: d.id })}>
                      {t("deliveries.redeliver")}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <Card title={t("deliveries.upstreams")}>
        <ul className="space-y-1 text-sm">
          {data?.upstreams.map((u) => (
            <li key={u.id} data-testid={`upstream-sync-${u.id}`}>
              <span className="font-medium">{u.name}</span>{" "}
              <Badge tone={u.enabled ? "green" : "gray"}>{u.enabled ? t("enabledYes") : t("enabledNo")}</Badge> · {t("fields.lastSync")}:{" "}
              {u.lastSyncAt ? formatLocal(u.lastSyncAt) : t("never")}
              {u.lastError && <span className="block text-rose-700">{t("fields.lastError")}: {u.lastError}</span>}
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
