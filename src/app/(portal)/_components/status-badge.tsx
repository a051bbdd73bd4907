import { useTranslations } from "next-intl";
import { Badge, type Tone } from "@/components/ui/badge";

export type TicketStatus = "PENDING" | "PROCESSING" | "REPLIED" | "MEMBER_REPLIED" | "COMPLETED";

// 已回复 is the one the member must act on, so it stands out; 已完成 recedes.
const TONE: Record<TicketStatus, Tone> = {
  PENDING: "amber",
  PROCESSING: "blue",
  REPLIED: "green",
  MEMBER_REPLIED: "violet",
  COMPLETED: "gray",
};

export function StatusBadge({ status }: { status: TicketStatus }) {
  const t = useTranslations("tickets");
  return (
    <Badge tone={TONE[status]} testId="status-badge">
      {t(`status.${status}`)}
    </Badge>
  );
}
