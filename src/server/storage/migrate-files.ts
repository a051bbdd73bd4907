import { createHash } from "node:crypto";
import type { BlobStore } from "./blob-store.ts";
import type { LocalDiskBlobStore } from "./local-disk-store.ts";

export type MigrationReport = { copied: number; skipped: number; failed: { key: string; reason: string }[] };

/**
 * Copies every file of the local disk store into `target` (object storage), idempotently: a key
 * already there is skipped, so the copy can run again after an interruption — or while the app
 * still writes, then once more after switching FILE_STORE. Each copy is read back and checked
 * against its sha256 (the key) before it counts.
 */
export async function migrateFiles(source: LocalDiskBlobStore, target: BlobStore, onProgress?: (report: MigrationReport) => void): Promise<MigrationReport> {
  const report: MigrationReport = { copied: 0, skipped: 0, failed: [] };
  for await (const key of source.keys()) {
    try {
      if (await target.exists(key)) {
        report.skipped++;
      } else {
        const bytes = await source.get(key);
        if (!bytes || createHash("sha256").update(bytes).digest("hex") !== key) throw new Error("the local file does not match its key");
        if ((await target.put(bytes)) !== key) throw new Error("stored under another key");
        const back = await target.get(key);
        if (!back || Buffer.compare(Buffer.from(back), Buffer.from(bytes)) !== 0) throw new Error("read back different bytes");
        report.copied++;
      }
    } catch (e) {
      report.failed.push({ key, reason: e instanceof Error ? e.message : String(e) });
    }
    if ((report.copied + report.skipped + report.failed.length) % 500 === 0) onProgress?.(report);
  }
  return report;
}
