import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { MIGRATIONS_DIR } from "@/server/db/client";

// One migrated database per test run, copied for each test file: PostgreSQL clones a template
// database (CREATE DATABASE … TEMPLATE), PGlite starts from a dump of a migrated instance. Both
// are named after the migrations' contents, so a changed migration makes a new template and an
// unchanged one is reused across runs.

export function migrationsHash(dir = MIGRATIONS_DIR): string {
  const hash = createHash("sha256");
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name, "migration.sql");
    if (!fs.existsSync(file)) continue;
    hash.update(name).update("\0").update(fs.readFileSync(file)).update("\0");
  }
  return hash.digest("hex").slice(0, 16);
}

/** The PostgreSQL template database for these migrations. */
export const postgresTemplateName = (hash = migrationsHash()) => `relaydesk_tpl_${hash}`;

/** Where the PGlite dump of a migrated database is kept between runs. */
export const pgliteImagePath = (hash = migrationsHash()) => path.join(os.tmpdir(), `relaydesk-test-${hash}.pglite.tar`);
