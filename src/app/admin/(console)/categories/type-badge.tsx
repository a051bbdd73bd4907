import { Badge, type Tone } from "@/components/ui/badge";

const TONE: Record<string, Tone> = { NORMAL: "gray", BUSINESS_TECH: "blue", ICP_FILING: "amber", TRADEMARK: "violet", OTHER: "green" };

export function TypeBadge({ type, label }: { type: string; label: string }) {
  return <Badge tone={TONE[type] ?? "gray"}>{label}</Badge>;
}
