import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { SqlDriver } from "./sql-driver";

// Applies prisma/migrations/*/migration.sql ourselves because Prisma 7's `migrate deploy` needs a
// native schema engine we cannot download (docs/DATABASE.md). The bookkeeping is Prisma's own, so
// `prisma migrate status/deploy` can take over a database this runner migrated, and vice versa.

/** Prisma's advisory lock key: this runner and `prisma migrate deploy` exclude each other. */
const ADVISORY_LOCK_KEY = 72707369;

/** The table exactly as Prisma's schema engine creates it (copied from the engine). */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface RunMigrationsOptions {
  migrationsDir: string;
  logger?: MigrationLogger;
}

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly migrationName?: string,
  ) {
    super(message);
    this.name = "MigrationError";
  }
}

interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  started_at: Date;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

// Progress is the caller's business; warnings must not vanish.
const defaultLogger: MigrationLogger = { info: () => {}, warn: (message) => console.warn(message) };

export async function runMigrations(
  driver: SqlDriver,
  { migrationsDir, logger = defaultLogger }: RunMigrationsOptions,
): Promise<{ applied: string[] }> {
  const migrations = await readMigrations(migrationsDir);
  // Session-level lock: a second instance starting at the same time waits instead of racing.
  await driver.exec(`SELECT pg_advisory_lock(${ADVISORY_LOCK_KEY})`);
  try {
    await driver.exec(CREATE_MIGRATIONS_TABLE);
    const rows = await driver.query<MigrationRow>(
      `SELECT migration_name, checksum, started_at, finished_at, rolled_back_at
         FROM _prisma_migrations ORDER BY started_at`,
    );

    // Like Prisma's P3009: after a failure someone must look before anything else is applied.
    const failed = rows.find((row) => row.finished_at === null && row.rolled_back_at === null);
    if (failed) {
      throw new MigrationError(
        `Migration ${failed.migration_name} failed (started ${failed.started_at.toISOString()}) ` +
          `and is unresolved, so no migration will be applied. Fix its cause, make sure nothing of it ` +
          `remains in the database, then mark it rolled back: UPDATE _prisma_migrations SET rolled_back_at = now() ` +
          `WHERE migration_name = '${failed.migration_name}' AND finished_at IS NULL; (see docs/DATABASE.md)`,
        failed.migration_name,
      );
    }

    // Rolled-back attempts do not count: Prisma applies such a migration again, and so do we.
    const applied = new Map(
      rows.filter((row) => row.rolled_back_at === null).map((row) => [row.migration_name, row]),
    );
    const names = new Set(migrations.map((migration) => migration.name));
    for (const name of applied.keys()) {
      if (!names.has(name)) logger.warn(`Migration ${name} is applied to the database but missing from ${migrationsDir}`);
    }

    const done: string[] = [];
    for (const migration of migrations) {
      const row = applied.get(migration.name);
      if (row) {
        if (!checksumMatches(migration.sql, row.checksum)) {
          logger.warn(`Migration ${migration.name} was modified after it was applied (checksum differs)`);
        }
        continue;
      }
      await applyMigration(driver, migration);
      logger.info(`Applied migration ${migration.name}`);
      done.push(migration.name);
    }
    return { applied: done };
  } finally {
    // If the session is gone, so is its lock: never let the unlock hide the real error.
    await driver.exec(`SELECT pg_advisory_unlock(${ADVISORY_LOCK_KEY})`).catch(() => undefined);
  }
}

async function applyMigration(driver: SqlDriver, migration: MigrationFile): Promise<void> {
  // Unlike Prisma (which records the attempt first), the row is written in the migration's own
  // transaction: a migration is either entirely applied and recorded, or not applied at all.
  await driver.exec("BEGIN");
  try {
    await driver.exec(migration.sql);
    await driver.query(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, clock_timestamp(), 1)`,
      [randomUUID(), migration.checksum, migration.name],
    );
    await driver.exec("COMMIT");
  } catch (error) {
    const reason = describeError(error);
    await driver.exec("ROLLBACK").catch(() => undefined);
    // Recorded outside the failed transaction so that the next run stops (P3009) until a person
    // has looked; if even this fails (connection lost), the original error is what matters.
    await driver
      .query(
        `INSERT INTO _prisma_migrations (id, checksum, migration_name, logs, applied_steps_count)
         VALUES ($1, $2, $3, $4, 0)`,
        [randomUUID(), migration.checksum, migration.name, reason],
      )
      .catch(() => undefined);
    throw new MigrationError(`Migration ${migration.name} failed and was rolled back: ${reason}`, migration.name);
  }
}

async function readMigrations(migrationsDir: string): Promise<MigrationFile[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch((error: unknown) => {
    throw new MigrationError(`Cannot read the migrations folder ${migrationsDir}: ${describeError(error)}`);
  });
  // Files beside the migrations (schema.snapshot.prisma, migration_lock.toml) are not migrations.
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(migrationsDir, name, "migration.sql");
      const bytes = await readFile(file).catch(() => {
        throw new MigrationError(`Migration ${name} has no readable migration.sql (${file})`, name);
      });
      return { name, sql: bytes.toString("utf8"), checksum: sha256(bytes) };
    }),
  );
}

function sha256(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Prisma tolerates a checkout that converted line endings; so do we, to warn only on real edits. */
function checksumMatches(sql: string, checksum: string): boolean {
  const lf = sql.replaceAll("\r\n", "\n");
  return [sql, lf, lf.replaceAll("\n", "\r\n")].some((variant) => sha256(variant) === checksum);
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // pg and PGlite put the SQLSTATE on `code`, Node's fs its errno name.
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? `${error.message} [${code}]` : error.message;
}
