"use client";

import type { ReactNode } from "react";
import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { EscalationBadge, PartnerBadge } from "@/components/console/ticket-badges";
import type { TicketDetail } from "@/components/console/types";

/** 基本信息 in the manual's three-column grid, `-` where empty. */
export function BasicInfo({ ticket }: { ticket: TicketDetail }) {
  const t = useTranslations("console.ticket");
  const i = ticket.info;
  const cell = (key: string, value: ReactNode) => (
    <div className="flex min-w-0 gap-2 py-1.5">
      <dt className="shrink-0 text-slate-500">{t(`fields.${key}`)}:</dt>
      <dd className="min-w-0 break-words text-slate-900" data-testid={`info-${key}`}>
        {value}
      </dd>
    </div>
  );
  return (
    <div className="space-y-2">
      <dl className="grid grid-cols-1 gap-x-6 text-sm sm:grid-cols-2 lg:grid-cols-3">
        {cell("title", i.title)}
        {cell(
          "number",
          <span className="inline-flex flex-wrap items-center gap-1">
            {i.number.text}
            {i.number.transferring && <Badge tone="violet" testId="transferring">{t("transferring")}</Badge>}
          </span>,
        )}
        {cell("category", i.category)}
        {cell("memberId", i.memberId)}
        {cell("contactPhone", i.contactPhone)}
        {cell("contactQq", i.contactQq)}
        {cell("createdAt", i.createdAt)}
        {cell("respondedAt", i.respondedAt)}
        {cell("assignee", i.assignee)}
        {cell(
          "status",
          <span className="inline-flex items-center gap-1">
            {i.status}
            <EscalationBadge escalation={i.escalation} awaitingAck={i.number.transferring} />
          </span>,
        )}
        {cell("finishedAt", i.finishedAt)}
        {cell("rating", i.rating)}
        {cell("businessId", i.businessId)}
        {cell("businessIp", i.businessIp)}
        {cell("businessType", i.businessType)}
      </dl>
      {(ticket.partner || ticket.upstream) && (
        <div className="flex flex-wrap gap-2 text-xs text-slate-500">
          {ticket.partner && <PartnerBadge name={ticket.partner.name} ticketNo={ticket.partner.ticketNo} />}
          {ticket.partner && <span>{t("partner", { name: ticket.partner.name, no: ticket.partner.ticketNo ?? "-" })}</span>}
          {ticket.upstream && <span>{t("upstream", { name: ticket.upstream.connection })}</span>}
        </div>
      )}
    </div>
  );
}
