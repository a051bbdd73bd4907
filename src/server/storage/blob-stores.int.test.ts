import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startS3Server } from "@/test/s3-server";
import type { BlobStore } from "./blob-store";
import { LocalDiskBlobStore } from "./local-disk-store";
import { S3BlobStore } from "./s3-store";
import { migrateFiles } from "./migrate-files";

/**
 * One contract for every file store — the local disk and object storage over a real S3 API
 * (s3rver) — and the copy from one to the other that `npm run files:migrate` runs.
 */
let s3: Awaited<ReturnType<typeof startS3Server>>;
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "relaydesk-blobs-"));
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const bytes = (text: string) => new TextEncoder().encode(text);

beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => {
  await s3?.close();
});

const stores: [string, () => BlobStore][] = [
  ["local disk", () => new LocalDiskBlobStore(tmp())],
  ["S3 (s3rver)", () => new S3BlobStore(s3.settings)],
  ["S3 under a prefix", () => new S3BlobStore({ ...s3.settings, prefix: "tenant-a/files/" })],
];

describe.each(stores)("file store contract: %s", (_name, make) => {
  it("stores bytes under their sha256, once, and gives the same bytes back", async () => {
    const store = make();
    const content = bytes(`服务器日志 ${Math.random()}`);
    const key = await store.put(content);
    expect(key).toBe(sha(content));
    expect(await store.put(content)).toBe(key); // idempotent
    expect(await store.exists(key)).toBe(true);
    expect(Buffer.from((await store.get(key))!)).toEqual(Buffer.from(content));
  });

  it("a key never stored is missing; a malformed key is refused without a request", async () => {
    const store = make();
    const absent = sha(bytes(`never ${Math.random()}`));
    expect(await store.exists(absent)).toBe(false);
    expect(await store.get(absent)).toBeNull();
    for (const bad of ["../etc/passwd", "ABC", `${absent}x`, ""]) {
      expect(await store.get(bad)).toBeNull();
      expect(await store.exists(bad)).toBe(false);
    }
  });

  it("empty and binary files round-trip", async () => {
    const store = make();
    for (const content of [new Uint8Array(0), Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256)]) {
      const key = await store.put(content);
      expect(Buffer.from((await store.get(key))!)).toEqual(Buffer.from(content));
    }
  });
});

describe("object storage specifics", () => {
  it("a prefix keeps one instance's files apart from another's in the same bucket", async () => {
    const a = new S3BlobStore({ ...s3.settings, prefix: "a/" });
    const b = new S3BlobStore({ ...s3.settings, prefix: "b/" });
    const key = await a.put(bytes(`只在 a ${Math.random()}`));
    expect(await a.exists(key)).toBe(true);
    expect(await b.exists(key)).toBe(false);
  });

  it("the start-up check passes for the bucket and names a missing one (never the secret)", async () => {
    await new S3BlobStore(s3.settings).check();
    const check = new S3BlobStore({ ...s3.settings, bucket: "no-such-bucket" }).check();
    await expect(check).rejects.toThrow(`relaydesk: cannot use the file store s3://no-such-bucket/ at ${s3.settings.endpoint}: the bucket does not exist (S3_BUCKET)`);
    await expect(check).rejects.not.toThrow("S3RVER");
    await expect(new S3BlobStore({ ...s3.settings, endpoint: "http://127.0.0.1:9" }).check()).rejects.toThrow(/^relaydesk: cannot use the file store/);
  });

  it("a bucket that does not exist fails loudly instead of looking like a missing file", async () => {
    const wrong = new S3BlobStore({ ...s3.settings, bucket: "no-such-bucket" });
    await expect(wrong.put(bytes("x"))).rejects.toThrow(/bucket/i);
    await expect(wrong.get(sha(bytes("x")))).rejects.toThrow(/bucket/i);
  });

});

describe("files:migrate", () => {
  it("copies every local file into object storage, checks each, and a second run copies nothing", async () => {
    const source = new LocalDiskBlobStore(tmp());
    const keys = await Promise.all(["工单附件一", "截图.png 的字节", "第三个文件"].map((t) => source.put(bytes(`${t} ${Math.random()}`))));
    const target = new S3BlobStore({ ...s3.settings, prefix: `migrate-${Date.now()}/` });
    const first = await migrateFiles(source, target);
    expect(first).toEqual({ copied: 3, skipped: 0, failed: [] });
    for (const key of keys) expect(sha((await target.get(key))!)).toBe(key);
    expect(await migrateFiles(source, target)).toEqual({ copied: 0, skipped: 3, failed: [] });
  });

  it("a local file whose bytes no longer match its name is reported, not copied", async () => {
    const dir = tmp();
    const source = new LocalDiskBlobStore(dir);
    const key = await source.put(bytes(`会被改坏 ${Math.random()}`));
    fs.writeFileSync(path.join(dir, key.slice(0, 2), key), "tampered");
    const target = new S3BlobStore({ ...s3.settings, prefix: `tampered-${Date.now()}/` });
    const report = await migrateFiles(source, target);
    expect(report.copied).toBe(0);
    expect(report.failed).toEqual([{ key, reason: "the local file does not match its key" }]);
    expect(await target.exists(key)).toBe(false);
  });
});
