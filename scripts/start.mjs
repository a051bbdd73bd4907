#!/usr/bin/env node
// `npm start`: build when the build is missing or older than the sources, then serve.
// The server process itself migrates the database and loads demo data (src/instrumentation.ts).
import { spawnSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const buildId = path.join(root, ".next", "BUILD_ID");

function newestMtime(p) {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const entry of fs.readdirSync(p)) {
    if (entry === "generated" || entry.startsWith(".")) continue;
    max = Math.max(max, newestMtime(path.join(p, entry)));
  }
  return max;
}

const sources = ["src", "prisma", "package.json", "next.config.ts", "postcss.config.mjs"].map((p) => path.join(root, p));
const stale =
  !fs.existsSync(buildId) || Math.max(...sources.filter(fs.existsSync).map(newestMtime)) > fs.statSync(buildId).mtimeMs;

if (stale && process.env.RELAYDESK_SKIP_BUILD !== "1") {
  console.log("relaydesk: building (first start or sources changed)…");
  const r = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const port = process.env.PORT ?? "3000";
// Our own server around Next's handler: it tells the app the client's real address (TRUST_PROXY).
const child = spawn(process.execPath, [path.join(root, "scripts/server.mjs")], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, PORT: port, NODE_ENV: "production", NEXTAUTH_URL: process.env.PUBLIC_URL ?? `http://localhost:${port}` },
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(code ?? 0));
