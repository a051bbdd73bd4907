import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import { formatDateTime } from "@/lib/datetime";
import { StatusBadge } from "../../_components/status-badge";

type TicketView = inferRouterOutputs<AppRouter>["portal"]["ticket"];

const dash = (v: string | number | null | undefined) => (v === null || v === undefined || v === "" ? "-" : v);

/** The manual's 基本信息 block, three per row, `-` where empty; only fields a member may see. */
export function BasicInfo({ ticket, timeZone }: { ticket: TicketView; timeZone: string }) {
  const t = useTranslations("portal.detail");
  const at = (d: Date | null) => formatDateTime(d, timeZone);
  const rating: ReactNode =
    ticket.rating === null ? (
      "-"
    ) : (
      <span>
        <span className="text-amber-500" aria-label={t("stars", { n: ticket.rating })}>
          {"★".repeat(ticket.rating)}
          <span className="text-slate-300">{"★".repeat(5 - ticket.rating)}</span>
        </span>
        {ticket.ratingComment && <span className="ml-2 whitespace-pre-wrap text-slate-600">{ticket.ratingComment}</span>}
      </span>
    );
  const fields: [string, ReactNode][] = [
    ["title", ticket.title],
    ["number", ticket.id],
    ["category", ticket.categoryName],
    ["memberId", ticket.memberId],
    ["contactPhone", dash(ticket.contactPhone)],
    ["contactQq", dash(ticket.contactQq)],
    ["createdAt", at(ticket.createdAt)],
    ["respondedAt", at(ticket.respondedAt)],
    ["assignee", dash(ticket.assigneeName)],
    ["status", <StatusBadge key="s" status={ticket.status} />],
    ["finishedAt", at(ticket.finishedAt)],
    ["rating", rating],
    ["businessId", dash(ticket.businessId)],
    ["businessIp", dash(ticket.businessIp)],
    ["businessType", dash(ticket.businessType)],
  ];
  return (
    <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-3" data-testid="basic-info">
      {fields.map(([key, value]) => (
        <div key={key} className="flex min-w-0 gap-2">
          <dt className="shrink-0 text-slate-500">{t(`fields.${key}`)}:</dt>
          <dd className="min-w-0 break-words text-slate-800" data-testid={`info-${key}`}>
            {value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
