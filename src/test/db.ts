import { randomBytes } from "node:crypto";
import fs from "node:fs";
import pg from "pg";
import { openDatabase, type Database } from "@/server/db/client";
import { pgliteImagePath, postgresTemplateName } from "./templates";

/** `url` is set on PostgreSQL, so a test can open a second client (another process) on the same database. */
export type TestDatabase = Database & { label: string; url?: string };

/**
 * A fresh, migrated database for one test file: an in-memory PGlite, or — when
 * TEST_DATABASE_URL names a PostgreSQL server — a new database created on it and dropped after.
 * `npm test` runs the integration suite both ways.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    // A copy of the run's migrated image (src/test/global-setup.ts); without one, migrate here.
    const image = fs.existsSync(pgliteImagePath()) ? new Blob([fs.readFileSync(pgliteImagePath())]) : undefined;
    const db = await openDatabase({ kind: "pglite", dataDir: "memory://" }, { image });
    return { ...db, label: "pglite" };
  }
  const name = `relaydesk_test_${randomBytes(6).toString("hex")}`;
  await createFromTemplate(serverUrl, name);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ kind: "postgres", url: url.toString() });
  return {
    ...db,
    label: "postgres",
    url: url.toString(),
    close: async () => {
      await db.close();
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/**
 * CREATE DATABASE … TEMPLATE the run's migrated template; PostgreSQL refuses a clone while
 * another clone of it is being made (55006), so that one is retried. No template: an empty one.
 */
async function createFromTemplate(serverUrl: string, name: string) {
  const template = postgresTemplateName();
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const exists = (await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [template])).rowCount;
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(exists ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
        return;
      } catch (e) {
        if ((e as { code?: string }).code !== "55006" || attempt >= 50) throw e;
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 150));
      }
    }
  } finally {
    await client.end();
  }
}

async function adminQuery(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
