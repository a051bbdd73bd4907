import { Readable } from "node:stream";
import type { ReadableStream as NodeWebStream } from "node:stream/web";
import busboy from "busboy";

export type ReadFileResult =
  | { ok: true; fileName: string; bytes: Uint8Array }
  | { ok: false; reason: "NOT_MULTIPART" | "NO_FILE" | "TOO_LARGE" | "MALFORMED" };

/** Room for the multipart framing around the file (boundaries, part headers, a few fields). */
const FRAMING_ALLOWANCE = 64 * 1024;

/**
 * Reads the one file in multipart field `field`, holding at most `maxBytes` + 1 of it: past that the
 * read stops and the request body is abandoned (no `formData()`, which would buffer everything).
 * A declared Content-Length that is already too big is refused before reading a byte.
 */
export function readSingleFile(req: Request, field: string, maxBytes: number): Promise<ReadFileResult> {
  const contentType = req.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("multipart/form-data") || !req.body) {
    return Promise.resolve({ ok: false, reason: "NOT_MULTIPART" });
  }
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (declared > maxBytes + FRAMING_ALLOWANCE) return Promise.resolve({ ok: false, reason: "TOO_LARGE" });

  return new Promise((resolve) => {
    const source = Readable.fromWeb(req.body as unknown as NodeWebStream<Uint8Array>);
    let settled = false;
    const finish = (result: ReadFileResult) => {
      if (settled) return;
      settled = true;
      if (!result.ok) source.destroy(); // stop pulling the rest of the body
      resolve(result);
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { "content-type": contentType },
        // Browsers send UTF-8 file names raw in the header; busboy's default would read latin1.
        defParamCharset: "utf8",
        // busboy signals "limit" on reaching fileSize, so one byte more tells "too large" from "exactly the limit".
        limits: { files: 1, fileSize: maxBytes + 1, fields: 10, fieldSize: 1024, parts: 12, headerPairs: 20 },
      });
    } catch {
      return finish({ ok: false, reason: "MALFORMED" });
    }
    let file: { fileName: string; chunks: Buffer[] } | null = null;
    parser.on("file", (name, stream, info) => {
      if (name !== field || file) return stream.resume();
      const current = { fileName: info.filename ?? "", chunks: [] as Buffer[] };
      file = current;
      stream.on("data", (chunk: Buffer) => current.chunks.push(chunk));
      stream.on("limit", () => finish({ ok: false, reason: "TOO_LARGE" }));
    });
    parser.on("error", () => finish({ ok: false, reason: "MALFORMED" }));
    parser.on("close", () => {
      if (!file) return finish({ ok: false, reason: "NO_FILE" });
      finish({ ok: true, fileName: file.fileName, bytes: new Uint8Array(Buffer.concat(file.chunks)) });
    });
    source.on("error", () => finish({ ok: false, reason: "MALFORMED" }));
    source.pipe(parser);
  });
}
