"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { EscalationBadge, PartnerBadge, StatusBadge } from "@/components/console/ticket-badges";
import { SlaBadge } from "@/components/console/sla-badge";
import type { QueueItem } from "@/components/console/types";
import { Highlighted, SearchSnippet } from "@/components/search-highlight";

/** The queue table; j/k move the cursor row, Enter opens it, x selects it. */
export function QueueTable({ items, sort, loading, selected, presence, changed, onToggle, onToggleAll }: {
  items: QueueItem[];
  sort: "updated" | "created";
  loading: boolean;
  selected: Set<number>;
  /** Ticket id → names of the other staff on it now. */
  presence: Record<number, string[]>;
  /** Tickets that changed a moment ago (marked briefly). */
  changed: ReadonlySet<number>;
  onToggle: (id: number) => void;
  onToggleAll: (on: boolean) => void;
}) {
  const t = useTranslations("console.queue");
  const router = useRouter();
  // The cursor follows a ticket, not a position: a row arriving above it (live) does not move it.
  const [cursorId, setCursorId] = useState<number | null>(null);
  const cursor = Math.max(0, items.findIndex((i) => i.id === cursorId));
  const setCursor = (update: (c: number) => number) => setCursorId(items[update(cursor)]?.id ?? null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLElement && /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName)) return;
      if (e.metaKey || e.ctrlKey || e.altKey) return;
      const row = items[cursor];
      if (e.key === "j") setCursor((c) => Math.min(items.length - 1, c + 1));
      else if (e.key === "k") setCursor((c) => Math.max(0, c - 1));
      else if (e.key === "Enter" && row) router.push(`/admin/tickets/${row.id}`);
      else if (e.key === "x" && row) onToggle(row.id);
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const all = items.length > 0 && items.every((i) => selected.has(i.id));
  return (
    <div className={`overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm transition-opacity ${loading ? "opacity-60" : ""}`}>
      <table className="w-full text-sm" data-testid="queue-table">
        <thead className="bg-slate-50 text-left text-xs text-slate-500">
          <tr>
            <th className="w-8 px-3 py-2">
              <input type="checkbox" checked={all} onChange={(e) => onToggleAll(e.target.checked)} aria-label={t("selected", { n: items.length })} />
            </th>
            <th className="px-2 py-2">{t("colNumber")}</th>
            <th className="px-2 py-2">{t("colTitle")}</th>
            <th className="px-2 py-2">{t("colCategory")}</th>
            <th className="px-2 py-2">{t("colMember")}</th>
            <th className="px-2 py-2">{t("colStatus")}</th>
            <th className="px-2 py-2">{t("colAssignee")}</th>
            <th className="px-2 py-2 whitespace-nowrap">{sort === "created" ? t("colCreated") : t("colUpdated")}</th>
          </tr>
        </thead>
        <tbody>
          {items.length === 0 && (
            <tr>
              <td colSpan={8} className="px-3 py-8 text-center text-slate-400">{t("empty")}</td>
            </tr>
          )}
          {items.map((i, n) => (
            <tr
              key={i.id}
              data-testid="queue-row"
              data-ticket-id={i.id}
              data-changed={changed.has(i.id) || undefined}
              onMouseEnter={() => setCursor(() => n)}
              className={`border-t border-slate-100 transition-colors duration-700 ${changed.has(i.id) ? "bg-sky-100" : n === cursor ? "bg-brand-50/60" : "hover:bg-slate-50"} ${selected.has(i.id) ? "bg-amber-50/60" : ""}`}
            >
              <td className="px-3 py-1.5">
                <input type="checkbox" checked={selected.has(i.id)} onChange={() => onToggle(i.id)} aria-label={`#${i.id}`} />
              </td>
              <td className="px-2 py-1.5 font-mono text-xs text-slate-500">
                {i.id}
                {i.upstreamGuid && <div className="text-[10px] text-slate-400">GUID {i.upstreamGuid}</div>}
              </td>
              <td className="max-w-md px-2 py-1.5">
                <Link href={`/admin/tickets/${i.id}`} className="line-clamp-1 font-medium text-slate-900 hover:text-brand-600">
                  {i.search ? <Highlighted pieces={i.search.title} /> : i.title}
                </Link>
                {presence[i.id] && (
                  <span className="ml-1 inline-flex items-center gap-1 rounded bg-emerald-50 px-1.5 text-xs text-emerald-800" data-testid="queue-presence" title={t("presenceTitle", { names: presence[i.id]!.join("、") })}>
                    <span aria-hidden className="h-1.5 w-1.5 rounded-full bg-emerald-600" />
                    {presence[i.id]!.join("、")}
                  </span>
                )}
                {i.partner && <PartnerBadge name={i.partner.name} ticketNo={i.partner.ticketNo} />}
                {i.search && <SearchSnippet pieces={i.search.snippet} staffOnlyLabel={i.search.staffOnly ? t("snippetStaffOnly") : undefined} />}
              </td>
              <td className="px-2 py-1.5 whitespace-nowrap">
                {i.category.name}
                {i.category.api && <span className="ml-1 text-xs text-slate-400">[API]</span>}
              </td>
              <td className="px-2 py-1.5 font-mono text-xs">{i.memberId ?? "-"}</td>
              <td className="px-2 py-1.5 whitespace-nowrap">
                <span className="inline-flex gap-1">
                  <StatusBadge status={i.status} />
                  <EscalationBadge escalation={i.escalation} awaitingAck={i.awaitingAck} />
                </span>
                <div><SlaBadge sla={i.sla} /></div>
              </td>
              <td className="px-2 py-1.5 whitespace-nowrap">{i.assignee ? i.assignee.name : <Badge tone="amber">{t("assigneeUnassigned")}</Badge>}</td>
              <td className="px-2 py-1.5 whitespace-nowrap font-mono text-xs text-slate-500">{sort === "created" ? i.createdAt : i.updatedAt}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
