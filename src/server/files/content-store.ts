// Content-addressed file bytes (key = sha256 hex), one file per key under `root`. Writing the same
// bytes twice is a no-op, which is what makes a replayed protocol message with attachments safe.
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";

export type ContentStore = {
  put(bytes: Uint8Array): Promise<string>;
  /** null when the key is unknown (or not a sha256). */
  get(sha256: string): Promise<Uint8Array | null>;
};

const SHA256 = /^[0-9a-f]{64}$/;

export function createContentStore(root: string): ContentStore {
  const fileOf = (sha: string) => path.join(root, sha.slice(0, 2), sha);
  return {
    async put(bytes) {
      const sha = createHash("sha256").update(bytes).digest("hex");
      const file = fileOf(sha);
      await fs.mkdir(path.dirname(file), { recursive: true });
      // Write-then-rename: a crash never leaves a half-written file under the final name.
      const temp = `${file}.${randomBytes(4).toString("hex")}.tmp`;
      await fs.writeFile(temp, bytes);
      await fs.rename(temp, file);
      return sha;
    },
    async get(sha) {
      if (!SHA256.test(sha)) return null;
      try {
        return new Uint8Array(await fs.readFile(fileOf(sha)));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw e;
      }
    },
  };
}

let instanceStore: ContentStore | undefined;
/** The store in this instance's data folder ($RELAYDESK_DATA_DIR/files). */
export async function getInstanceContentStore(): Promise<ContentStore> {
  if (!instanceStore) {
    const { getConfig } = await import("../config.ts");
    instanceStore = createContentStore(path.join(getConfig().dataDir, "files"));
  }
  return instanceStore;
}
