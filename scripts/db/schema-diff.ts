// Computes migration SQL between two Prisma schemas with the WASM schema engine of the Prisma 6
// CLI (dev dependency alias `prisma6`): Prisma 7's CLI needs a native engine we cannot download.
// Shared by db:new-migration and db:check; see docs/DATABASE.md.
import { spawn } from "node:child_process";
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
export const schemaPath = path.join(projectRoot, "prisma/schema.prisma");
export const migrationsDir = path.join(projectRoot, "prisma/migrations");
export const snapshotPath = path.join(migrationsDir, "schema.snapshot.prisma");

const prisma6Cli = path.join(projectRoot, "node_modules/prisma6/build/index.js");
const stubEngine = path.join(projectRoot, "scripts/no-schema-engine.sh");
// Prisma 6 insists on a url although a schema-only diff never connects to it.
const dummyUrl = `url = "postgresql://x@localhost/x"`;
/** What the first migration is diffed from. */
const emptySchema = `datasource db {\n  provider = "postgresql"\n}\n`;
const timeoutMs = 120_000;

export interface SchemaDiff {
  changed: boolean;
  sql: string;
}

/** Diffs `from` (or an empty database when the file does not exist) to `to`. */
export async function diffSchemas(from: string, to: string): Promise<SchemaDiff> {
  // Inside the project, not /tmp: the config imports packages, resolved from its own folder.
  const cacheDir = path.join(projectRoot, "node_modules/.cache");
  await mkdir(cacheDir, { recursive: true });
  const tmp = await mkdtemp(path.join(cacheDir, "relaydesk-schema-diff-"));
  try {
    const fromCopy = path.join(tmp, "from.prisma");
    const toCopy = path.join(tmp, "to.prisma");
    const config = path.join(tmp, "prisma6.config.ts");
    await writeFile(fromCopy, withUrl(await readIfExists(from) ?? emptySchema));
    await writeFile(toCopy, withUrl(await readFile(to, "utf8")));
    // The js engine opens its adapter even for a schema-only diff; an in-memory PGlite is enough
    // and lets the CLI exit on its own.
    await writeFile(
      config,
      `import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
export default {
  experimental: { adapter: true },
  engine: "js",
  schema: ${JSON.stringify(toCopy)},
  async adapter() { return new PrismaPGlite(new PGlite()); },
};
`,
    );
    const args = ["migrate", "diff", "--config", config, "--from-schema-datamodel", fromCopy];
    args.push("--to-schema-datamodel", toCopy, "--script", "--exit-code");
    const { code, stdout, stderr } = await run(process.execPath, [prisma6Cli, ...args]);
    // --exit-code: 0 = no difference, 2 = difference, anything else = the CLI failed.
    if (code === null) throw new Error(`prisma6 migrate diff did not finish within ${timeoutMs / 1000} s`);
    if (code !== 0 && code !== 2) throw new Error(`prisma6 migrate diff failed (exit ${code}):\n${stderr || stdout}`);
    return { changed: code === 2, sql: stdout };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

function withUrl(schema: string): string {
  return schema.replace(/datasource\s+\w+\s*\{[^}]*\}/, (block) =>
    /^\s*url\s*=/m.test(block) ? block : block.replace("{", `{\n  ${dummyUrl}`),
  );
}

async function readIfExists(file: string): Promise<string | undefined> {
  const exists = await access(file).then(() => true, () => false);
  return exists ? readFile(file, "utf8") : undefined;
}

function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: projectRoot,
      env: {
        ...process.env,
        // Without both, the CLI tries to download native engines.
        PRISMA_QUERY_ENGINE_LIBRARY: stubEngine,
        PRISMA_SCHEMA_ENGINE_BINARY: stubEngine,
        CHECKPOINT_DISABLE: "1",
        PRISMA_HIDE_UPDATE_MESSAGE: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    // A CLI that lingers (an adapter keeping the event loop alive) must not hang CI.
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
