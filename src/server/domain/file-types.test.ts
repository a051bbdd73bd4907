import { describe, expect, it } from "vitest";
import { checkUpload, detectFileKind, sanitizeFileName, UPLOAD_POLICIES } from "./file-types";

const bytes = (...parts: (number[] | string)[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === "string" ? Array.from(p, (c) => c.charCodeAt(0)) : p)));

const PNG = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "rest");
const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0], "rest");
const WEBP = bytes("RIFF", [0, 0, 0, 0], "WEBPVP8 ");
const GIF = bytes("GIF89a", "rest");
const PDF = bytes("%PDF-1.7\n");
const SVG = bytes('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

describe("file types by magic bytes", () => {
  it("recognises PNG, JPEG, WebP, GIF and PDF, and nothing else", () => {
    expect([PNG, JPEG, WEBP, GIF, PDF, SVG].map(detectFileKind)).toEqual(["png", "jpeg", "webp", "gif", "pdf", null]);
    expect(detectFileKind(bytes("RIFF", [0, 0, 0, 0], "WAVE"))).toBeNull();
    expect(detectFileKind(new Uint8Array())).toBeNull();
  });

  it("icons: PNG/JPEG/WebP only, at most 512 KB; SVG never", () => {
    expect(checkUpload("icon", PNG)).toEqual({ ok: true, kind: "png", mimeType: "image/png" });
    expect(checkUpload("icon", WEBP)).toMatchObject({ ok: true, mimeType: "image/webp" });
    expect(checkUpload("icon", GIF)).toEqual({ ok: false, reason: "TYPE_NOT_ALLOWED" });
    expect(checkUpload("icon", PDF)).toEqual({ ok: false, reason: "TYPE_NOT_ALLOWED" });
    expect(checkUpload("icon", SVG)).toEqual({ ok: false, reason: "TYPE_NOT_ALLOWED" });
    const big = new Uint8Array(UPLOAD_POLICIES.icon.maxBytes + 1);
    big.set(PNG);
    expect(checkUpload("icon", big)).toEqual({ ok: false, reason: "TOO_LARGE" });
    expect(checkUpload("icon", big.subarray(0, UPLOAD_POLICIES.icon.maxBytes)).ok).toBe(true);
    expect(checkUpload("icon", new Uint8Array())).toEqual({ ok: false, reason: "EMPTY" });
  });

  it("attachments: images, GIF and PDF up to 10 MB", () => {
    expect(checkUpload("attachment", GIF)).toMatchObject({ ok: true, mimeType: "image/gif" });
    expect(checkUpload("attachment", PDF)).toMatchObject({ ok: true, mimeType: "application/pdf" });
    expect(checkUpload("attachment", SVG)).toEqual({ ok: false, reason: "TYPE_NOT_ALLOWED" });
  });

  it("file names lose folders and control characters and fit the column", () => {
    expect(sanitizeFileName("../../etc/passwd")).toBe("passwd");
    expect(sanitizeFileName("C:\\Users\\张三\\截图 1.png")).toBe("截图 1.png");
    expect(sanitizeFileName('a"b\u0000c.pdf')).toBe("abc.pdf");
    expect(sanitizeFileName("..")).toBe("file");
    const long = sanitizeFileName(`${"长".repeat(300)}.jpeg`);
    expect(long).toHaveLength(200);
    expect(long.endsWith(".jpeg")).toBe(true);
  });

  it("file names lose U+202E and the other bidirectional controls, so invoice\u202Efdp.exe cannot pose as a PDF", () => {
    expect(sanitizeFileName("invoice\u202Efdp.exe")).toBe("invoicefdp.exe");
    for (const c of ["\u202A", "\u202B", "\u202C", "\u202D", "\u2066", "\u2067", "\u2068", "\u2069", "\u200E", "\u200F", "\u061C"]) {
      expect(sanitizeFileName(`a${c}b.png`)).toBe("ab.png");
    }
    expect(sanitizeFileName("x\uD800y.png")).toBe("xy.png");
    expect(sanitizeFileName("截图😀.png")).toBe("截图😀.png");
  });
});
