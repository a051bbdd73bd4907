#!/usr/bin/env node
// `npm test`: the whole suite — unit + integration on PGlite, the integration suite again on
// PostgreSQL when TEST_DATABASE_URL is set, then Playwright end-to-end in Debian's Chromium.
// Pass --no-e2e to skip the browser part (quick local loops).
import { spawnSync } from "node:child_process";
import fs from "node:fs";

const run = (label, cmd, args, env = {}) => {
  console.log(`\n▶ ${label}`);
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`✖ ${label} failed`);
    process.exit(r.status ?? 1);
  }
};

const skipE2e = process.argv.includes("--no-e2e");
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!skipE2e && !fs.existsSync(chromium)) {
  console.error(
    [
      `relaydesk: no Chromium at ${chromium} for the end-to-end tests.`,
      "  Debian/Ubuntu:  apt-get install -y chromium",
      "  elsewhere:      npx playwright install chromium, then CHROMIUM_PATH=<path to its chrome> npm test",
      "  or run without the browser tests: npm test -- --no-e2e",
    ].join("\n"),
  );
  process.exit(1);
}

run("unit + integration tests (PGlite)", "npx", ["vitest", "run"], { TEST_DATABASE_URL: "" });
if (process.env.TEST_DATABASE_URL) {
  // Integration files are named *.int.test.ts (plus the migration runner's own test).
  run("integration tests (PostgreSQL)", "npx", ["vitest", "run", ".int.test.ts", "migrate.test.ts"]);
}
if (!skipE2e) run("end-to-end tests (Playwright + Chromium)", "npx", ["playwright", "test"]);
