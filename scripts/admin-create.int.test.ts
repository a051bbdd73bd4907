import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../src/server/db/client";
import { createRateLimits } from "../src/server/rate-limits";
import { loginStaff } from "../src/server/services/auth-service";

/**
 * A real deployment's way in: `npm run admin:create` creates the first 超级管理员 in a database
 * without demo data, the password from the environment (or a hidden prompt) and never echoed.
 */
const serverUrl = process.env.TEST_DATABASE_URL;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "relaydesk-admin-"));
const dbName = `relaydesk_admin_${randomBytes(4).toString("hex")}`;
const dbUrl = serverUrl ? Object.assign(new URL(serverUrl), { pathname: `/${dbName}` }).toString() : undefined;

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

function run(args: string[], password: string | undefined) {
  return spawnSync(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), "scripts/admin-create.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: dbUrl ?? "", RELAYDESK_DATA_DIR: dataDir, RELAYDESK_ADMIN_PASSWORD: password ?? "", LOG_LEVEL: "silent" },
    input: "",
    timeout: 300_000,
  });
}

async function withDatabase<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase(dbUrl ? { kind: "postgres", url: dbUrl } : { kind: "pglite", dataDir: path.join(dataDir, "pglite") });
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

afterAll(async () => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (serverUrl) await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
});

describe(`npm run admin:create (${serverUrl ? "postgres" : "pglite"})`, () => {
  it("creates the first super admin in an empty database; the password signs in and is never printed", { timeout: 900_000 }, async () => {
    if (serverUrl) await admin(`CREATE DATABASE ${dbName}`);
    expect(await withDatabase((d) => d.prisma.staff.count())).toBe(0); // no demo data: nobody can sign in yet

    const secret = "Root-Pass-2026!";
    const r = run(["--login", "root", "--name", "运维管理员"], secret);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('super admin "root"');
    expect(r.stdout + r.stderr).not.toContain(secret);

    await withDatabase(async (d) => {
      const row = await d.prisma.staff.findUniqueOrThrow({ where: { loginName: "root" } });
      expect(row).toMatchObject({ role: "SUPER_ADMIN", displayName: "运维管理员", disabled: false });
      expect(row.passwordHash).not.toContain(secret);
      expect(await loginStaff(d.prisma, createRateLimits(d.prisma), { login: "root", password: secret, address: "203.0.113.1" })).toMatchObject({ ok: true });
    });

    // The same login twice, a short password, or no password at all (no terminal to ask): refused, nothing changes.
    expect(run(["--login", "root"], "another-pass-1").stderr).toContain("already exists");
    expect(run(["--login", "short"], "1234").status).toBe(1);
    const noPassword = run(["--login", "nopass"], undefined);
    expect(noPassword.status).toBe(1);
    expect(noPassword.stderr).toContain("RELAYDESK_ADMIN_PASSWORD");
    expect(await withDatabase((d) => d.prisma.staff.count())).toBe(1);
  });
});
