import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { isBlobKey, type BlobStore } from "./blob-store.ts";

/**
 * Files under `<root>/<first two hex>/<sha256>`: the fan-out keeps folders small. A file is
 * written to a temporary name and renamed into place, so a reader never sees half a file and a
 * crash mid-write leaves no corrupt blob under a valid key.
 */
export class LocalDiskBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  async put(bytes: Uint8Array): Promise<string> {
    const key = createHash("sha256").update(bytes).digest("hex");
    const file = this.pathFor(key);
    if (await this.exists(key)) return key;
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
    await fs.writeFile(tmp, bytes, { mode: 0o640 });
    await fs.rename(tmp, file);
    return key;
  }

  async get(key: string): Promise<Uint8Array | null> {
    if (!isBlobKey(key)) return null;
    try {
      return new Uint8Array(await fs.readFile(this.pathFor(key)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw e;
    }
  }

  async exists(key: string): Promise<boolean> {
    if (!isBlobKey(key)) return false;
    return fs.access(this.pathFor(key)).then(
      () => true,
      () => false,
    );
  }

  /** Every key stored, folder by folder (what `npm run files:migrate` copies). */
  async *keys(): AsyncGenerator<string> {
    const folders = await fs.readdir(this.root).catch((e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") return [];
      throw e;
    });
    for (const folder of folders.sort()) {
      if (!/^[a-f0-9]{2}$/.test(folder)) continue;
      for (const name of (await fs.readdir(path.join(this.root, folder))).sort()) if (isBlobKey(name) && name.startsWith(folder)) yield name;
    }
  }

  private pathFor(key: string): string {
    return path.join(this.root, key.slice(0, 2), key);
  }
}
