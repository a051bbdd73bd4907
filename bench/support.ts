import os from "node:os";
import pg from "pg";

/** What the benches share: their database on a PostgreSQL server, percentiles, the printed table. */

/** Creates the database named by `url` on its server when missing (`fresh`: drop it first). */
export async function ensureDatabase(url: string, opts: { fresh?: boolean; template?: string } = {}) {
  const server = new URL(url);
  const name = server.pathname.slice(1);
  server.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  try {
    if (opts.fresh) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (exists.rowCount === 0) {
      if (opts.template) console.log(`copying ${opts.template} → ${name} …`);
      await admin.query(`CREATE DATABASE "${name}"${opts.template ? ` TEMPLATE "${opts.template}"` : ""}`);
    }
  } finally {
    await admin.end();
  }
}

/** The p-th percentile (nearest rank) of `samples`. */
export function pct(samples: number[], p: number) {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? 0;
}

/** Warm-up runs, then `runs` measured ones, one after another: p50 / p95 in ms. */
export async function timeRuns(fn: () => Promise<unknown>, runs: number, warmup = 5) {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return { p50: pct(samples, 50), p95: pct(samples, 95) };
}

/** A markdown table, numbers right-aligned; `left` columns (by index) are left-aligned. */
export function printTable(header: string[], rows: string[][], left: number[] = [0]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (left.includes(i) ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const r of rows) console.log(line(r));
}

export function machineLine(serverVersion?: string) {
  const load = os.loadavg().map((l) => l.toFixed(2)).join(" ");
  return `machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM${serverVersion ? `, PostgreSQL ${serverVersion}` : ""}; load average ${load}`;
}
