/**
 * What uploaded bytes really are, read from their first bytes (magic numbers) — never from the
 * client's file name or Content-Type, which anyone can forge. Pure; no I/O.
 */
export const FILE_KINDS = {
  png: { mimeType: "image/png", image: true },
  jpeg: { mimeType: "image/jpeg", image: true },
  webp: { mimeType: "image/webp", image: true },
  gif: { mimeType: "image/gif", image: true },
  pdf: { mimeType: "application/pdf", image: false },
} as const;
export type FileKind = keyof typeof FILE_KINDS;

/** What each upload purpose accepts. SVG is never accepted: it can carry script. */
export const UPLOAD_POLICIES = {
  icon: { kinds: ["png", "jpeg", "webp"], maxBytes: 512 * 1024 },
  attachment: { kinds: ["png", "jpeg", "webp", "gif", "pdf"], maxBytes: 10 * 1024 * 1024 },
} as const satisfies Record<string, { kinds: readonly FileKind[]; maxBytes: number }>;
export type UploadPurpose = keyof typeof UPLOAD_POLICIES;

const startsWith = (bytes: Uint8Array, sig: readonly number[], at = 0) =>
  bytes.length >= at + sig.length && sig.every((b, i) => bytes[at + i] === b);
const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

export function detectFileKind(bytes: Uint8Array): FileKind | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8)) return "webp";
  if (startsWith(bytes, ascii("GIF87a")) || startsWith(bytes, ascii("GIF89a"))) return "gif";
  if (startsWith(bytes, ascii("%PDF-"))) return "pdf";
  return null;
}

export type UploadCheck =
  | { ok: true; kind: FileKind; mimeType: string }
  | { ok: false; reason: "EMPTY" | "TOO_LARGE" | "TYPE_NOT_ALLOWED" };

/** Whether `bytes` may be stored for `purpose`. */
export function checkUpload(purpose: UploadPurpose, bytes: Uint8Array): UploadCheck {
  const policy = UPLOAD_POLICIES[purpose];
  if (bytes.length === 0) return { ok: false, reason: "EMPTY" };
  if (bytes.length > policy.maxBytes) return { ok: false, reason: "TOO_LARGE" };
  const kind = detectFileKind(bytes);
  if (!kind || !(policy.kinds as readonly FileKind[]).includes(kind)) return { ok: false, reason: "TYPE_NOT_ALLOWED" };
  return { ok: true, kind, mimeType: FILE_KINDS[kind].mimeType };
}

/**
 * Bidirectional controls (U+202A–U+202E, U+2066–U+2069, the marks U+200E/U+200F/U+061C): they
 * reorder what a reader sees, so "invoice\u202Efdp.exe" would show as "invoiceexe.pdf".
 */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

/**
 * A file name safe to store and show: no folders, no control or bidirectional characters, no
 * unpaired surrogates, at most 200 characters (the column's size), keeping the extension when
 * shortening.
 */
export function sanitizeFileName(name: string, fallback = "file"): string {
  const base = (name.split(/[\\/]/).pop() ?? "")
    .replace(/[\u0000-\u001f\u007f"]/g, "")
    .replace(BIDI_CONTROLS, "")
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "")
    .trim();
  const clean = base === "" || base === "." || base === ".." ? fallback : base;
  if (clean.length <= 200) return clean;
  const dot = clean.lastIndexOf(".");
  const ext = dot > 0 && clean.length - dot <= 16 ? clean.slice(dot) : "";
  return clean.slice(0, 200 - ext.length) + ext;
}
