"use client";

import { useTranslations } from "next-intl";
import { useRef, useState } from "react";
import type { AttachmentView } from "./attachment-list";

type UploadAnswer = AttachmentView | { error?: { code?: string; message?: string } };

/**
 * Uploads each chosen file at once to the upload route (the files then wait, unclaimed, until the
 * ticket or reply is sent with their ids). Images and PDFs; the route re-checks type and size.
 */
export function AttachmentPicker({
  value,
  onChange,
  max = 10,
}: {
  value: AttachmentView[];
  onChange: (next: AttachmentView[]) => void;
  max?: number;
}) {
  const t = useTranslations("portal.attachments");
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function upload(files: FileList) {
    setBusy(true);
    setError(null);
    const added: AttachmentView[] = [];
    for (const file of Array.from(files).slice(0, max - value.length)) {
      const form = new FormData();
      form.append("file", file);
      try {
        const res = await fetch("/api/uploads?purpose=attachment", { method: "POST", body: form });
        const answer = (await res.json().catch(() => ({}))) as UploadAnswer;
        if (!res.ok || !("id" in answer)) {
          setError(("error" in answer && answer.error?.message) || t("uploadFailed"));
          break;
        }
        added.push(answer);
      } catch {
        setError(t("uploadFailed"));
        break;
      }
    }
    onChange([...value, ...added]);
    setBusy(false);
    if (input.current) input.current.value = "";
  }

  return (
    <div className="space-y-2">
      <div className="flex items-center gap-3">
        <button
          type="button"
          disabled={busy || value.length >= max}
          onClick={() => input.current?.click()}
          className="rounded-md border border-dashed border-slate-300 px-3 py-1.5 text-sm text-slate-600 hover:border-brand-500 hover:text-brand-600 disabled:opacity-50"
        >
          {busy ? t("uploading") : `+ ${t("add")}`}
        </button>
        <span className="text-xs text-slate-400">{t("hint")}</span>
        <input
          ref={input}
          type="file"
          multiple
          accept="image/*,application/pdf"
          className="hidden"
          data-testid="attachment-input"
          onChange={(e) => e.target.files && e.target.files.length > 0 && void upload(e.target.files)}
        />
      </div>
      {error && <p className="text-xs text-rose-600" data-testid="attachment-error">{error}</p>}
      {value.length > 0 && (
        <ul className="flex flex-wrap gap-2">
          {value.map((a) => (
            <li key={a.id} data-testid="attachment-item" className="flex items-center gap-2 rounded bg-slate-100 px-2 py-1 text-xs text-slate-700">
              <span>{a.fileName}</span>
              <button type="button" className="text-slate-400 hover:text-rose-600" onClick={() => onChange(value.filter((x) => x.id !== a.id))}>
                {t("remove")}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
