"use client";

import { useEffect, useRef } from "react";

export type ChartSeries = { name: string; type: "bar" | "line"; data: (number | null)[]; yAxisIndex?: number };

/** One ECharts chart (modular build: bar + line on a grid, loaded only on this page). */
export function Chart({ categories, series, percentAxis, testId }: { categories: string[]; series: ChartSeries[]; percentAxis?: boolean; testId: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let disposed = false;
    let chart: { setOption(o: unknown): void; dispose(): void; resize(): void } | null = null;
    const onResize = () => chart?.resize();
    void (async () => {
      const [core, charts, components, renderers] = await Promise.all([
        import("echarts/core"),
        import("echarts/charts"),
        import("echarts/components"),
        import("echarts/renderers"),
      ]);
      core.use([charts.BarChart, charts.LineChart, components.GridComponent, components.TooltipComponent, components.LegendComponent, renderers.CanvasRenderer]);
      if (disposed || !ref.current) return;
      chart = core.init(ref.current);
      chart.setOption({
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 48, right: percentAxis ? 48 : 16, top: 32, bottom: 28 },
        xAxis: { type: "category", data: categories },
        yAxis: percentAxis ? [{ type: "value" }, { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }] : [{ type: "value" }],
        series,
      });
      window.addEventListener("resize", onResize);
    })();
    return () => {
      disposed = true;
      window.removeEventListener("resize", onResize);
      chart?.dispose();
    };
  }, [categories, series, percentAxis]);
  return <div ref={ref} className="h-64 w-full" data-testid={testId} data-points={categories.join("|")} />;
}
