import "server-only";
import { getConfig } from "../config.ts";
import type { BlobStore } from "./blob-store.ts";
import { blobStoreFromConfig } from "./from-config.ts";

export type { BlobStore } from "./blob-store.ts";

let store: BlobStore | undefined;

/** The process's file store (FILE_STORE: the data folder's files/, or object storage). */
export function getBlobStore(): BlobStore {
  store ??= blobStoreFromConfig(getConfig());
  return store;
}
