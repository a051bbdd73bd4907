// npm run files:migrate — copies the files of the data folder (<RELAYDESK_DATA_DIR>/files) into the
// object storage the FILE_STORE=s3 settings name, checking each copy; safe to run again (what is
// there is skipped). Run it once while the app still uses the local store, switch FILE_STORE=s3,
// restart, and run it once more for files uploaded in between (docs/OPERATIONS.md).
import { ConfigError, loadConfig } from "../src/server/config";
import { LocalDiskBlobStore } from "../src/server/storage/local-disk-store";
import { S3BlobStore } from "../src/server/storage/s3-store";
import { localFilesDir } from "../src/server/storage/from-config";
import { migrateFiles } from "../src/server/storage/migrate-files";

async function main(): Promise<number> {
  const config = loadConfig();
  if (config.files.kind !== "s3") {
    console.error("relaydesk: files:migrate copies into object storage: set FILE_STORE=s3 and the S3_* settings first");
    return 2;
  }
  const source = new LocalDiskBlobStore(localFilesDir(config));
  const target = new S3BlobStore(config.files);
  try {
    console.log(`relaydesk: copying ${localFilesDir(config)} → s3://${config.files.bucket}/${config.files.prefix}`);
    const report = await migrateFiles(source, target, (r) => console.log(`  … ${r.copied} copied, ${r.skipped} already there, ${r.failed.length} failed`));
    for (const f of report.failed) console.error(`  failed ${f.key}: ${f.reason}`);
    console.log(`relaydesk: ${report.copied} copied, ${report.skipped} already there, ${report.failed.length} failed`);
    return report.failed.length === 0 ? 0 : 1;
  } finally {
    target.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof ConfigError ? e.message : `relaydesk: files:migrate failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
