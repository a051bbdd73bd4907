"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { useTRPC } from "@/trpc/react";
import { formatLocal } from "./format";

/**
 * For the console's ticket page (工单编号 line): `[GUID: …]` once the upstream acknowledged,
 * 转移中 until then, and why a request has not gone through. Renders nothing for a ticket never
 * escalated. Polls while pending so the GUID appears without a reload.
 */
export function EscalationStatus({ ticketId }: { ticketId: number }) {
  const t = useTranslations("escalation");
  const trpc = useTRPC();
  const view = useQuery({
    ...trpc.escalation.status.queryOptions({ ticketId }),
    refetchInterval: (query) => (query.state.data?.pending ? 2_000 : 15_000),
  });
  const v = view.data;
  if (!v) return null;
  return (
    <span className="inline-flex flex-wrap items-center gap-2" data-testid="escalation-status">
      {v.guid && <span data-testid="escalation-guid">{t("ticket.guid", { guid: v.guid })}</span>}
      {v.pending && (
        <Badge tone="amber" testId="escalation-pending">
          {t("ticket.pending")}
        </Badge>
      )}
      <span className="text-xs text-slate-500">
        {t("ticket.upstream", { name: v.connectionName })} · {t(`linkState.${v.linkState}`)}
        {v.lastSyncedAt && <> · {t("ticket.lastSynced", { time: formatLocal(v.lastSyncedAt) })}</>}
      </span>
      {v.lastError && <span className="text-xs text-rose-700">{t("ticket.deliveryError", { error: v.lastError })}</span>}
    </span>
  );
}
