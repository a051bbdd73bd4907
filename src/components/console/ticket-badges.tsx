"use client";

import { useTranslations } from "next-intl";
import { Badge, type Tone } from "@/components/ui/badge";

const STATUS_TONE: Record<string, Tone> = {
  PENDING: "amber",
  PROCESSING: "blue",
  MEMBER_REPLIED: "red",
  REPLIED: "green",
  COMPLETED: "gray",
};

export function StatusBadge({ status }: { status: string }) {
  const t = useTranslations("tickets");
  return <Badge tone={STATUS_TONE[status] ?? "gray"}>{t(`status.${status}`)}</Badge>;
}

/** 上级处理中 / 转移中 / 已回转 / 上级已关闭; nothing for a ticket never escalated. */
export function EscalationBadge({ escalation, awaitingAck }: { escalation: string; awaitingAck?: boolean }) {
  const t = useTranslations("tickets");
  if (escalation === "NONE") return null;
  return <Badge tone="violet">{awaitingAck ? t("escalation.PENDING") : t(`escalation.${escalation}`)}</Badge>;
}

export function PartnerBadge({ name, ticketNo }: { name: string; ticketNo: string | null }) {
  const t = useTranslations("console.queue");
  return (
    <Badge tone="blue" testId="partner-badge">
      {t("partnerBadge", { name, no: ticketNo ?? "-" })}
    </Badge>
  );
}
