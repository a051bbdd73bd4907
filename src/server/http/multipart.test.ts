import { describe, expect, it } from "vitest";
import { readSingleFile } from "./multipart";

function upload(parts: { field: string; name: string; bytes: Uint8Array<ArrayBuffer> }[], declareLength = true) {
  const form = new FormData();
  for (const p of parts) form.append(p.field, new Blob([p.bytes]), p.name);
  const req = new Request("http://x/api/uploads", { method: "POST", body: form });
  if (declareLength) return req;
  // Same body, streamed with no Content-Length: the limit must hold while reading.
  return new Request("http://x/api/uploads", {
    method: "POST",
    headers: { "content-type": req.headers.get("content-type")! },
    body: req.body,
    duplex: "half",
  } as RequestInit);
}

describe("multipart reading", () => {
  it("returns the file field with its UTF-8 name", async () => {
    const bytes = Uint8Array.from([1, 2, 3]);
    const result = await readSingleFile(upload([{ field: "file", name: "截图.png", bytes }]), "file", 10);
    expect(result).toEqual({ ok: true, fileName: "截图.png", bytes });
  });

  it("stops at the limit, with or without a declared length", async () => {
    const bytes = new Uint8Array(11);
    expect(await readSingleFile(upload([{ field: "file", name: "a", bytes }]), "file", 10)).toEqual({ ok: false, reason: "TOO_LARGE" });
    expect(await readSingleFile(upload([{ field: "file", name: "a", bytes }], false), "file", 10)).toEqual({ ok: false, reason: "TOO_LARGE" });
    const huge = new Uint8Array(200 * 1024);
    expect(await readSingleFile(upload([{ field: "file", name: "a", bytes: huge }]), "file", 10)).toEqual({ ok: false, reason: "TOO_LARGE" });
    expect((await readSingleFile(upload([{ field: "file", name: "a", bytes: new Uint8Array(10) }], false), "file", 10)).ok).toBe(true);
  });

  it("refuses a request without the file field or not multipart", async () => {
    expect(await readSingleFile(upload([{ field: "other", name: "a", bytes: new Uint8Array(1) }]), "file", 10)).toEqual({ ok: false, reason: "NO_FILE" });
    const json = new Request("http://x/", { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    expect(await readSingleFile(json, "file", 10)).toEqual({ ok: false, reason: "NOT_MULTIPART" });
  });
});
