"use client";

import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { STALE_REPLY_RULE } from "@/lib/live";

/** Whether a failed reply was held by the stale-reply guard (rather than refused for another reason). */
export const isHeldReply = (e: { data?: { rule?: string | null } | null }) => e.data?.rule === STALE_REPLY_RULE;

type Entry = { id: number; author: string; body: string };

/**
 * A reply the server held because public messages came after the last one its writer saw: the
 * new messages, then "send anyway" (the same text, now naming them as seen) or "edit" (keep the
 * draft and write on).
 */
export function HeldReply({ unseen, onSendAnyway, onEdit, busy }: { unseen: Entry[]; onSendAnyway: () => void; onEdit: () => void; busy: boolean }) {
  const t = useTranslations("tickets.live");
  return (
    <div role="alert" data-testid="held-reply" className="space-y-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
      <p className="font-medium">{t("heldTitle")}</p>
      <p className="text-xs">{t("heldCount", { n: unseen.length })}</p>
      <ul className="space-y-1">
        {unseen.map((m) => (
          <li key={m.id} className="rounded border border-amber-200 bg-white px-2 py-1" data-testid="held-new-message">
            <span className="text-xs font-medium text-slate-700">{m.author}</span>
            <div className="line-clamp-3 whitespace-pre-wrap break-words text-slate-800">{m.body}</div>
          </li>
        ))}
      </ul>
      <div className="flex gap-2">
        <Button onClick={onSendAnyway} disabled={busy} data-testid="send-anyway">{t("sendAnyway")}</Button>
        <Button variant="secondary" onClick={onEdit} data-testid="edit-reply">{t("edit")}</Button>
      </div>
    </div>
  );
}
