import type { Db } from "../db/client.ts";
import { findAttachmentForDownload, insertAttachment } from "../db/repos/attachments.ts";
import { isCategoryIconKey, recordCategoryIcon } from "../db/repos/categories.ts";
import { canDownloadAttachment, ownerKeyOf } from "../domain/attachment-access.ts";
import { checkUpload, detectFileKind, FILE_KINDS, sanitizeFileName, UPLOAD_POLICIES, type UploadPurpose } from "../domain/file-types.ts";
import { AppError, notFound } from "../errors.ts";
import { isBlobKey, type BlobStore } from "../storage/blob-store.ts";
import type { Viewer } from "../viewer.ts";

export type UploadedFile = { fileName: string; bytes: Uint8Array };

/** Refuses what `purpose` does not accept, before anything is stored. */
function assertAcceptable(purpose: UploadPurpose, bytes: Uint8Array) {
  const check = checkUpload(purpose, bytes);
  if (check.ok) return check;
  const maxKb = UPLOAD_POLICIES[purpose].maxBytes / 1024;
  const max = maxKb >= 1024 ? `${maxKb / 1024} MB` : `${maxKb} KB`;
  if (check.reason === "TOO_LARGE") throw new AppError("PAYLOAD_TOO_LARGE", `categories.uploads.errors.tooLarge.${purpose}`, { params: { max } });
  if (check.reason === "EMPTY") throw new AppError("VALIDATION", "categories.uploads.errors.empty");
  throw new AppError("VALIDATION", `categories.uploads.errors.type.${purpose}`);
}

/**
 * ICON图标: staff only (checked here too, whatever the transport). Returns the content hash, and
 * records it as an icon upload: only such files may become (public) category icons.
 */
export async function storeCategoryIcon(db: Db, store: BlobStore, viewer: Viewer, file: UploadedFile) {
  if (viewer.kind !== "staff") throw new AppError("FORBIDDEN", "errors.forbidden");
  assertAcceptable("icon", file.bytes);
  const iconKey = await store.put(file.bytes);
  await recordCategoryIcon(db, iconKey, viewer.staffId);
  return { iconKey };
}

/**
 * A pending attachment owned by its uploader; a later message claims it (claimAttachments).
 * The stored type is what the bytes are, not what the client said.
 */
export async function uploadAttachment(db: Db, store: BlobStore, viewer: Viewer, file: UploadedFile) {
  const ownerKey = ownerKeyOf(viewer);
  if (!ownerKey) throw new AppError("UNAUTHORIZED", "errors.unauthorized");
  const { mimeType } = assertAcceptable("attachment", file.bytes);
  const storageKey = await store.put(file.bytes);
  return insertAttachment(db, { storageKey, fileName: sanitizeFileName(file.fileName), mimeType, size: file.bytes.length, ownerKey });
}

/**
 * R7: the attachment if `viewer` may read it. Anything else — missing, someone else's,
 * staff-only — is the same NOT_FOUND, so a member cannot probe which ids exist.
 */
export async function authorizeAttachmentDownload(db: Db, viewer: Viewer, id: number) {
  const file = await findAttachmentForDownload(db, id);
  if (!file || !canDownloadAttachment(viewer, file)) throw notFound("attachment");
  return { id: file.id, fileName: file.fileName, mimeType: file.mimeType, size: file.size, storageKey: file.storageKey };
}

export async function readAttachment(db: Db, store: BlobStore, viewer: Viewer, id: number) {
  const file = await authorizeAttachmentDownload(db, viewer, id);
  const bytes = await store.get(file.storageKey);
  if (!bytes) throw notFound("attachment");
  const image = Object.values(FILE_KINDS).some((k) => k.image && k.mimeType === file.mimeType);
  return { bytes, fileName: file.fileName, mimeType: file.mimeType, inline: image };
}

/** Public, but only for keys some category uses: the store is not an open file host. */
export async function readCategoryIcon(db: Db, store: BlobStore, key: string) {
  if (!isBlobKey(key) || !(await isCategoryIconKey(db, key))) throw notFound("attachment");
  const bytes = await store.get(key);
  const kind = bytes && detectFileKind(bytes);
  if (!bytes || !kind) throw notFound("attachment");
  return { bytes, mimeType: FILE_KINDS[kind].mimeType };
}
