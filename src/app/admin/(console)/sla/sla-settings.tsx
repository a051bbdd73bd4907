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
import { formatPeriods, parsePeriods, type Period } from "./periods";

type Settings = inferRouterOutputs<AppRouter>["sla"]["settings"];
type Calendar = Settings["calendars"][number];
type Policy = Settings["policies"][number];

function useInvalidate() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.sla.settings.queryKey() });
}

/** 工作日历, SLA 策略 and 上级资源计时 on one page. */
export function SlaSettings() {
  const trpc = useTRPC();
  const settings = useQuery(trpc.sla.settings.queryOptions());
  const options = useQuery(trpc.console.options.queryOptions());
  if (!settings.data) return null;
  const categories = options.data?.groups.flatMap((g) => g.categories) ?? [];
  return (
    <div className="space-y-4">
      <Policies policies={settings.data.policies} calendars={settings.data.calendars} categories={categories} />
      <Calendars calendars={settings.data.calendars} />
      <Upstreams upstreams={settings.data.upstreams} calendars={settings.data.calendars} />
    </div>
  );
}

const numberOrNull = (v: string) => (v.trim() === "" ? null : Number(v));

function Policies({ policies, calendars, categories }: { policies: Policy[]; calendars: Calendar[]; categories: { id: number; name: string }[] }) {
  const t = useTranslations("sla.admin");
  const [editing, setEditing] = useState<Policy | "new" | null>(null);
  const minutes = (n: number | null) => (n === null ? t("none") : t("minutes", { n }));
  return (
    <Card title={t("policies")} actions={<Button data-testid="sla-policy-add" onClick={() => setEditing("new")}>{t("newPolicy")}</Button>}>
      {policies.length === 0 ? (
        <p className="text-sm text-slate-500">{t("noPolicies")}</p>
      ) : (
        <table className="w-full text-sm" data-testid="sla-policies">
          <thead className="text-left text-xs text-slate-500">
            <tr>
              <th className="py-1">{t("name")}</th>
              <th>{t("category")}</th>
              <th>{t("calendar")}</th>
              <th>{t("firstResponse")}</th>
              <th>{t("nextResponse")}</th>
              <th>{t("resolution")}</th>
              <th>{t("warnPercent")}</th>
              <th>{t("autoCloseDays")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {policies.map((p) => (
              <tr key={p.id} className="border-t border-slate-100" data-testid="sla-policy-row">
                <td className="py-1.5">
                  {p.name} {!p.enabled && <Badge>{t("off")}</Badge>}
                </td>
                <td>{p.categoryName ?? t("allCategories")}</td>
                <td>{p.calendarName}</td>
                <td>{minutes(p.firstResponseMinutes)}</td>
                <td>{minutes(p.nextResponseMinutes)}</td>
                <td>{minutes(p.resolutionMinutes)}</td>
                <td>{p.warnPercent}%</td>
                <td>{p.autoCloseDays ?? t("off")}</td>
                <td className="text-right">
                  <Button variant="secondary" onClick={() => setEditing(p)}>{t("editCalendar")}</Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && <PolicyForm key={editing === "new" ? "new" : editing.id} policy={editing === "new" ? null : editing} calendars={calendars} categories={categories} onDone={() => setEditing(null)} />}
    </Card>
  );
}

function PolicyForm({ policy, calendars, categories, onDone }: { policy: Policy | null; calendars: Calendar[]; categories: { id: number; name: string }[]; onDone: () => void }) {
  const t = useTranslations("sla.admin");
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const [f, setF] = useState({
    name: policy?.name ?? "",
    calendarId: String(policy?.calendarId ?? calendars[0]?.id ?? ""),
    categoryId: policy?.categoryId ? String(policy.categoryId) : "",
    firstResponseMinutes: policy?.firstResponseMinutes?.toString() ?? "",
    nextResponseMinutes: policy?.nextResponseMinutes?.toString() ?? "",
    resolutionMinutes: policy?.resolutionMinutes?.toString() ?? "",
    warnPercent: String(policy?.warnPercent ?? 80),
    autoCloseDays: policy?.autoCloseDays?.toString() ?? "",
    enabled: policy?.enabled ?? true,
  });
  const save = useMutation(trpc.sla.savePolicy.mutationOptions({ onSuccess: async () => { await invalidate(); onDone(); } }));
  const remove = useMutation(trpc.sla.deletePolicy.mutationOptions({ onSuccess: async () => { await invalidate(); onDone(); } }));
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const err = (k: string) => fieldError(save.error, k);
  return (
    <form
      className="mt-4 grid gap-3 border-t border-slate-100 pt-4 md:grid-cols-3"
      data-testid="sla-policy-form"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({
          ...(policy ? { id: policy.id } : {}),
          name: f.name,
          calendarId: Number(f.calendarId),
          categoryId: f.categoryId ? Number(f.categoryId) : null,
          firstResponseMinutes: numberOrNull(f.firstResponseMinutes),
          nextResponseMinutes: numberOrNull(f.nextResponseMinutes),
          resolutionMinutes: numberOrNull(f.resolutionMinutes),
          warnPercent: Number(f.warnPercent),
          autoCloseDays: numberOrNull(f.autoCloseDays),
          enabled: f.enabled,
        });
      }}
    >
      <Field label={t("name")} required error={err("name")}>
        <Input value={f.name} onChange={set("name")} data-testid="sla-policy-name" />
      </Field>
      <Field label={t("category")} error={err("categoryId")}>
        <Select value={f.categoryId} onChange={set("categoryId")} data-testid="sla-policy-category">
          <option value="">{t("allCategories")}</option>
          {categories.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
        </Select>
      </Field>
      <Field label={t("calendar")} required error={err("calendarId")}>
        <Select value={f.calendarId} onChange={set("calendarId")} data-testid="sla-policy-calendar">
          {calendars.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
        </Select>
      </Field>
      <Field label={t("firstResponse")} error={err("firstResponseMinutes")}>
        <Input inputMode="numeric" value={f.firstResponseMinutes} onChange={set("firstResponseMinutes")} data-testid="sla-policy-first" />
      </Field>
      <Field label={t("nextResponse")} error={err("nextResponseMinutes")}>
        <Input inputMode="numeric" value={f.nextResponseMinutes} onChange={set("nextResponseMinutes")} />
      </Field>
      <Field label={t("resolution")} error={err("resolutionMinutes")}>
        <Input inputMode="numeric" value={f.resolutionMinutes} onChange={set("resolutionMinutes")} data-testid="sla-policy-resolution" />
      </Field>
      <Field label={t("warnPercent")} error={err("warnPercent")}>
        <Input inputMode="numeric" value={f.warnPercent} onChange={set("warnPercent")} />
      </Field>
      <Field label={t("autoCloseDays")} error={err("autoCloseDays")}>
        <Input inputMode="numeric" value={f.autoCloseDays} onChange={set("autoCloseDays")} />
      </Field>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={f.enabled} onChange={(e) => setF({ ...f, enabled: e.target.checked })} /> {t("enabled")}
      </label>
      <div className="flex gap-2 md:col-span-3">
        <Button type="submit" disabled={save.isPending} data-testid="sla-policy-save">{t("save")}</Button>
        <Button type="button" variant="ghost" onClick={onDone}>{t("cancel")}</Button>
        {policy && <Button type="button" variant="secondary" onClick={() => remove.mutate({ id: policy.id })}>{t("delete")}</Button>}
      </div>
      <FormError message={save.error?.data?.fieldErrors ? null : (save.error?.message ?? remove.error?.message ?? null)} />
    </form>
  );
}

function Calendars({ calendars }: { calendars: Calendar[] }) {
  const t = useTranslations("sla.admin");
  const weekdays = t.raw("weekdays") as string[];
  const [editing, setEditing] = useState<Calendar | "new" | null>(null);
  return (
    <Card title={t("calendars")} actions={<Button onClick={() => setEditing("new")} data-testid="sla-calendar-add">{t("newCalendar")}</Button>}>
      <ul className="divide-y divide-slate-100">
        {calendars.map((c) => (
          <li key={c.id} className="space-y-2 py-3 text-sm" data-testid="sla-calendar">
            <div className="flex flex-wrap items-center gap-2">
              <span className="font-medium">{c.name}</span>
              <Badge tone="blue">{c.timeZone}</Badge>
              <Button className="ml-auto" variant="secondary" onClick={() => setEditing(c)}>{t("editCalendar")}</Button>
            </div>
            <div className="flex flex-wrap gap-x-4 text-xs text-slate-600">
              {c.weekly.map((d, i) => (
                <span key={i}>
                  {weekdays[i]} {d.length ? formatPeriods(d) : t("rest")}
                </span>
              ))}
            </div>
            <CalendarDays calendar={c} />
          </li>
        ))}
      </ul>
      {editing && <CalendarForm key={editing === "new" ? "new" : editing.id} calendar={editing === "new" ? null : editing} onDone={() => setEditing(null)} />}
    </Card>
  );
}

function CalendarDays({ calendar }: { calendar: Calendar }) {
  const t = useTranslations("sla.admin");
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const [day, setDay] = useState({ date: "", working: "false", note: "" });
  const add = useMutation(trpc.sla.setDay.mutationOptions({ onSuccess: async () => { setDay({ date: "", working: "false", note: "" }); await invalidate(); } }));
  const remove = useMutation(trpc.sla.deleteDay.mutationOptions({ onSuccess: () => invalidate() }));
  return (
    <details className="rounded border border-slate-100 px-3 py-2">
      <summary className="cursor-pointer text-xs text-slate-600">
        {t("days")} ({calendar.days.length})
      </summary>
      {calendar.days.length === 0 ? (
        <p className="py-1 text-xs text-slate-400">{t("noDays")}</p>
      ) : (
        <ul className="grid grid-cols-2 gap-1 py-2 text-xs md:grid-cols-4">
          {calendar.days.map((d) => (
            <li key={d.date} className="flex items-center gap-1">
              <span className="font-mono">{d.date}</span>
              <Badge tone={d.working ? "amber" : "green"}>{d.working ? t("dayWorking") : t("dayHoliday")}</Badge>
              <span className="text-slate-500">{d.note}</span>
              <button type="button" className="text-rose-600" aria-label={t("delete")} onClick={() => remove.mutate({ calendarId: calendar.id, date: d.date })}>×</button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate({ calendarId: calendar.id, date: day.date, working: day.working === "true", note: day.note });
        }}
      >
        <Input type="date" className="w-40" value={day.date} onChange={(e) => setDay({ ...day, date: e.target.value })} aria-label={t("date")} />
        <Select className="w-36" value={day.working} onChange={(e) => setDay({ ...day, working: e.target.value })} aria-label={t("days")}>
          <option value="false">{t("dayHoliday")}</option>
          <option value="true">{t("dayWorking")}</option>
        </Select>
        <Input className="w-40" value={day.note} onChange={(e) => setDay({ ...day, note: e.target.value })} placeholder={t("note")} aria-label={t("note")} />
        <Button type="submit" variant="secondary" disabled={add.isPending}>{t("addDay")}</Button>
        <FormError message={fieldError(add.error, "date") ?? add.error?.message ?? null} />
      </form>
    </details>
  );
}

function CalendarForm({ calendar, onDone }: { calendar: Calendar | null; onDone: () => void }) {
  const t = useTranslations("sla.admin");
  const weekdays = t.raw("weekdays") as string[];
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const [name, setName] = useState(calendar?.name ?? "");
  const [timeZone, setTimeZone] = useState(calendar?.timeZone ?? "Asia/Shanghai");
  const [days, setDays] = useState<string[]>((calendar?.weekly ?? Array.from({ length: 7 }, () => [])).map((d: Period[]) => formatPeriods(d)));
  const [parseError, setParseError] = useState<string | null>(null);
  const save = useMutation(trpc.sla.saveCalendar.mutationOptions({ onSuccess: async () => { await invalidate(); onDone(); } }));
  const remove = useMutation(trpc.sla.deleteCalendar.mutationOptions({ onSuccess: async () => { await invalidate(); onDone(); } }));
  return (
    <form
      className="mt-4 space-y-3 border-t border-slate-100 pt-4"
      onSubmit={(e) => {
        e.preventDefault();
        const weekly = days.map(parsePeriods);
        if (weekly.some((d) => d === null)) return setParseError(t("periodsParse"));
        setParseError(null);
        save.mutate({ ...(calendar ? { id: calendar.id } : {}), name, timeZone, weekly: weekly as Period[][] });
      }}
    >
      <div className="grid gap-3 md:grid-cols-2">
        <Field label={t("name")} required error={fieldError(save.error, "name")}>
          <Input value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label={t("timeZone")} required error={fieldError(save.error, "timeZone")}>
          <Input value={timeZone} onChange={(e) => setTimeZone(e.target.value)} />
        </Field>
      </div>
      <Field label={t("weekly")} help={t("weeklyHint")} error={parseError ?? fieldError(save.error, "weekly")}>
        <div className="grid gap-2 md:grid-cols-2">
          {days.map((d, i) => (
            <label key={i} className="flex items-center gap-2 text-sm">
              <span className="w-10 text-slate-600">{weekdays[i]}</span>
              <Input value={d} placeholder={t("rest")} onChange={(e) => setDays(days.map((x, j) => (j === i ? e.target.value : x)))} />
            </label>
          ))}
        </div>
      </Field>
      <div className="flex gap-2">
        <Button type="submit" disabled={save.isPending}>{t("save")}</Button>
        <Button type="button" variant="ghost" onClick={onDone}>{t("cancel")}</Button>
        {calendar && !calendar.inUse && <Button type="button" variant="secondary" onClick={() => remove.mutate({ id: calendar.id })}>{t("delete")}</Button>}
      </div>
      <FormError message={save.error?.data?.fieldErrors ? null : (save.error?.message ?? remove.error?.message ?? null)} />
    </form>
  );
}

function Upstreams({ upstreams, calendars }: { upstreams: Settings["upstreams"]; calendars: Calendar[] }) {
  const t = useTranslations("sla.admin");
  return (
    <Card title={t("upstreams")}>
      {upstreams.length === 0 ? (
        <p className="text-sm text-slate-500">{t("noUpstreams")}</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {upstreams.map((u) => <UpstreamRow key={u.connectionId} upstream={u} calendars={calendars} />)}
        </ul>
      )}
    </Card>
  );
}

function UpstreamRow({ upstream, calendars }: { upstream: Settings["upstreams"][number]; calendars: Calendar[] }) {
  const t = useTranslations("sla.admin");
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const p = upstream.policy;
  const [f, setF] = useState({ calendarId: String(p?.calendarId ?? calendars[0]?.id ?? ""), ack: p?.ackMinutes?.toString() ?? "", resolution: p?.resolutionMinutes?.toString() ?? "", warn: String(p?.warnPercent ?? 80) });
  const save = useMutation(trpc.sla.saveUpstreamPolicy.mutationOptions({ onSuccess: () => invalidate() }));
  return (
    <li className="py-3 text-sm">
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ connectionId: upstream.connectionId, calendarId: Number(f.calendarId), ackMinutes: numberOrNull(f.ack), resolutionMinutes: numberOrNull(f.resolution), warnPercent: Number(f.warn) });
        }}
      >
        <span className="w-32 font-medium">{upstream.name}</span>
        <Field label={t("calendar")}>
          <Select value={f.calendarId} onChange={(e) => setF({ ...f, calendarId: e.target.value })}>
            {calendars.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </Select>
        </Field>
        <Field label={t("upstreamAck")} error={fieldError(save.error, "ackMinutes")}>
          <Input className="w-28" inputMode="numeric" value={f.ack} onChange={(e) => setF({ ...f, ack: e.target.value })} />
        </Field>
        <Field label={t("upstreamResolution")} error={fieldError(save.error, "resolutionMinutes")}>
          <Input className="w-28" inputMode="numeric" value={f.resolution} onChange={(e) => setF({ ...f, resolution: e.target.value })} />
        </Field>
        <Field label={t("warnPercent")} error={fieldError(save.error, "warnPercent")}>
          <Input className="w-20" inputMode="numeric" value={f.warn} onChange={(e) => setF({ ...f, warn: e.target.value })} />
        </Field>
        <Button type="submit" variant="secondary" disabled={save.isPending}>{t("save")}</Button>
        {save.isSuccess && <span className="text-xs text-emerald-700">{t("saved")}</span>}
      </form>
    </li>
  );
}
