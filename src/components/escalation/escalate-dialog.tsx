"use client";

import { useEffect, useRef, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/trpc/react";
import { formatLocal } from "./format";
import { MaskedText } from "./masked-text";

/**
 * 转移到云技术客服, confirmed: the create exactly as the upstream will receive it (the same
 * rendering the worker sends), masked parts highlighted, each public file ticked or not.
 */
export function EscalateDialog({ ticketId, busy, onConfirm, onClose }: { ticketId: number; busy: boolean; onConfirm: (fileIds: number[]) => void; onClose: () => void }) {
  const t = useTranslations("escalation.sharing.dialog");
  const trpc = useTRPC();
  const dialog = useRef<HTMLDialogElement>(null);
  const [fileIds, setFileIds] = useState<number[] | undefined>(undefined);
  const preview = useQuery({ ...trpc.sharing.preview.queryOptions({ ticketId, fileIds }), placeholderData: (prev) => prev });

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  const data = preview.data;
  const ticked = data ? data.shared.messages.flatMap((m) => m.files.filter((f) => f.forwarded).map((f) => f.id)) : [];
  const maskedCount = data ? data.shared.title.masked.length + data.shared.messages.reduce((n, m) => n + m.body.masked.length, 0) : 0;
  const toggle = (id: number, on: boolean) => setFileIds(on ? [...ticked, id] : ticked.filter((x) => x !== id));

  return (
    <dialog
      ref={dialog}
      onClose={onClose}
      aria-labelledby="escalate-dialog-title"
      data-testid="escalate-dialog"
      className="m-auto w-[min(48rem,calc(100vw-2rem))] rounded-lg border border-slate-200 p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      <div className="space-y-3 p-5 text-sm">
        <h2 id="escalate-dialog-title">{t("title")}</h2>
        {preview.error && <p className="text-rose-700" role="alert">{preview.error.message}</p>}
        {!data && !preview.error && <p className="text-slate-600">{t("loading")}</p>}
        {data && (
          <>
            <p className="font-medium">{t("to", { name: data.connectionName })}</p>
            {data.blockedBy && (
              <p role="alert" data-testid="escalate-blocked" className="rounded-md bg-rose-50 px-3 py-2 text-rose-800">
                {t("blocked", { label: data.blockedBy.label, reason: data.blockedBy.reason })}
              </p>
            )}
            {data.reEscalation ? (
              <p className="text-slate-700">{t("reEscalation")}</p>
            ) : (
              <>
                <p className="text-slate-700">
                  {t("intro")} {maskedCount > 0 && <span data-testid="escalate-masked-count">{t("maskedCount", { count: maskedCount })}</span>}
                </p>
                <dl className="grid grid-cols-[6rem_1fr] gap-x-3 gap-y-1">
                  <dt className="text-slate-600">{t("member")}</dt>
                  <dd data-testid="escalate-member">
                    {data.shared.member.id}
                    {["name", "email", "phone", "qq"].flatMap((k) => {
                      const v = (data.shared.member as Record<string, string | undefined>)[k];
                      return v ? [` · ${v}`] : [];
                    })}
                  </dd>
                  {data.business && (
                    <>
                      <dt className="text-slate-600">{t("business")}</dt>
                      <dd data-testid="escalate-business">{[data.business.id, data.business.ip, data.business.type].filter(Boolean).join(" · ")}</dd>
                    </>
                  )}
                  <dt className="text-slate-600">{t("ticketTitle")}</dt>
                  <dd data-testid="escalate-title">
                    <MaskedText value={data.shared.title} />
                  </dd>
                </dl>
                <h3 className="pt-1">{t("messages")}</h3>
                <ol className="max-h-[50vh] space-y-2 overflow-y-auto pr-1" data-testid="escalate-messages">
                  {data.shared.messages.map((m) => (
                    <li key={m.messageId} className="rounded-md border border-slate-200 p-2">
                      <div className="mb-1 text-xs text-slate-600">
                        {m.author.name} · {formatLocal(m.createdAt)}
                      </div>
                      <p className="whitespace-pre-wrap break-words">
                        <MaskedText value={m.body} />
                      </p>
                      {m.files.length > 0 && (
                        <ul className="mt-1 space-y-0.5">
                          {m.files.map((f) => (
                            <li key={f.id}>
                              <label className="flex items-center gap-2">
                                <input type="checkbox" data-testid={`escalate-file-${f.id}`} checked={f.forwarded} onChange={(e) => toggle(f.id, e.target.checked)} />
                                <span>
                                  {t("attach")}: <MaskedText value={f.maskedName} />
                                </span>
                              </label>
                            </li>
                          ))}
                        </ul>
                      )}
                    </li>
                  ))}
                </ol>
              </>
            )}
          </>
        )}
        <div className="flex justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={() => dialog.current?.close()}>
            {t("cancel")}
          </Button>
          <Button data-testid="escalate-confirm" disabled={!data || data.blockedBy !== null || busy} onClick={() => onConfirm(ticked)}>
            {t("confirm")}
          </Button>
        </div>
      </div>
    </dialog>
  );
}
