#!/usr/bin/env node
// `npm test`: the whole suite — unit + integration on PGlite, the integration suite again on
// PostgreSQL when TEST_DATABASE_URL is set, then Playwright end-to-end in Debian's Chromium.
// Pass --no-e2e to skip the browser part (quick local loops). Ends with one summary line.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const reports = fs.mkdtempSync(path.join(os.tmpdir(), "relaydesk-test-"));
const totals = { passed: 0, failed: 0, skipped: 0 };

function count(file, pick) {
  if (!fs.existsSync(file)) return;
  const r = pick(JSON.parse(fs.readFileSync(file, "utf8")));
  for (const k of Object.keys(totals)) totals[k] += r[k] ?? 0;
}
const vitestCounts = (j) => ({ passed: j.numPassedTests, failed: j.numFailedTests, skipped: j.numPendingTests + j.numTodoTests });
const playwrightCounts = (j) => ({ passed: j.stats.expected, failed: j.stats.unexpected + j.stats.flaky, skipped: j.stats.skipped });

function run(label, cmd, args, env, report) {
  console.log(`\n▶ ${label}`);
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
  if (report) count(...report);
  if (r.status !== 0) {
    console.error(`✖ ${label} failed`);
    console.log(`\nrelaydesk: ${totals.passed} passed, ${Math.max(totals.failed, 1)} failed`);
    process.exit(r.status ?? 1);
  }
}

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

const vitest = (name, extra) => {
  const out = path.join(reports, `${name}.json`);
  return [["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`, ...extra], [out, vitestCounts]];
};

const [pgliteArgs, pgliteReport] = vitest("pglite", []);
run("unit + integration tests (PGlite)", "npx", pgliteArgs, { TEST_DATABASE_URL: "" }, pgliteReport);
if (process.env.TEST_DATABASE_URL) {
  // Integration files are named *.int.test.ts (plus the migration runner's own test).
  const [pgArgs, pgReport] = vitest("postgres", [".int.test.ts", "migrate.test.ts"]);
  run("integration tests (PostgreSQL)", "npx", pgArgs, {}, pgReport);
}
if (!skipE2e) {
  const out = path.join(reports, "e2e.json");
  run("end-to-end tests (Playwright + Chromium)", "npx", ["playwright", "test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: out }, [out, playwrightCounts]);
}
console.log(`\nrelaydesk: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
