// Attachment bytes for what we send upstream. Files are content-addressed: Attachment.storageKey is
// the SHA-256 of the content, stored as <dataDir>/files/<storageKey>. Reading by hash also
// guarantees we never send bytes that differ from what the row describes.
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";

export interface AttachmentFiles {
  /** The bytes, or null when the file is gone or does not match its hash. */
  read(storageKey: string): Promise<Buffer | null>;
}

export function attachmentFilesIn(dataDir: string): AttachmentFiles {
  const root = path.join(dataDir, "files");
  return {
    async read(storageKey) {
      // A key is a hex hash; anything else could walk out of the folder.
      if (!/^[0-9a-f]{64}$/.test(storageKey)) return null;
      const bytes = await fs.readFile(path.join(root, storageKey)).catch(() => null);
      if (!bytes) return null;
      return createHash("sha256").update(bytes).digest("hex") === storageKey ? bytes : null;
    },
  };
}
