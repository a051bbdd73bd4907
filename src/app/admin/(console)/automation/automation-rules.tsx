"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import { useTRPC } from "@/trpc/react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError, Input, Select } from "@/components/ui/field";
import { fieldError } from "@/components/trpc-errors";

type Settings = inferRouterOutputs<AppRouter>["automation"]["settings"];
type Rule = Settings["rules"][number];
type Trigger = Rule["trigger"];
type Named = { id: number; name: string };

const TRIGGERS: Trigger[] = ["TICKET_CREATED", "SLA_WARNING", "SLA_BREACHED"];
const CLOCKS = ["firstResponse", "nextResponse", "resolution", "upstreamAck", "upstreamResolution"] as const;

/** 自动化规则: the list in the order they apply, and one form to add or edit a rule. */
export function AutomationRules() {
  const t = useTranslations("sla.automation");
  const trpc = useTRPC();
  const settings = useQuery(trpc.automation.settings.queryOptions());
  const [editing, setEditing] = useState<Rule | "new" | null>(null);
  if (!settings.data) return null;
  const { rules } = settings.data;
  const categories = settings.data.categories.map((c) => ({ id: c.id, name: c.name }));
  const staff = settings.data.staff.filter((s) => !s.disabled).map((s) => ({ id: s.id, name: s.displayName }));
  const channels = settings.data.channels.map((c) => ({ id: c.id, name: c.name }));
  const nameOf = (list: Named[], ids: number[]) => ids.map((id) => list.find((x) => x.id === id)?.name ?? `#${id}`).join("、");
  const clockName = (c: string) => t(`clocks.${c}` as never);

  return (
    <Card title={t("rules")} actions={<Button data-testid="automation-add" onClick={() => setEditing("new")}>{t("newRule")}</Button>}>
      {rules.length === 0 ? (
        <p className="text-sm text-slate-500">{t("noRules")}</p>
      ) : (
        <table className="w-full text-sm" data-testid="automation-rules">
          <thead className="text-left text-xs text-slate-500">
            <tr>
              <th className="py-1">{t("name")}</th>
              <th>{t("trigger")}</th>
              <th>{t("when")}</th>
              <th>{t("then")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rules.map((r) => (
              <tr key={r.id} className="border-t border-slate-100 align-top" data-testid="automation-rule">
                <td className="py-1.5">
                  {r.name} {!r.enabled && <Badge>{t("off")}</Badge>}
                </td>
                <td>{t(`triggers.${r.trigger}`)}</td>
                <td className="text-slate-700">
                  {[
                    r.categoryIds.length > 0 ? t("inCategories", { names: nameOf(categories, r.categoryIds) }) : null,
                    r.keywords.length > 0 ? t("withKeywords", { words: r.keywords.join("、") }) : null,
                    r.clocks.length > 0 ? t("onClocks", { clocks: r.clocks.map(clockName).join("、") }) : null,
                  ]
                    .filter(Boolean)
                    .join("；") || t("always")}
                </td>
                <td className="text-slate-700">
                  {[
                    r.moveToCategoryId !== null ? t("moveTo", { name: nameOf(categories, [r.moveToCategoryId]) }) : null,
                    r.assignStaffIds.length > 0 ? t("assignTo", { names: nameOf(staff, r.assignStaffIds) }) : null,
                    r.notifyChannelIds.length > 0 ? t("notify", { names: nameOf(channels, r.notifyChannelIds) }) : null,
                  ]
                    .filter(Boolean)
                    .join("；")}
                </td>
                <td className="text-right">
                  <Button variant="secondary" onClick={() => setEditing(r)}>{t("edit")}</Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && (
        <RuleForm
          key={editing === "new" ? "new" : editing.id}
          rule={editing === "new" ? null : editing}
          categories={categories}
          staff={staff}
          channels={channels}
          onDone={() => setEditing(null)}
        />
      )}
    </Card>
  );
}

function Picks({ label, items, chosen, onChange, testId }: { label: string; items: Named[]; chosen: number[]; onChange: (ids: number[]) => void; testId: string }) {
  return (
    <fieldset className="space-y-1" data-testid={testId}>
      <legend className="text-sm font-medium text-slate-700">{label}</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
        {items.map((item) => (
          <label key={item.id} className="flex items-center gap-1.5">
            <input type="checkbox" checked={chosen.includes(item.id)} onChange={(e) => onChange(e.target.checked ? [...chosen, item.id] : chosen.filter((x) => x !== item.id))} />
            {item.name}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function RuleForm({ rule, categories, staff, channels, onDone }: { rule: Rule | null; categories: Named[]; staff: Named[]; channels: Named[]; onDone: () => void }) {
  const t = useTranslations("sla.automation");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const done = { onSuccess: async () => { await queryClient.invalidateQueries({ queryKey: trpc.automation.settings.queryKey() }); onDone(); } };
  const save = useMutation(trpc.automation.save.mutationOptions(done));
  const remove = useMutation(trpc.automation.delete.mutationOptions(done));
  const [f, setF] = useState({
    name: rule?.name ?? "",
    trigger: rule?.trigger ?? ("TICKET_CREATED" as Trigger),
    sortOrder: String(rule?.sortOrder ?? 0),
    categoryIds: rule?.categoryIds ?? [],
    keywords: rule?.keywords.join(", ") ?? "",
    clocks: rule?.clocks ?? [],
    moveToCategoryId: rule?.moveToCategoryId ? String(rule.moveToCategoryId) : "",
    assignStaffIds: rule?.assignStaffIds ?? [],
    notifyChannelIds: rule?.notifyChannelIds ?? [],
    enabled: rule?.enabled ?? true,
  });
  const err = (k: string) => fieldError(save.error, k);
  const clockItems = CLOCKS.map((c, i) => ({ id: i, name: t(`clocks.${c}`) }));
  return (
    <form
      className="mt-4 grid gap-3 border-t border-slate-100 pt-4 md:grid-cols-3"
      data-testid="automation-form"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({
          ...(rule ? { id: rule.id } : {}),
          name: f.name,
          enabled: f.enabled,
          trigger: f.trigger,
          sortOrder: Number(f.sortOrder),
          categoryIds: f.categoryIds,
          keywords: f.keywords.split(/[,，、\n]/).map((k) => k.trim()).filter(Boolean),
          clocks: f.trigger === "TICKET_CREATED" ? [] : (f.clocks as (typeof CLOCKS)[number][]),
          moveToCategoryId: f.moveToCategoryId ? Number(f.moveToCategoryId) : null,
          assignStaffIds: f.assignStaffIds,
          notifyChannelIds: f.notifyChannelIds,
        });
      }}
    >
      <Field label={t("name")} required error={err("name")}>
        <Input value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} data-testid="automation-name" />
      </Field>
      <Field label={t("trigger")} required error={err("trigger")}>
        <Select value={f.trigger} onChange={(e) => setF({ ...f, trigger: e.target.value as Trigger })} data-testid="automation-trigger">
          {TRIGGERS.map((x) => <option key={x} value={x}>{t(`triggers.${x}`)}</option>)}
        </Select>
      </Field>
      <Field label={t("sortOrder")} help={t("sortOrderHelp")} error={err("sortOrder")}>
        <Input inputMode="numeric" value={f.sortOrder} onChange={(e) => setF({ ...f, sortOrder: e.target.value })} />
      </Field>
      <div className="md:col-span-3">
        <Picks label={t("categoriesLabel")} items={categories} chosen={f.categoryIds} onChange={(categoryIds) => setF({ ...f, categoryIds })} testId="automation-categories" />
      </div>
      <Field label={t("keywords")} help={t("keywordsHelp")} error={err("keywords")}>
        <Input value={f.keywords} onChange={(e) => setF({ ...f, keywords: e.target.value })} data-testid="automation-keywords" />
      </Field>
      {f.trigger !== "TICKET_CREATED" && (
        <div className="md:col-span-2">
          <Picks
            label={t("clocksLabel")}
            items={clockItems}
            chosen={f.clocks.map((c) => CLOCKS.indexOf(c as (typeof CLOCKS)[number]))}
            onChange={(ids) => setF({ ...f, clocks: ids.map((i) => CLOCKS[i]!) })}
            testId="automation-clocks"
          />
        </div>
      )}
      <Field label={t("moveToLabel")} error={err("moveToCategoryId")}>
        <Select value={f.moveToCategoryId} onChange={(e) => setF({ ...f, moveToCategoryId: e.target.value })} data-testid="automation-move">
          <option value="">{t("noMove")}</option>
          {categories.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
        </Select>
      </Field>
      <div className="md:col-span-2">
        <Picks label={t("assignLabel")} items={staff} chosen={f.assignStaffIds} onChange={(assignStaffIds) => setF({ ...f, assignStaffIds })} testId="automation-staff" />
      </div>
      <div className="md:col-span-3">
        {channels.length > 0 ? (
          <Picks label={t("notifyLabel")} items={channels} chosen={f.notifyChannelIds} onChange={(notifyChannelIds) => setF({ ...f, notifyChannelIds })} testId="automation-channels" />
        ) : (
          <p className="text-sm text-slate-500">{t("noChannels")}</p>
        )}
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={f.enabled} onChange={(e) => setF({ ...f, enabled: e.target.checked })} /> {t("enabled")}
      </label>
      <div className="flex gap-2 md:col-span-3">
        <Button type="submit" disabled={save.isPending} data-testid="automation-save">{t("save")}</Button>
        <Button type="button" variant="ghost" onClick={onDone}>{t("cancel")}</Button>
        {rule && <Button type="button" variant="secondary" onClick={() => remove.mutate({ id: rule.id })} data-testid="automation-delete">{t("delete")}</Button>}
      </div>
      <FormError message={save.error?.data?.fieldErrors ? null : (save.error?.message ?? remove.error?.message ?? null)} />
    </form>
  );
}
