import { useTranslations } from "next-intl";
import { formatDateTime } from "@/lib/datetime";
import { AttachmentList, type AttachmentView } from "./attachment-list";

export type ConversationEntry = {
  id: number;
  authorKind: "MEMBER" | "STAFF" | "UPSTREAM_AGENT" | "PARTNER" | "SYSTEM";
  author: string;
  body: string;
  createdAt: Date;
  attachments: AttachmentView[];
};

/**
 * 沟通记录: the member on the right, support (staff and 云技术客服) on the left, system messages
 * as a centred line. Bodies are plain text: React escapes them and pre-wrap keeps the line breaks.
 */
export function Conversation({ entries, timeZone }: { entries: ConversationEntry[]; timeZone: string }) {
  const t = useTranslations("portal.detail");
  if (entries.length === 0) return <p className="text-sm text-slate-500">{t("noMessages")}</p>;
  return (
    <ol className="space-y-4" data-testid="conversation">
      {entries.map((m) => {
        const time = formatDateTime(m.createdAt, timeZone);
        if (m.authorKind === "SYSTEM") {
          return (
            <li key={m.id} data-testid="message" data-author="system" className="flex justify-center">
              <div className="rounded-full bg-slate-100 px-3 py-1 text-xs text-slate-600">
                <span className="font-medium">{m.author}:</span> <span className="whitespace-pre-wrap">{m.body}</span>
                <span className="ml-2 text-slate-400">{time}</span>
              </div>
            </li>
          );
        }
        const mine = m.authorKind === "MEMBER";
        return (
          <li key={m.id} data-testid="message" data-author={mine ? "member" : "support"} className={`flex ${mine ? "justify-end" : "justify-start"}`}>
            <div className={`max-w-[85%] ${mine ? "items-end text-right" : "items-start"} flex flex-col`}>
              <div className="mb-1 text-xs text-slate-500">
                <span className={`font-medium ${mine ? "text-brand-700" : "text-slate-700"}`}>{m.author}</span>
                <span className="ml-2">{time}</span>
              </div>
              <div
                className={`rounded-lg px-3 py-2 text-left text-sm leading-relaxed shadow-sm ${
                  mine ? "rounded-tr-none bg-brand-600 text-white" : "rounded-tl-none border border-slate-200 bg-white text-slate-800"
                }`}
              >
                <p className="whitespace-pre-wrap break-words" data-testid="message-body">
                  {m.body}
                </p>
              </div>
              <AttachmentList attachments={m.attachments} />
            </div>
          </li>
        );
      })}
    </ol>
  );
}
