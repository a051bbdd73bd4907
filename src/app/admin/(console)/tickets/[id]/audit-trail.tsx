"use client";

import { useTranslations } from "next-intl";
import type { TicketDetail } from "@/components/console/types";

/** 操作记录 (TicketEvent): who did what and when; collapsible, open by default on wide screens. */
export function AuditTrail({ events }: { events: TicketDetail["events"] }) {
  const t = useTranslations("console.ticket");
  const ts = useTranslations("tickets");
  return (
    <details open className="h-fit rounded-lg border border-slate-200 bg-white text-sm shadow-sm" data-testid="audit-trail">
      <summary className="cursor-pointer select-none px-4 py-3 font-semibold text-slate-900">
        {t("audit")} <span className="font-normal text-slate-400">({events.length})</span>
      </summary>
      {events.length === 0 ? (
        <p className="px-4 pb-3 text-slate-500">{t("auditEmpty")}</p>
      ) : (
        <ol className="space-y-2 border-t border-slate-100 px-4 py-3">
          {events.map((e) => (
            <li key={e.id} data-testid="audit-event" className="border-l-2 border-slate-200 pl-2">
              <div className="font-medium text-slate-800">{t.has(`actions.${e.action.replace(".", "_")}`) ? t(`actions.${e.action.replace(".", "_")}`) : e.action}</div>
              <div className="text-xs text-slate-500">
                {e.actor} · {e.at}
              </div>
              {e.detail && <div className="text-xs text-rose-600">{e.detail}</div>}
              {e.fromStatus && e.toStatus && e.fromStatus !== e.toStatus && (
                <div className="text-xs text-slate-500">{t("auditStatus", { from: ts(`status.${e.fromStatus}`), to: ts(`status.${e.toStatus}`) })}</div>
              )}
              {e.fromEscalation && e.toEscalation && e.fromEscalation !== e.toEscalation && (
                <div className="text-xs text-slate-500">{t("auditStatus", { from: ts(`escalation.${e.fromEscalation}`), to: ts(`escalation.${e.toEscalation}`) })}</div>
              )}
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
