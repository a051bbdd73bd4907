import { useTranslations } from "next-intl";

/** `available` is false while a file a 云技术客服 sent is still being fetched from the upstream. */
export type AttachmentView = { id: number; fileName: string; mimeType: string; size: number; available?: boolean };

export const attachmentUrl = (id: number) => `/api/files/attachments/${id}`;

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Images as thumbnails, other files (PDF) as links; both open the download route, which re-checks R7. */
export function AttachmentList({ attachments }: { attachments: AttachmentView[] }) {
  const t = useTranslations("tickets");
  if (attachments.length === 0) return null;
  const ready = attachments.filter((a) => a.available !== false);
  const pending = attachments.filter((a) => a.available === false);
  const images = ready.filter((a) => a.mimeType.startsWith("image/"));
  const files = ready.filter((a) => !a.mimeType.startsWith("image/"));
  return (
    <div className="mt-2 space-y-2">
      {images.length > 0 && (
        <div className="flex flex-wrap gap-2">
          {images.map((a) => (
            <a key={a.id} href={attachmentUrl(a.id)} target="_blank" rel="noreferrer" data-testid="attachment-link" title={a.fileName}>
              {/* eslint-disable-next-line @next/next/no-img-element -- a protected download, not a static asset for next/image */}
              <img src={attachmentUrl(a.id)} alt={a.fileName} className="h-20 w-20 rounded border border-slate-200 bg-white object-cover" />
            </a>
          ))}
        </div>
      )}
      {files.map((a) => (
        <a
          key={a.id}
          href={attachmentUrl(a.id)}
          target="_blank"
          rel="noreferrer"
          data-testid="attachment-link"
          className="flex w-fit items-center gap-2 rounded border border-slate-200 bg-white px-2 py-1 text-xs text-brand-700 hover:bg-brand-50"
        >
          <span aria-hidden>📄</span>
          <span>{a.fileName}</span>
          <span className="text-slate-400">{formatSize(a.size)}</span>
        </a>
      ))}
      {pending.map((a) => (
        <span key={a.id} data-testid="attachment-pending" className="flex w-fit items-center gap-2 rounded border border-dashed border-slate-300 px-2 py-1 text-xs text-slate-600">
          <span aria-hidden>📄</span>
          <span>{a.fileName}</span>
          <span>{t("fileNotYetAvailable")}</span>
        </span>
      ))}
    </div>
  );
}
