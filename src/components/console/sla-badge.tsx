"use client";

import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import type { QueueItem } from "./types";

type SlaView = QueueItem["sla"];

/** "1天2小时", "3小时5分钟", "12分钟": the time left (or over) at a glance. */
export function useDuration() {
  const t = useTranslations("sla.duration");
  return (minutes: number) => {
    const m = Math.abs(minutes);
    if (m >= 1440) return t("days", { d: Math.floor(m / 1440), h: Math.floor((m % 1440) / 60) });
    if (m >= 60) return t("hours", { h: Math.floor(m / 60), m: m % 60 });
    return t("minutes", { m });
  };
}

/** 即将超时 / 已超时 with the time left, or only the time left while on time. */
export function SlaBadge({ sla }: { sla: SlaView }) {
  const t = useTranslations("sla");
  const duration = useDuration();
  if (!sla) return null;
  const left = sla.minutesLeft >= 0 ? t("left", { time: duration(sla.minutesLeft) }) : t("over", { time: duration(sla.minutesLeft) });
  return (
    <span className="inline-flex items-center gap-1" data-testid="sla-badge" data-sla={sla.badge} title={sla.dueAt}>
      {sla.badge !== "OK" && <Badge tone={sla.badge === "BREACHED" ? "red" : "amber"}>{t(`badge.${sla.badge}`)}</Badge>}
      <span className={`text-xs ${sla.badge === "BREACHED" ? "text-rose-600" : "text-slate-400"}`}>{left}</span>
    </span>
  );
}
