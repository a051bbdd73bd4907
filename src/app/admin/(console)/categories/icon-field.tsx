"use client";

import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { ChoiceRow } from "./choice-row";

type UploadAnswer = { iconKey?: string; error?: { message?: string } };

/**
 * ICON图标: uploads at once (POST /api/uploads?purpose=icon) and keeps only the returned content
 * key; the preview shows the local file, since the server serves an icon only once a category uses it.
 */
export function IconField({ iconKey, iconUrl, onChange }: { iconKey: string | null; iconUrl: string | null; onChange: (key: string | null) => void }) {
  const t = useTranslations("categories");
  const input = useRef<HTMLInputElement>(null);
  const [preview, setPreview] = useState<string | null>(iconKey ? iconUrl : null);
  const [error, setError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);

  useEffect(() => () => void (preview?.startsWith("blob:") && URL.revokeObjectURL(preview)), [preview]);

  async function upload(file: File) {
    setUploading(true);
    setError(null);
    try {
      const body = new FormData();
      body.append("file", file);
      const res = await fetch("/api/uploads?purpose=icon", { method: "POST", body });
      const answer = (await res.json().catch(() => ({}))) as UploadAnswer;
      if (!res.ok || !answer.iconKey) throw new Error(answer.error?.message ?? t("uploads.errors.failed"));
      onChange(answer.iconKey);
      setPreview(URL.createObjectURL(file));
    } catch (e) {
      setError(e instanceof Error ? e.message : t("uploads.errors.failed"));
    } finally {
      setUploading(false);
      if (input.current) input.current.value = "";
    }
  }

  return (
    <ChoiceRow label={t("form.icon")} help={t("form.help.icon")} error={error}>
      <div className="flex items-center gap-3">
        <div className="flex h-14 w-28 items-center justify-center rounded-md border border-dashed border-slate-300 bg-slate-50">
          {preview ? (
            // A local blob: URL or a tiny immutable icon; nothing for the image optimizer to do.
            // eslint-disable-next-line @next/next/no-img-element
            <img src={preview} alt={t("form.iconPreview")} data-testid="icon-preview" className="max-h-14 max-w-28 object-contain" />
          ) : (
            <span className="text-2xl text-slate-300">+</span>
          )}
        </div>
        <div className="space-y-1">
          <input
            ref={input}
            type="file"
            accept="image/png,image/jpeg,image/webp"
            data-testid="icon-input"
            className="hidden"
            onChange={(e) => e.target.files?.[0] && upload(e.target.files[0])}
          />
          <div className="flex gap-2">
            <Button type="button" variant="secondary" disabled={uploading} onClick={() => input.current?.click()}>
              {uploading ? t("form.iconUploading") : t("form.iconUpload")}
            </Button>
            {iconKey && (
              <Button type="button" variant="ghost" onClick={() => (onChange(null), setPreview(null))}>
                {t("form.iconRemove")}
              </Button>
            )}
          </div>
          <p className="text-xs text-slate-500">{t("form.iconHint")}</p>
        </div>
      </div>
    </ChoiceRow>
  );
}
