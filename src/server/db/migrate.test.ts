import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { MigrationError, runMigrations, type MigrationLogger } from "./migrate";
import { pgDriver, pgliteDriver, type SqlDriver } from "./sql-driver";

const realMigrationsDir = fileURLToPath(new URL("../../../prisma/migrations", import.meta.url));

interface Row {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
  logs: string | null;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A temporary migrations folder; the snapshot file checks that plain files are skipped. */
async function migrationsDir(migrations: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "relaydesk-migrations-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, "schema.snapshot.prisma"), "// not a migration\n");
  for (const [name, sql] of Object.entries(migrations)) {
    await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

function memoryDriver(): SqlDriver {
  const driver = pgliteDriver(new PGlite(), { closeDb: true });
  cleanups.push(() => driver.close());
  return driver;
}

function collectingLogger(): MigrationLogger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info: () => {}, warn: (message) => warnings.push(message) };
}

const rows = (driver: SqlDriver) =>
  driver.query<Row>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count, logs
       FROM _prisma_migrations ORDER BY started_at, migration_name`,
  );
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const tableExists = async (driver: SqlDriver, name: string) =>
  (await driver.query<{ found: boolean }>("SELECT to_regclass($1) IS NOT NULL AS found", [name]))[0]?.found;

// Each test boots its own PGlite (3–5 s cold), hence the timeout.
describe("runMigrations", { timeout: 60_000 }, () => {
  it("applies pending migrations in name order, records them, and applies nothing the second time", async () => {
    const first = `CREATE TABLE "A" ("id" INTEGER PRIMARY KEY);`;
    const second = `ALTER TABLE "A" ADD COLUMN "name" TEXT;\nCREATE TABLE "B" ("id" INTEGER);`;
    const dir = await migrationsDir({ "20260102000000_second": second, "20260101000000_first": first });
    const driver = memoryDriver();
    const logger = collectingLogger();

    expect(await runMigrations(driver, { migrationsDir: dir, logger })).toEqual({
      applied: ["20260101000000_first", "20260102000000_second"],
    });
    const recorded = await rows(driver);
    expect(recorded.map((row) => [row.migration_name, row.checksum, row.applied_steps_count])).toEqual([
      ["20260101000000_first", sha256(first), 1],
      ["20260102000000_second", sha256(second), 1],
    ]);
    expect(recorded.every((row) => row.finished_at instanceof Date && row.rolled_back_at === null)).toBe(true);
    expect(await tableExists(driver, `"B"`)).toBe(true);

    expect(await runMigrations(driver, { migrationsDir: dir, logger })).toEqual({ applied: [] });
    expect(await rows(driver)).toHaveLength(2);
    expect(logger.warnings).toEqual([]);
  });

  it("warns when an applied migration was edited afterwards", async () => {
    const dir = await migrationsDir({ "20260101000000_first": `CREATE TABLE "A" ("id" INTEGER);` });
    const driver = memoryDriver();
    const logger = collectingLogger();
    await runMigrations(driver, { migrationsDir: dir, logger });
    await writeFile(path.join(dir, "20260101000000_first", "migration.sql"), `CREATE TABLE "A" ("id" BIGINT);`);

    expect(await runMigrations(driver, { migrationsDir: dir, logger })).toEqual({ applied: [] });
    expect(logger.warnings).toEqual([expect.stringContaining("20260101000000_first was modified")]);
  });

  it("refuses to continue after a failed migration", async () => {
    const dir = await migrationsDir({
      "20260101000000_ok": `CREATE TABLE "A" ("id" INTEGER);`,
      // The first statement succeeds; the rollback must take it away again.
      "20260102000000_broken": `CREATE TABLE "Partial" ("id" INTEGER);\nSELECT * FROM "DoesNotExist";`,
      "20260103000000_later": `CREATE TABLE "Later" ("id" INTEGER);`,
    });
    const driver = memoryDriver();
    const logger = collectingLogger();

    const failure = await runMigrations(driver, { migrationsDir: dir, logger }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as MigrationError).migrationName).toBe("20260102000000_broken");
    expect((failure as MigrationError).message).toMatch(/20260102000000_broken failed.*DoesNotExist/);
    expect(await tableExists(driver, `"Partial"`)).toBe(false);
    expect(await tableExists(driver, `"Later"`)).toBe(false);

    const broken = (await rows(driver)).find((row) => row.migration_name === "20260102000000_broken");
    expect(broken).toMatchObject({ finished_at: null, rolled_back_at: null, applied_steps_count: 0 });
    expect(broken?.logs).toContain("DoesNotExist");

    await expect(runMigrations(driver, { migrationsDir: dir, logger })).rejects.toThrow(
      /20260102000000_broken failed .*no migration will be applied/,
    );
    expect(await tableExists(driver, `"Later"`)).toBe(false);

    // The documented way out: fix the file, mark the attempt rolled back, run again.
    await writeFile(path.join(dir, "20260102000000_broken", "migration.sql"), `CREATE TABLE "Fixed" ("id" INTEGER);`);
    await driver.exec(
      `UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = '20260102000000_broken' AND finished_at IS NULL`,
    );
    expect(await runMigrations(driver, { migrationsDir: dir, logger })).toEqual({
      applied: ["20260102000000_broken", "20260103000000_later"],
    });
  });

  it("applies the real prisma/migrations on PGlite", async () => {
    const driver = memoryDriver();
    const { applied } = await runMigrations(driver, { migrationsDir: realMigrationsDir });
    expect(applied.length).toBeGreaterThan(0);
    await expectRealSchema(driver, applied);
    expect(await runMigrations(driver, { migrationsDir: realMigrationsDir })).toEqual({ applied: [] });
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)("applies the real prisma/migrations on PostgreSQL", async () => {
    const serverUrl = new URL(process.env.TEST_DATABASE_URL ?? "");
    const database = `relaydesk_migrate_test_${randomBytes(4).toString("hex")}`;
    // CREATE/DROP DATABASE cannot take parameters; the name is ours and safe to inline.
    await adminQuery(serverUrl, `CREATE DATABASE "${database}"`);
    cleanups.push(() => adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
    const url = new URL(serverUrl);
    url.pathname = `/${database}`;
    const driver = await pgDriver(url.toString());
    cleanups.push(() => driver.close());

    const { applied } = await runMigrations(driver, { migrationsDir: realMigrationsDir });
    await expectRealSchema(driver, applied);
    expect(await runMigrations(driver, { migrationsDir: realMigrationsDir })).toEqual({ applied: [] });
  });
});

async function expectRealSchema(driver: SqlDriver, applied: string[]): Promise<void> {
  const recorded = await rows(driver);
  expect(recorded.map((row) => row.migration_name)).toEqual(applied);
  for (const row of recorded) {
    const sql = await readFile(path.join(realMigrationsDir, row.migration_name, "migration.sql"), "utf8");
    expect(row.checksum).toBe(sha256(sql));
  }
  // The hand-written tail of the init migration (trigger) is there and works.
  expect(await tableExists(driver, `"Ticket"`)).toBe(true);
  const triggers = await driver.query<{ tgname: string }>(
    `SELECT tgname FROM pg_trigger WHERE tgname = 'ticket_count_maintain'`,
  );
  expect(triggers).toHaveLength(1);
}

/** Runs one statement on the server's maintenance database ("postgres"). */
async function adminQuery(serverUrl: URL, sql: string): Promise<void> {
  const url = new URL(serverUrl);
  url.pathname = "/postgres";
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
