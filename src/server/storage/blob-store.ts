/**
 * Content-addressed file storage: a file's key is the sha256 of its bytes, so the same file is
 * stored once and a key can never point at different content. Local disk today; object storage
 * can implement the same interface later.
 */
export interface BlobStore {
  /** Stores the bytes (idempotent) and returns their key. */
  put(bytes: Uint8Array): Promise<string>;
  /** The bytes under `key`, or null when there are none (or the key is malformed). */
  get(key: string): Promise<Uint8Array | null>;
  exists(key: string): Promise<boolean>;
}

/** sha256 in lower-case hex: the only shape a key may have (it becomes a path segment). */
export const BLOB_KEY = /^[a-f0-9]{64}$/;

export function isBlobKey(key: string): boolean {
  return BLOB_KEY.test(key);
}
