"use client";

import { useMemo, useState } from "react";
import { useTranslations } from "next-intl";
import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import { useTRPC } from "@/trpc/react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormError, Input, Select } from "@/components/ui/field";
import { Chart, type ChartSeries } from "./chart";

type Report = inferRouterOutputs<AppRouter>["reports"]["get"];
type Dimension = Report["dimension"];
const DIMENSIONS: Dimension[] = ["day", "staff", "category", "upstream"];

/** 报表: a date range and a dimension → charts, a table beside them, CSV. */
export function Reports({ initial }: { initial: Report }) {
  const t = useTranslations("sla.reports");
  const trpc = useTRPC();
  const [form, setForm] = useState({ from: initial.range.from, to: initial.range.to, dimension: initial.dimension });
  // {} is the page's first report (the service's default range), which the server already ran.
  const [query, setQuery] = useState<{ from?: string; to?: string; dimension?: Dimension }>({});
  const report = useQuery(trpc.reports.get.queryOptions(query, { placeholderData: (prev) => prev, initialData: Object.keys(query).length === 0 ? initial : undefined }));
  const data = report.data;

  const charts = useMemo(() => {
    if (!data) return null;
    const categories = data.lines.map((l) => l.label);
    const volume: ChartSeries[] = [
      { name: t("columns.tickets"), type: "bar", data: data.lines.map((l) => l.tickets) },
      { name: t("columns.slaMetPct"), type: "line", data: data.lines.map((l) => l.slaMetPct), yAxisIndex: 1 },
    ];
    const times: ChartSeries[] = [
      { name: t("columns.firstResponseAvg"), type: "bar", data: data.lines.map((l) => l.firstResponseAvg) },
      { name: t("columns.resolutionAvg"), type: "bar", data: data.lines.map((l) => l.resolutionAvg) },
    ];
    const vendor: ChartSeries[] = [
      { name: t("columns.upstreamAckAvg"), type: "bar", data: data.lines.map((l) => l.upstreamAckAvg) },
      { name: t("columns.upstreamFirstReplyAvg"), type: "bar", data: data.lines.map((l) => l.upstreamFirstReplyAvg) },
      { name: t("columns.upstreamSettleAvg"), type: "bar", data: data.lines.map((l) => l.upstreamSettleAvg) },
    ];
    return { categories, volume, times, vendor };
  }, [data, t]);

  const download = () => {
    if (!data) return;
    const url = URL.createObjectURL(new Blob([data.csv], { type: "text/csv;charset=utf-8" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = data.filename;
    a.click();
    URL.revokeObjectURL(url);
  };

  return (
    <div className="space-y-4">
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(form);
        }}
      >
        <label className="text-xs text-slate-500">
          {t("from")}
          <Input type="date" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} data-testid="report-from" />
        </label>
        <label className="text-xs text-slate-500">
          {t("to")}
          <Input type="date" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} data-testid="report-to" />
        </label>
        <label className="text-xs text-slate-500">
          {t("dimension")}
          <Select value={form.dimension} onChange={(e) => setForm({ ...form, dimension: e.target.value as Dimension })} data-testid="report-dimension">
            {DIMENSIONS.map((d) => <option key={d} value={d}>{t(`dimensions.${d}`)}</option>)}
          </Select>
        </label>
        <Button type="submit" data-testid="report-run">{t("run")}</Button>
        <Button type="button" variant="secondary" onClick={download} disabled={!data} data-testid="report-csv">{t("csv")}</Button>
        {data && <span className="text-xs text-slate-400">{t("zone", { zone: data.range.timeZone })}</span>}
      </form>
      <FormError message={report.error?.message ?? null} />
      {data && charts && (
        <>
          <div className="grid gap-4 xl:grid-cols-2">
            <Card title={t("charts.volume")}>
              <Chart testId="report-chart-volume" categories={charts.categories} series={charts.volume} percentAxis />
            </Card>
            <Card title={t("charts.times")}>
              <Chart testId="report-chart-times" categories={charts.categories} series={charts.times} />
            </Card>
            {data.dimension === "upstream" && (
              <Card title={t("charts.vendor")}>
                <Chart testId="report-chart-vendor" categories={charts.categories} series={charts.vendor} />
              </Card>
            )}
          </div>
          <Card title={t(`dimensions.${data.dimension}`)}>
            {data.lines.length === 0 ? (
              <p className="text-sm text-slate-500">{t("empty")}</p>
            ) : (
              <div className="overflow-x-auto">
                <table className="w-full text-sm" data-testid="report-table">
                  <thead className="text-left text-xs text-slate-500">
                    <tr>{data.columns.map((c) => <th key={c} className="px-2 py-1">{t(`columns.${c}`)}</th>)}</tr>
                  </thead>
                  <tbody>
                    {[...data.lines, ...(data.total ? [data.total] : [])].map((l) => (
                      <tr key={l.key} className="border-t border-slate-100" data-testid="report-row">
                        {data.columns.map((c) => <td key={c} className="px-2 py-1 whitespace-nowrap">{l[c] ?? "-"}</td>)}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Card>
        </>
      )}
    </div>
  );
}
