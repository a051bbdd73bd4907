import "server-only";
import { z } from "zod";
import { UPLOAD_POLICIES } from "../domain/file-types.ts";
import { getDb } from "../db/index.ts";
import { AppError } from "../errors.ts";
import { rateLimitsFor } from "../rate-limits.ts";
import { getViewer } from "../request-viewer.ts";
import { storeCategoryIcon, uploadAttachment } from "../services/file-service.ts";
import { getBlobStore } from "../storage/index.ts";
import type { Viewer } from "../viewer.ts";
import { readSingleFile, type ReadFileResult } from "./multipart.ts";
import { errorResponse, requestLocale } from "./respond.ts";

const ZPurpose = z.enum(["icon", "attachment"]);

/**
 * POST /api/uploads?purpose=icon|attachment, multipart field `file`.
 * icon (staff) → { iconKey }; attachment (member or staff) → { id, fileName, mimeType, size }.
 * Who may upload is decided before a byte of the body is read.
 */
export async function handleUpload(req: Request): Promise<Response> {
  const locale = requestLocale(req);
  try {
    const purpose = ZPurpose.safeParse(new URL(req.url).searchParams.get("purpose"));
    if (!purpose.success) throw new AppError("VALIDATION", "categories.uploads.errors.purpose");
    const viewer = await getViewer();
    assertMayUpload(viewer, purpose.data);
    const db = await getDb();
    // 30 a minute per signed-in viewer (rate-limits.ts): enough for a form, too few to fill the disk.
    if (!(await rateLimitsFor(db).take("upload", `${viewer.kind}:${viewerId(viewer)}`)).ok) throw new AppError("RATE_LIMITED", "errors.tooManyUploads");

    const file = fileOrError(await readSingleFile(req, "file", UPLOAD_POLICIES[purpose.data].maxBytes), purpose.data);
    const store = getBlobStore();
    const body =
      purpose.data === "icon" ? await storeCategoryIcon(db, store, viewer, file) : await uploadAttachment(db, store, viewer, file);
    return Response.json(body, { status: 201, headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    return errorResponse(e, locale, "uploads");
  }
}

function assertMayUpload(viewer: Viewer, purpose: "icon" | "attachment") {
  if (viewer.kind === "anonymous") throw new AppError("UNAUTHORIZED", "errors.unauthorized");
  if (purpose === "icon" && viewer.kind !== "staff") throw new AppError("FORBIDDEN", "categories.uploads.errors.staffOnly");
}

const viewerId = (v: Viewer) => (v.kind === "member" ? v.memberId : v.kind === "staff" ? v.staffId : 0);

function fileOrError(result: ReadFileResult, purpose: "icon" | "attachment") {
  if (result.ok) return result;
  if (result.reason === "TOO_LARGE") {
    const kb = UPLOAD_POLICIES[purpose].maxBytes / 1024;
    const max = kb >= 1024 ? `${kb / 1024} MB` : `${kb} KB`;
    throw new AppError("PAYLOAD_TOO_LARGE", `categories.uploads.errors.tooLarge.${purpose}`, { params: { max } });
  }
  throw new AppError("VALIDATION", "categories.uploads.errors.noFile");
}
