import "server-only";
import path from "node:path";
import { getConfig } from "../config.ts";
import type { BlobStore } from "./blob-store.ts";
import { LocalDiskBlobStore } from "./local-disk-store.ts";

export type { BlobStore } from "./blob-store.ts";

let store: BlobStore | undefined;

/** The process's file store: `<RELAYDESK_DATA_DIR>/files/`. */
export function getBlobStore(): BlobStore {
  store ??= new LocalDiskBlobStore(path.join(getConfig().dataDir, "files"));
  return store;
}
