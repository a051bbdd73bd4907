"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { Badge, type Tone } from "@/components/ui/badge";
import { useTRPC } from "@/trpc/react";

const TONE: Record<string, Tone> = { PENDING: "amber", DELIVERED: "green", DEAD: "red" };
const time = (d: Date | null) => (d ? new Date(d).toLocaleString("sv-SE") : "-");

/** The delivery log of one partner: recent callbacks, their status, attempts and last error. */
export function PartnerDeliveries({ partnerId }: { partnerId: number }) {
  const t = useTranslations("partners");
  const trpc = useTRPC();
  const log = useQuery(trpc.partners.deliveries.queryOptions({ partnerId, limit: 20 }, { refetchInterval: 5_000 }));
  if (!log.data) return <p className="text-sm text-slate-500">…</p>;
  if (log.data.length === 0) return <p className="text-sm text-slate-500">{t("noDeliveries")}</p>;
  return (
    <table className="w-full text-left text-xs" data-testid="partner-deliveries">
      <thead className="text-slate-500">
        <tr>
          <th className="py-1">{t("delivery.time")}</th>
          <th>{t("delivery.event")}</th>
          <th>{t("delivery.ticket")}</th>
          <th>{t("delivery.status")}</th>
          <th>{t("delivery.attempts")}</th>
          <th>{t("delivery.lastError")}</th>
        </tr>
      </thead>
      <tbody>
        {log.data.map((d) => (
          <tr key={d.id} className="border-t border-slate-100" data-testid="delivery-row">
            <td className="py-1">{time(d.createdAt)}</td>
            <td className="font-mono">
              {d.type} <span className="text-slate-400">{d.eventId}</span>
            </td>
            <td>{d.ticketId ?? "-"}</td>
            <td>
              <Badge tone={TONE[d.status] ?? "gray"}>{t(`delivery.${d.status}`)}</Badge>
            </td>
            <td>{d.attempts}</td>
            <td className="max-w-xs truncate text-rose-700" title={d.lastError ?? ""}>
              {d.lastError ?? "-"}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
