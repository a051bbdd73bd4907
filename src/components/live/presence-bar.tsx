"use client";

import { useTranslations } from "next-intl";

type Person = { staffId: number; name: string; typing: boolean; since: Date };

const clock = (d: Date) => new Date(d).toLocaleTimeString("sv-SE", { hour: "2-digit", minute: "2-digit" });

/** Who else is on this ticket page: name, since when, and whether they are typing (正在输入). */
export function PresenceBar({ people }: { people: Person[] }) {
  const t = useTranslations("tickets.live");
  if (people.length === 0) return null;
  return (
    <div className="flex flex-wrap items-center gap-2 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-1.5 text-sm text-emerald-900" data-testid="presence-bar" aria-live="polite">
      <span className="text-xs font-medium">{t("others")}:</span>
      {people.map((p) => (
        <span key={p.staffId} className="inline-flex items-center gap-1" data-testid="presence-person" data-typing={p.typing ? "true" : "false"}>
          <span aria-hidden className={`h-2 w-2 rounded-full ${p.typing ? "animate-pulse bg-amber-600" : "bg-emerald-600"}`} />
          <span className="font-medium">{p.name}</span>
          <span className="text-xs">
            {p.typing ? t("typing") : t("viewing")} · {t("since", { time: clock(p.since) })}
          </span>
        </span>
      ))}
    </div>
  );
}
