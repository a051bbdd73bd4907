import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "./generated/client.ts";
import { runMigrations } from "./migrate.ts";
import { oneQueryAtATimeInTransactions } from "./one-query-at-a-time.ts";
import { pgDriver, pgliteDriver, type SqlDriver } from "./sql-driver.ts";
import { pgliteLiveBus, postgresLiveBus, type LiveBus } from "./live-bus.ts";
import type { AppConfig } from "../config.ts";

export type Db = PrismaClient;
declare const inTransactionBrand: unique symbol;
/**
 * The client inside a transaction. Only `inTransaction` makes one, and the brand is what tells it
 * apart from a root client at compile time: a function that must join its caller's transaction
 * takes a `Tx`, one that must open its own takes a `Db`, and neither can be handed the other.
 * (Asking at run time — "is this the root client?" — depended on module identity, which a bundle
 * does not keep: each server chunk had its own registry and the answer was wrong.)
 */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends"> & {
  readonly [inTransactionBrand]: true;
};
/** Reads (and single writes) that are the same inside a transaction and out of one. */
export type DbOrTx = Db | Tx;

export type Database = {
  prisma: Db;
  kind: "pglite" | "postgres";
  /** Raw SQL for the migration runner and the benchmark (multi-statement capable). */
  openDriver(): Promise<SqlDriver>;
  /** Committed changes as the triggers announce them (docs/LIVE.md); one listener per call. */
  openLiveBus(): Promise<LiveBus>;
  close(): Promise<void>;
};

export const MIGRATIONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../prisma/migrations",
);

/**
 * Opens the embedded PGlite ("memory://" for tests) or PostgreSQL. An embedded data folder is
 * held with a lock file: PGlite does not lock it, and two owners silently lose writes.
 */
export async function openDatabase(
  db: AppConfig["database"],
  opts: { migrationsDir?: string; migrate?: boolean; image?: Blob } = {},
): Promise<Database> {
  const database = db.kind === "pglite" ? await openPglite(db.dataDir, opts.image) : openPostgres(db.url, db.poolSize);
  if (opts.migrate !== false) {
    const driver = await database.openDriver();
    try {
      await runMigrations(driver, { migrationsDir: opts.migrationsDir ?? MIGRATIONS_DIR });
    } finally {
      await driver.close();
    }
  }
  return database;
}

/** `image`: an in-memory database starts as a copy of this dump (the tests' migrated template). */
async function openPglite(dataDir: string, image?: Blob): Promise<Database> {
  const inMemory = dataDir.startsWith("memory://");
  const release = inMemory ? () => {} : lockDataDir(dataDir);
  const pglite = inMemory ? new PGlite(image ? { loadDataDir: image } : {}) : new PGlite(dataDir);
  await pglite.waitReady;
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    prisma,
    kind: "pglite",
    openDriver: async () => pgliteDriver(pglite),
    openLiveBus: () => pgliteLiveBus(pglite),
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
      release();
    },
  };
}

/** `poolSize`: DATABASE_POOL_SIZE (docs/OPERATIONS.md); each open transaction holds one connection. */
function openPostgres(url: string, poolSize = 10): Database {
  const prisma = new PrismaClient({ adapter: oneQueryAtATimeInTransactions(new PrismaPg({ connectionString: url, max: poolSize })) });
  return {
    prisma,
    kind: "postgres",
    openDriver: () => pgDriver(url),
    openLiveBus: () => postgresLiveBus(url),
    close: () => prisma.$disconnect(),
  };
}

function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true }); // PGlite does not create the parent folder
  const lockFile = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      return () => fs.rmSync(lockFile, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const owner = Number(fs.readFileSync(lockFile, "utf8"));
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new Error(
          `relaydesk: the embedded database ${dataDir} is in use by process ${owner}; stop it first`,
        );
      }
      fs.rmSync(lockFile, { force: true }); // a stale lock from a killed process
    }
  }
  throw new Error(`relaydesk: could not lock ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A killed owner can linger as a zombie (no init reaps it in some containers): it holds nothing.
  try {
    return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return true; // no /proc (not Linux): trust kill(0)
  }
}
