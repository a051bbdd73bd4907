import { randomBytes } from "node:crypto";
import fs from "node:fs";
import pg from "pg";
import { openDatabase } from "@/server/db/client";
import { PGlite } from "@electric-sql/pglite";
import { pgliteDriver } from "@/server/db/sql-driver";
import { runMigrations } from "@/server/db/migrate";
import { MIGRATIONS_DIR } from "@/server/db/client";
import { migrationsHash, pgliteImagePath, postgresTemplateName } from "./templates";

/** Vitest global setup: make sure this run's migrated templates exist (built once, then reused). */
export default async function setup() {
  const hash = migrationsHash();
  await ensurePgliteImage(hash);
  if (process.env.TEST_DATABASE_URL) await ensurePostgresTemplate(process.env.TEST_DATABASE_URL, hash);
}

async function ensurePgliteImage(hash: string) {
  const file = pgliteImagePath(hash);
  if (fs.existsSync(file)) return;
  const pglite = new PGlite();
  try {
    await runMigrations(pgliteDriver(pglite), { migrationsDir: MIGRATIONS_DIR, logger: { info: () => {}, warn: () => {} } });
    const dump = await pglite.dumpDataDir("none");
    // Written under a temporary name and renamed: a parallel run never reads half a file.
    const tmp = `${file}.${randomBytes(4).toString("hex")}`;
    fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(tmp, file);
  } finally {
    await pglite.close();
  }
}

async function ensurePostgresTemplate(serverUrl: string, hash: string) {
  const name = postgresTemplateName(hash);
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    if ((await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount) return;
    // Built under another name and renamed when complete, so nobody clones a half-migrated template.
    const building = `${name}__building_${randomBytes(3).toString("hex")}`;
    await admin.query(`CREATE DATABASE ${building}`);
    const url = new URL(serverUrl);
    url.pathname = `/${building}`;
    const db = await openDatabase({ kind: "postgres", url: url.toString() }, { migrationsDir: MIGRATIONS_DIR });
    await db.close();
    try {
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    } catch {
      await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`); // another run won the race
    }
    // Templates of older migrations are of no further use.
    const stale = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'relaydesk\\_tpl\\_%' AND datname <> $1 AND datname NOT LIKE '%\\_\\_building%'", [name]);
    for (const row of stale.rows) await admin.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`).catch(() => {});
  } finally {
    await admin.end();
  }
}
