"use client";

import { useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { Input, Select } from "@/components/ui/field";
import { Button } from "@/components/ui/button";
import { SLA_FILTERS, type QueueState } from "@/components/console/queue-params";
import { STATUSES, type QueueCounts, type QueueOptions } from "@/components/console/types";

const ESCALATIONS = ["NONE", "ESCALATED", "RETURNED", "UPSTREAM_CLOSED"] as const;

/** Sticky filter bar: status tabs with live counts, then the narrowing filters. */
export function QueueFilters({ state, counts, options, onChange, onReset }: {
  state: QueueState;
  counts: QueueCounts | undefined;
  options: QueueOptions;
  onChange: (next: Partial<QueueState["filter"]>, sort?: QueueState["sort"]) => void;
  onReset: () => void;
}) {
  const t = useTranslations("console.queue");
  const ts = useTranslations("tickets");
  const tsla = useTranslations("sla");
  const f = state.filter;
  const [q, setQ] = useState(f.q ?? "");
  const [member, setMember] = useState(f.memberId ? String(f.memberId) : "");
  const search = useRef<HTMLInputElement>(null);

  // "/" jumps to the search box from anywhere on the page (not while typing elsewhere).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLElement && /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName);
      if (e.key === "/" && !typing) {
        e.preventDefault();
        search.current?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const shown = (n: number, capped: boolean) => (capped ? t("countCapped", { n }) : String(n));
  const tab = (value: (typeof STATUSES)[number] | undefined, label: string, n: string | null) => {
    const active = f.status === value;
    return (
      <button
        key={value ?? "all"}
        type="button"
        role="tab"
        aria-selected={active}
        data-testid={`tab-${value ?? "ALL"}`}
        onClick={() => onChange({ status: value })}
        className={`-mb-px border-b-2 px-3 py-2 text-sm ${active ? "border-brand-600 font-semibold text-brand-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
      >
        {label}
        {n !== null && <span className={`ml-1 rounded-full px-1.5 text-xs ${active ? "bg-brand-50" : "bg-slate-100"}`} data-testid={`count-${value ?? "ALL"}`}>{n}</span>}
      </button>
    );
  };
  const groupCategories = options.groups.filter((g) => !f.groupId || g.id === f.groupId);

  return (
    <div className="sticky top-0 z-10 -mx-6 space-y-2 border-b border-slate-200 bg-slate-50/95 px-6 pb-2 backdrop-blur">
      <div role="tablist" className="flex flex-wrap border-b border-slate-200">
        {STATUSES.map((s) => tab(s, ts(`status.${s}`), counts ? shown(counts.counts[s], counts.capped[s]) : null))}
        {tab(undefined, t("all"), counts ? shown(counts.total, Object.values(counts.capped).some(Boolean)) : null)}
      </div>
      <form
        className="flex flex-wrap items-center gap-2 text-sm"
        data-testid="queue-toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          onChange({ q: q.trim() || undefined, memberId: /^\d+$/.test(member) ? Number(member) : undefined });
        }}
      >
        {/* Plain input: "/" focuses it through a ref. */}
        <input
          ref={search}
          className="w-56 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder={t("search")}
          title={t("searchHint")}
          aria-label={t("search")}
          data-testid="queue-search"
        />
        <Input className="w-28" value={member} onChange={(e) => setMember(e.target.value)} placeholder={t("memberId")} aria-label={t("memberId")} inputMode="numeric" data-testid="queue-member" />
        <Select className="w-32" aria-label={t("group")} value={f.groupId ?? ""} onChange={(e) => onChange({ groupId: e.target.value ? Number(e.target.value) : undefined, categoryId: undefined })}>
          <option value="">{t("group")}</option>
          {options.groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
        </Select>
        <Select className="w-36" aria-label={t("category")} value={f.categoryId ?? ""} onChange={(e) => onChange({ categoryId: e.target.value ? Number(e.target.value) : undefined })} data-testid="queue-category">
          <option value="">{t("category")}</option>
          {groupCategories.flatMap((g) => g.categories).map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
        </Select>
        <Select className="w-28" aria-label={t("assignee")} value={f.assignee ?? "any"} onChange={(e) => onChange({ assignee: e.target.value as "any" | "mine" | "unassigned" })} data-testid="queue-assignee">
          <option value="any">{t("assigneeAny")}</option>
          <option value="mine">{t("assigneeMine")}</option>
          <option value="unassigned">{t("assigneeUnassigned")}</option>
        </Select>
        <Select className="w-auto" aria-label={t("escalation")} value={f.escalation ?? ""} onChange={(e) => onChange({ escalation: (e.target.value || undefined) as (typeof ESCALATIONS)[number] | undefined })}>
          <option value="">{t("escalation")}: {t("escalationAny")}</option>
          {ESCALATIONS.map((s) => <option key={s} value={s}>{ts(`escalation.${s}`)}</option>)}
        </Select>
        <Select className="w-auto" aria-label={tsla("filter.label")} value={f.sla ?? ""} onChange={(e) => onChange({ sla: (e.target.value || undefined) as (typeof SLA_FILTERS)[number] | undefined })} data-testid="queue-sla">
          <option value="">{tsla("filter.label")}: {tsla("filter.all")}</option>
          {SLA_FILTERS.map((s) => <option key={s} value={s}>{tsla(`badge.${s}`)}</option>)}
        </Select>
        <label className="flex items-center gap-1 text-xs text-slate-500">
          {t("createdFrom")}
          <Input type="date" className="w-36 px-2" value={f.createdFrom ?? ""} onChange={(e) => onChange({ createdFrom: e.target.value || undefined })} />
        </label>
        <label className="flex items-center gap-1 text-xs text-slate-500">
          {t("createdTo")}
          <Input type="date" className="w-36 px-2" value={f.createdTo ?? ""} onChange={(e) => onChange({ createdTo: e.target.value || undefined })} />
        </label>
        <Select className="w-28" aria-label={t("sort")} value={state.sort} onChange={(e) => onChange({}, e.target.value === "created" ? "created" : "updated")}>
          <option value="updated">{t("sortUpdated")}</option>
          <option value="created">{t("sortCreated")}</option>
        </Select>
        <Button type="submit" variant="secondary">{t("searchSubmit")}</Button>
        <Button type="button" variant="ghost" onClick={() => { setQ(""); setMember(""); onReset(); }}>{t("reset")}</Button>
      </form>
    </div>
  );
}
