import path from "node:path";
import type { AppConfig } from "../config.ts";
import type { BlobStore } from "./blob-store.ts";
import { LocalDiskBlobStore } from "./local-disk-store.ts";
import { S3BlobStore } from "./s3-store.ts";

/** `files` absent: the local disk (tests that build deps from a data folder alone). */
export type StoreConfig = Pick<AppConfig, "dataDir"> & Partial<Pick<AppConfig, "files">>;

/** The file store the settings name: `<RELAYDESK_DATA_DIR>/files/` by default, or object storage (FILE_STORE=s3). */
export function blobStoreFromConfig(config: StoreConfig): BlobStore {
  return config.files?.kind === "s3" ? new S3BlobStore(config.files) : new LocalDiskBlobStore(localFilesDir(config));
}

/** At start-up: object storage answers for its bucket (the local disk needs no check). */
export async function checkFileStore(config: StoreConfig): Promise<void> {
  if (config.files?.kind !== "s3") return;
  const store = new S3BlobStore(config.files);
  try {
    await store.check();
  } finally {
    store.close();
  }
}

/** Where the local disk store keeps its files (also the source of `npm run files:migrate`). */
export function localFilesDir(config: Pick<AppConfig, "dataDir">): string {
  return path.join(config.dataDir, "files");
}
