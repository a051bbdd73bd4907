import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/**
 * A second Relaydesk instance for the two-instance tests: `node scripts/start.mjs` on its own
 * port and its own PGlite data folder, from the build Playwright's web server already made.
 * It runs in its own process group so `kill()` takes down a build it may start too — the crash the
 * tests need; `stop()` is SIGTERM (the server finishes requests and closes its database) and
 * resolves to the exit code.
 */
export type Instance = { url: string; port: number; dataDir: string; kill(): Promise<number | null>; stop(): Promise<number | null> };

const root = path.resolve(import.meta.dirname, "..");

async function waitUntilUp(url: string, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`instance at ${url} exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/login`);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`instance at ${url} did not start within ${timeoutMs} ms`);
}

/** Wait until the database lock's owner is gone (or a zombie). */
async function serverGone(dataDir: string) {
  const lock = path.join(dataDir, "pglite.lock");
  for (let i = 0; i < 60; i++) {
    const pid = fs.existsSync(lock) ? Number(fs.readFileSync(lock, "utf8")) : 0;
    let alive = false;
    try {
      if (pid) process.kill(pid, 0);
      alive = pid > 0 && !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    } catch {
      alive = false;
    }
    if (!alive) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** `env` adds settings, e.g. DATABASE_URL + AUTH_SECRET to run the instance on PostgreSQL. */
export async function startInstance(port: number, opts: { fresh: boolean; dataDir?: string; env?: Record<string, string> }): Promise<Instance> {
  const url = `http://localhost:${port}`;
  const dataDir = opts.dataDir ?? path.join(root, `.e2e-data-${port}`);
  if (opts.fresh) fs.rmSync(dataDir, { recursive: true, force: true });
  const child = spawn(process.execPath, [path.join(root, "scripts/start.mjs")], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      PORT: String(port),
      PUBLIC_URL: url,
      RELAYDESK_DATA_DIR: dataDir,
      RELAYDESK_DEMO_DATA: "yes",
      RELAYDESK_SKIP_BUILD: "1",
      DATABASE_URL: "",
      LOG_LEVEL: "warn",
      // A restarted peer is retried within seconds, not after the real 30 s backoff.
      RELAYDESK_RETRY_BASE_MS: "1000",
      ...opts.env,
    },
  });
  const log = fs.createWriteStream(path.join(root, "test-results", `instance-${port}.log`), { flags: "a" });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const signalGroup = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    }
    const code = await exited;
    await serverGone(dataDir);
    return code;
  };
  await waitUntilUp(url, child, 120_000);
  return { url, port, dataDir, kill: () => signalGroup("SIGKILL"), stop: () => signalGroup("SIGTERM") };
}
