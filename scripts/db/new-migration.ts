// npm run db:new-migration -- <name>: writes prisma/migrations/<UTC timestamp>_<name>/migration.sql
// from the difference between the schema snapshot (the schema as of the last migration) and
// prisma/schema.prisma, then advances the snapshot. Review the SQL and add by hand what Prisma
// cannot express (partial indexes, CHECKs, triggers) before committing.
import { copyFile, mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { diffSchemas, migrationsDir, schemaPath, snapshotPath } from "./schema-diff";

function utcTimestamp(date: Date): string {
  return date.toISOString().replace(/\D/g, "").slice(0, 14);
}

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    throw new Error("usage: npm run db:new-migration -- <name>   (name: lowercase letters, digits and _)");
  }
  const dirName = `${utcTimestamp(new Date())}_${name}`;
  // Migrations apply in name order: a clock behind the last migration would slip this one before it.
  const existing = (await readdir(migrationsDir, { withFileTypes: true })).filter((entry) => entry.isDirectory());
  const last = existing.map((entry) => entry.name).sort().at(-1);
  if (last && last >= dirName) throw new Error(`${dirName} would not sort after the last migration ${last}`);

  const { changed, sql } = await diffSchemas(snapshotPath, schemaPath);
  if (!changed) throw new Error("prisma/schema.prisma has no change since the last migration: nothing to write");

  const dir = path.join(migrationsDir, dirName);
  await mkdir(dir);
  await writeFile(path.join(dir, "migration.sql"), sql);
  await copyFile(schemaPath, snapshotPath);
  console.log(`Wrote ${path.relative(process.cwd(), path.join(dir, "migration.sql"))} — review it, then npm run db:migrate`);
}

main().catch((error: unknown) => {
  console.error(`db:new-migration: ${error instanceof Error ? error.message : String(error)}`);
  if (process.env.DEBUG) console.error(error);
  process.exitCode = 1;
});
