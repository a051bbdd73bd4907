// npm run db:check (CI): fails when prisma/schema.prisma changed without a migration, i.e. it
// differs from the snapshot that db:new-migration advances with every migration it writes.
import { diffSchemas, schemaPath, snapshotPath } from "./schema-diff";

async function main(): Promise<void> {
  const { changed } = await diffSchemas(snapshotPath, schemaPath);
  if (changed) {
    console.error("prisma/schema.prisma changed without a migration: run npm run db:new-migration -- <name>");
    process.exitCode = 1;
    return;
  }
  console.log("prisma/schema.prisma matches the migrations");
}

main().catch((error: unknown) => {
  console.error(`db:check: ${error instanceof Error ? error.message : String(error)}`);
  if (process.env.DEBUG) console.error(error);
  process.exitCode = 1;
});
