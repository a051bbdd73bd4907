"use client";

import { useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/field";
import type { TicketDetail } from "@/components/console/types";
import { HeldReply } from "@/components/live/held-reply";

type Uploaded = { id: number; fileName: string; mimeType: string; size: number };
type Send = (body: string, attachmentIds: number[], done: () => void) => void;
/** A reply also names the last public entry seen when writing began, and hears when it was held. */
type SendReply = (body: string, attachmentIds: number[], done: () => void, seenMessageId: number | undefined, held: () => void) => void;

/** Typing stops counting this long after the last keystroke. */
const TYPING_IDLE_MS = 4_000;

/** The uploads endpoint (built alongside): multipart field `file` → {id, fileName, mimeType, size}. */
async function upload(file: File): Promise<Uploaded> {
  const form = new FormData();
  form.append("file", file);
  const res = await fetch("/api/uploads?purpose=attachment", { method: "POST", body: form });
  if (!res.ok) throw new Error(file.name);
  return (await res.json()) as Uploaded;
}

/** 公开回复 and 内部备注 (仅平台客服可见), with 预设回复 and attachments. */
export function Composer({ controls, busy, messages, lastPublicId, onTyping, onReply, onNote, onUploadError }: {
  controls: TicketDetail["controls"];
  busy: boolean;
  messages: TicketDetail["messages"];
  /** The newest public entry on the page now (live-updated). */
  lastPublicId: number;
  onTyping: (typing: boolean) => void;
  onReply: SendReply;
  onNote: Send;
  onUploadError: (message: string) => void;
}) {
  const t = useTranslations("console.ticket.composer");
  const te = useTranslations("console.errors");
  const trpc = useTRPC();
  const canned = useQuery(trpc.cannedReplies.list.queryOptions(undefined, { enabled: controls.reply || controls.note }));
  const [body, setBody] = useState("");
  const [files, setFiles] = useState<Uploaded[]>([]);
  const [uploading, setUploading] = useState(0);
  const area = useRef<HTMLTextAreaElement>(null);
  // The conversation as it stood when this draft began: a reply is composed against it.
  const [baseline, setBaseline] = useState<number | null>(null);
  const [held, setHeld] = useState(false);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (typingTimer.current && clearTimeout(typingTimer.current)), []);

  const edit = (value: string) => {
    if (body === "" && value !== "") setBaseline(lastPublicId);
    setBody(value);
    onTyping(value !== "");
    if (typingTimer.current) clearTimeout(typingTimer.current);
    typingTimer.current = setTimeout(() => onTyping(false), TYPING_IDLE_MS);
  };

  if (!controls.reply && !controls.note) {
    return <p className="rounded-md border border-slate-200 bg-white px-4 py-3 text-sm text-slate-500">{t("closedHint")}</p>;
  }

  const reset = () => {
    setBody("");
    setFiles([]);
    setBaseline(null);
    setHeld(false);
    onTyping(false);
  };
  const ready = body.trim() !== "" && uploading === 0 && !busy && !held;
  const send = (fn: Send) => fn(body, files.map((f) => f.id), reset);
  const sendReply = (seen: number | null) => onReply(body, files.map((f) => f.id), reset, seen ?? undefined, () => setHeld(true));
  const unseen = baseline === null ? [] : messages.filter((m) => !m.staffOnly && m.id > baseline);

  const insert = (text: string) => {
    const el = area.current;
    const at = el?.selectionStart ?? body.length;
    edit(body.slice(0, at) + text + body.slice(el?.selectionEnd ?? at));
    el?.focus();
  };

  return (
    <section className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="composer">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2>{t("title")}</h2>
        {(canned.data?.length ?? 0) > 0 && (
          <Select
            aria-label={t("canned")}
            data-testid="canned-picker"
            className="w-60"
            value=""
            onChange={(e) => {
              const picked = canned.data?.find((c) => String(c.id) === e.target.value);
              if (picked) insert(picked.body);
            }}
          >
            <option value="">{t("cannedPick")}</option>
            {canned.data?.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </Select>
        )}
      </div>
      {/* A plain textarea: the cursor position is needed to insert a canned reply where it stands. */}
      <textarea
        ref={area}
        className="w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100"
        rows={5}
        value={body}
        placeholder={t("placeholder")}
        data-testid="reply-body"
        onChange={(e) => edit(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && ready && controls.reply) sendReply(baseline);
        }}
      />
      {held && (
        <HeldReply
          unseen={unseen}
          busy={busy}
          onSendAnyway={() => sendReply(lastPublicId)}
          onEdit={() => {
            setBaseline(lastPublicId);
            setHeld(false);
            area.current?.focus();
          }}
        />
      )}
      <div className="flex flex-wrap items-center gap-2 text-xs">
        <label className="cursor-pointer rounded border border-dashed border-slate-300 px-2 py-1 text-slate-600 hover:bg-slate-50">
          {uploading > 0 ? t("uploading") : t("attach")}
          <input
            type="file"
            multiple
            className="hidden"
            data-testid="attachment-input"
            onChange={async (e) => {
              const picked = Array.from(e.target.files ?? []);
              e.target.value = "";
              setUploading((n) => n + picked.length);
              for (const file of picked) {
                try {
                  const done = await upload(file);
                  setFiles((f) => [...f, done]);
                } catch {
                  onUploadError(te("uploadFailed", { name: file.name }));
                } finally {
                  setUploading((n) => n - 1);
                }
              }
            }}
          />
        </label>
        {files.map((f) => (
          <span key={f.id} className="inline-flex items-center gap-1 rounded bg-slate-100 px-2 py-0.5">
            📎 {f.fileName}
            <button type="button" className="text-slate-400 hover:text-rose-600" aria-label={t("remove")} onClick={() => setFiles((all) => all.filter((x) => x.id !== f.id))}>
              ×
            </button>
          </span>
        ))}
      </div>
      <div className="flex flex-wrap items-center justify-end gap-2">
        <span className="mr-auto text-xs text-slate-400">{t("noteHint")}</span>
        {controls.note && (
          <Button variant="secondary" className="border-amber-300 bg-amber-50 text-amber-800 hover:bg-amber-100" disabled={!ready} onClick={() => send(onNote)} data-testid="note-submit">
            {t("note")}
          </Button>
        )}
        {controls.reply && (
          <Button disabled={!ready} onClick={() => sendReply(baseline)} data-testid="reply-submit">
            {t("reply")}
          </Button>
        )}
      </div>
    </section>
  );
}
