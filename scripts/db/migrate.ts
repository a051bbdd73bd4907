// npm run db:migrate — applies pending migrations to PostgreSQL (DATABASE_URL) or, without it,
// to the embedded PGlite in $RELAYDESK_DATA_DIR/pglite (default ./data). For deploy pipelines;
// the app also migrates at start-up.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { runMigrations } from "../../src/server/db/migrate";
import { pgDriver, pgliteDriver, type SqlDriver } from "../../src/server/db/sql-driver";

// Relative to this file, not the cwd, so the script works from any folder.
const migrationsDir = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));

async function openDriver(): Promise<{ driver: SqlDriver; target: string; release: () => void }> {
  const url = process.env.DATABASE_URL;
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) throw new Error("DATABASE_URL must be a postgresql:// URL");
    return { driver: await pgDriver(url), target: "PostgreSQL (DATABASE_URL)", release: () => {} };
  }
  const dataDir = path.resolve(process.env.RELAYDESK_DATA_DIR ?? "./data", "pglite");
  // PGlite does not create the parent folder itself.
  mkdirSync(dataDir, { recursive: true });
  const release = lockDataDir(dataDir);
  return { driver: pgliteDriver(new PGlite(dataDir), { closeDb: true }), target: `PGlite at ${dataDir}`, release };
}

/**
 * PGlite does not lock its folder and a second owner silently loses writes: honour the lock file
 * the app holds (src/server/db/client.ts: `<folder>.lock` with the owner's pid) and hold it too.
 */
function lockDataDir(dataDir: string): () => void {
  const lockFile = `${dataDir}.lock`;
  try {
    writeFileSync(lockFile, String(process.pid), { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const owner = Number(readFileSync(lockFile, "utf8"));
    if (owner && isAlive(owner)) throw new Error(`the embedded database ${dataDir} is in use by process ${owner}; stop it first`);
    writeFileSync(lockFile, String(process.pid)); // stale lock of a killed process
  }
  return () => rmSync(lockFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function main(): Promise<void> {
  const { driver, target, release } = await openDriver();
  try {
    const { applied } = await runMigrations(driver, {
      migrationsDir,
      logger: { info: (message) => console.log(message), warn: (message) => console.warn(`warning: ${message}`) },
    });
    if (applied.length === 0) console.log(`No pending migrations (${target})`);
  } finally {
    await driver.close();
    release();
  }
}

main().catch((error: unknown) => {
  console.error(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}`);
  if (process.env.DEBUG) console.error(error);
  process.exitCode = 1;
});
