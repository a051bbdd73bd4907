"use client";

import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import type { TicketDetail } from "@/components/console/types";

const TONE: Record<string, string> = {
  MEMBER: "border-slate-200 bg-white",
  STAFF: "border-brand-100 bg-brand-50/40",
  UPSTREAM_AGENT: "border-violet-100 bg-violet-50/40",
  PARTNER: "border-sky-100 bg-sky-50/40",
  SYSTEM: "border-slate-100 bg-slate-50",
};

function size(bytes: number) {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/**
 * 沟通记录: author line + time as in the manual; staff-only entries carry 仅平台客服可见. Long
 * conversations arrive a page at a time, newest first: 加载更早的消息 fetches the page before.
 */
export function Conversation({
  messages,
  olderAvailable = false,
  loadingOlder = false,
  onLoadOlder,
}: {
  messages: TicketDetail["messages"];
  olderAvailable?: boolean;
  loadingOlder?: boolean;
  onLoadOlder?: () => void;
}) {
  const t = useTranslations("tickets");
  const c = useTranslations("console.ticket");
  const sharing = useTranslations("escalation.sharing");
  return (
    <ol className="space-y-3" data-testid="conversation">
      {olderAvailable && (
        <li className="text-center">
          <button
            type="button"
            data-testid="load-older"
            className="rounded border border-slate-200 px-3 py-1 text-xs text-brand-600 hover:bg-slate-50 disabled:text-slate-400"
            disabled={loadingOlder}
            onClick={onLoadOlder}
          >
            {loadingOlder ? c("loadingOlder") : c("loadOlder")}
          </button>
        </li>
      )}
      {messages.map((m) => (
        <li
          key={m.id}
          data-testid="message"
          data-staff-only={m.staffOnly ? "true" : "false"}
          className={`rounded-md border px-3 py-2 ${m.staffOnly ? "border-amber-200 bg-amber-50/60" : (TONE[m.authorKind] ?? "")}`}
        >
          <div className="flex flex-wrap items-center gap-2 text-xs text-slate-500">
            <span className="font-medium text-slate-700" data-testid="message-author">
              {m.authorKind === "SYSTEM" ? `${m.author}:` : m.author}
            </span>
            <time>{m.createdAt}</time>
            {m.staffOnly && <Badge tone="amber" testId="staff-only">{t("staffOnly")}</Badge>}
            {m.forwarded && (
              <Badge tone="gray" testId="message-forwarded">
                {m.forwarded.masked ? sharing("forwardedMasked") : sharing("forwarded")}
              </Badge>
            )}
          </div>
          <div className="mt-1 whitespace-pre-wrap break-words text-sm text-slate-800" data-testid="message-body">
            {m.body}
          </div>
          {m.attachments.length > 0 && (
            <ul className="mt-2 flex flex-wrap gap-2 text-xs">
              {m.attachments.map((a) => (
                <li key={a.id}>
                  {a.available ? (
                    <a className="rounded border border-slate-200 bg-white px-2 py-0.5 text-brand-600 hover:underline" href={`/api/files/attachments/${a.id}`} target="_blank" rel="noreferrer">
                      📎 {a.fileName} <span className="text-slate-400">({size(a.size)})</span>
                    </a>
                  ) : (
                    <span className="rounded border border-dashed border-slate-300 px-2 py-0.5 text-slate-600" data-testid="attachment-pending">
                      📎 {a.fileName} · {t("fileNotYetAvailable")}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ol>
  );
}
