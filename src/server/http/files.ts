import "server-only";
import { getDb } from "../db/index.ts";
import { notFound } from "../errors.ts";
import { getViewer } from "../request-viewer.ts";
import { readAttachment, readCategoryIcon } from "../services/file-service.ts";
import { getBlobStore } from "../storage/index.ts";
import { contentDisposition, errorResponse, requestLocale } from "./respond.ts";

/** Stored files are never interpreted by the browser as anything but their stored type. */
const SAFE_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": "default-src 'none'; img-src 'self'; sandbox",
};

/** GET /api/files/attachments/<id>: R7 decides; anything not allowed is a plain 404. */
export async function handleAttachmentDownload(req: Request, idParam: string): Promise<Response> {
  const locale = requestLocale(req);
  try {
    if (!/^\d{1,9}$/.test(idParam)) throw notFound("attachment");
    const file = await readAttachment(await getDb(), getBlobStore(), await getViewer(), Number(idParam));
    return new Response(Buffer.from(file.bytes), {
      headers: {
        ...SAFE_HEADERS,
        "Content-Type": file.mimeType,
        "Content-Length": String(file.bytes.length),
        // Images open in the page; PDFs download (a PDF viewer is a larger attack surface).
        "Content-Disposition": contentDisposition(file.inline ? "inline" : "attachment", file.fileName),
        // Access depends on who asks: never kept by shared caches.
        "Cache-Control": "private, no-cache",
      },
    });
  } catch (e) {
    return errorResponse(e, locale, "files.attachments");
  }
}

/** GET /api/files/icons/<sha256>: public; the key is the content hash, so it never changes. */
export async function handleIconDownload(req: Request, key: string): Promise<Response> {
  try {
    const icon = await readCategoryIcon(await getDb(), getBlobStore(), key);
    return new Response(Buffer.from(icon.bytes), {
      headers: {
        ...SAFE_HEADERS,
        "Content-Type": icon.mimeType,
        "Content-Length": String(icon.bytes.length),
        "Cache-Control": "public, max-age=31536000, immutable",
      },
    });
  } catch (e) {
    return errorResponse(e, requestLocale(req), "files.icons");
  }
}
