"use client";

import { useTranslations } from "next-intl";
import { SlaBadge } from "@/components/console/sla-badge";
import type { TicketDetail } from "@/components/console/types";

/** 服务时效: each running deadline with its badge and time left; paused while 已回复. */
export function SlaBox({ sla }: { sla: TicketDetail["sla"] }) {
  const t = useTranslations("sla");
  if (!sla) return null;
  return (
    <section className="rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm shadow-sm" data-testid="sla-box">
      <h2 className="mb-2 font-semibold text-slate-900">{t("ticket.title")}</h2>
      <ul className="space-y-1">
        {sla.clocks.map((c) => (
          <li key={c.clock} className="flex flex-wrap items-center gap-2" data-testid={`sla-${c.clock}`}>
            <span className={c.upstream ? "text-violet-700" : "text-slate-700"}>{t(`clocks.${c.clock}`)}</span>
            <span className="font-mono text-xs text-slate-500" data-testid="sla-due">{t("ticket.due", { time: c.dueAt })}</span>
            <SlaBadge sla={c} />
          </li>
        ))}
      </ul>
      {sla.paused && <p className="mt-1 text-xs text-slate-500">{t("ticket.paused")}</p>}
      {sla.autoCloseAt && <p className="mt-1 text-xs text-slate-500">{t("ticket.autoClose", { time: sla.autoCloseAt })}</p>}
    </section>
  );
}
