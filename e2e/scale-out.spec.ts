import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { expect, request, test, type APIRequestContext, type BrowserContext } from "@playwright/test";
import { call, signedIn } from "./helpers";
import { startInstance, type Instance } from "./instance";
import { startConfiguredPeer } from "./upstream-helpers";
import { startS3Server } from "../src/test/s3-server.ts";
import { S3BlobStore } from "../src/server/storage/s3-store.ts";
import type { UpstreamPeer } from "../src/test/upstream-peer.ts";

// The production layout on one fresh PostgreSQL database: two web processes (ports E2E_PORT+31
// and +32, background work off, each with a data folder of its own — as on two machines) and two
// `npm run worker` processes, files in object storage (FILE_STORE=s3 against a real S3 API,
// s3rver). What must be shared is: the sign-in throttle, each delivery upstream (once), files,
// and each process answers its own metrics.

const BASE = Number(process.env.E2E_PORT ?? 3210);
const root = path.resolve(import.meta.dirname, "..");
const METRICS_TOKEN = randomBytes(16).toString("hex");
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
test.describe.configure({ mode: "serial", timeout: 300_000 });
test.skip(!process.env.TEST_DATABASE_URL, "PostgreSQL: set TEST_DATABASE_URL");

const name = `relaydesk_e2e_scale_${randomBytes(5).toString("hex")}`;
const dataDir = path.join(root, `.e2e-data-scale-${BASE}`);
let one: Instance | undefined;
let two: Instance | undefined;
const workers: ChildProcess[] = [];
let peer: UpstreamPeer | undefined;
let s3: Awaited<ReturnType<typeof startS3Server>> | undefined;

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

test.beforeAll(async () => {
  test.setTimeout(300_000);
  await admin(`CREATE DATABASE ${name}`);
  const u = new URL(process.env.TEST_DATABASE_URL!);
  u.pathname = `/${name}`;
  for (const dir of [`${dataDir}-1`, `${dataDir}-2`, dataDir]) fs.rmSync(dir, { recursive: true, force: true });
  s3 = await startS3Server();
  const files = {
    FILE_STORE: "s3",
    S3_ENDPOINT: s3.settings.endpoint!,
    S3_BUCKET: s3.settings.bucket,
    S3_ACCESS_KEY_ID: s3.settings.credentials!.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.settings.credentials!.secretAccessKey,
  };
  // E2E_REDIS_URL runs the same with every rate limit counted in Redis (REDIS_URL).
  const redis: Record<string, string> = process.env.E2E_REDIS_URL ? { REDIS_URL: process.env.E2E_REDIS_URL, REDIS_KEY_PREFIX: `${name}:` } : {};
  const env = { DATABASE_URL: u.toString(), AUTH_SECRET: randomBytes(32).toString("hex"), METRICS_TOKEN, RELAYDESK_DATA_DIR: dataDir, ...files, ...redis };
  one = await startInstance(BASE + 31, { fresh: false, dataDir: `${dataDir}-1`, env: { ...env, RELAYDESK_DATA_DIR: `${dataDir}-1`, RELAYDESK_WORKER: "off" } });
  two = await startInstance(BASE + 32, { fresh: false, dataDir: `${dataDir}-2`, env: { ...env, RELAYDESK_DATA_DIR: `${dataDir}-2`, RELAYDESK_WORKER: "off" } });
  for (let i = 0; i < 2; i++) {
    const log = fs.createWriteStream(path.join(root, "test-results", `scale-worker-${i}.log`), { flags: "a" });
    const worker = spawn(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "src/worker/main.ts"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...env, PUBLIC_URL: one.url, LOG_LEVEL: "info", RELAYDESK_RETRY_BASE_MS: "1000" },
    });
    worker.stdout?.pipe(log);
    worker.stderr?.pipe(log);
    workers.push(worker);
  }
});
test.afterAll(async () => {
  await Promise.all(workers.map((w) => new Promise((resolve) => (w.exitCode !== null ? resolve(null) : (w.once("exit", resolve), w.kill("SIGTERM"))))));
  await peer?.stop();
  await one?.stop();
  await two?.stop();
  await s3?.close();
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  for (const dir of [`${dataDir}-1`, `${dataDir}-2`, dataDir]) fs.rmSync(dir, { recursive: true, force: true });
  if (process.env.E2E_REDIS_URL) {
    const keys = await redisKeys();
    const redis = new Redis(process.env.E2E_REDIS_URL);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  }
});

/** This run's keys in Redis (E2E_REDIS_URL). */
async function redisKeys(): Promise<string[]> {
  const redis = new Redis(process.env.E2E_REDIS_URL!);
  try {
    return await redis.keys(`${name}:*`);
  } finally {
    redis.disconnect();
  }
}


/** A sign-in through next-auth's credentials callback, as the login form posts it: the error code, or "ok". */
async function signIn(api: APIRequestContext, base: string, login: string, password: string): Promise<string> {
  const { csrfToken } = (await (await api.get(`${base}/api/auth/csrf`)).json()) as { csrfToken: string };
  const res = await api.post(`${base}/api/auth/callback/staff`, { form: { csrfToken, login, password, json: "true" }, headers: { origin: base }, maxRedirects: 0 });
  const url = ((await res.json()) as { url: string }).url;
  return new URL(url).searchParams.get("error") ?? "ok";
}

async function scrape(base: string, token = METRICS_TOKEN) {
  const res = await fetch(`${base}/api/metrics`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, type: res.headers.get("content-type") ?? "", text: await res.text() };
}

test("sign-in failures spread over both web processes hold the account back after the same count as on one", async () => {
  const api = await request.newContext();
  const results: string[] = [];
  for (let i = 0; i < 5; i++) results.push(await signIn(api, (i % 2 ? two : one)!.url, "kefu", `wrong-${i}`));
  expect(results).toEqual(Array(5).fill("INVALID_CREDENTIALS"));
  // The right password now waits, on either process.
  expect(await signIn(api, one!.url, "kefu", "kefu123456")).toBe("RATE_LIMITED");
  expect(await signIn(api, two!.url, "kefu", "kefu123456")).toBe("RATE_LIMITED");
  // Another account is untouched: the throttle is per account and address, not global.
  expect(await signIn(api, two!.url, "admin", "admin123456")).toBe("ok");
  await api.dispose();
  // With REDIS_URL the counts are in Redis, not in the database's table.
  if (process.env.E2E_REDIS_URL) expect(await redisKeys()).toContain(`${name}:login-wait:pair:staff:2|127.0.0.1`);
});

test("a file uploaded through one process downloads through the other; an escalation reaches the upstream once with two workers", async ({ browser }) => {
  const memberOnOne = await signedIn(browser, one!.url, "member");
  const adminOnTwo = await signedIn(browser, two!.url, "staff"); // the super admin

  const upload = await memberOnOne.request.post("/api/uploads?purpose=attachment", { multipart: { file: { name: "截图.png", mimeType: "image/png", buffer: PNG } }, headers: { origin: one!.url } });
  expect(upload.status()).toBe(201);
  const file = (await upload.json()) as { id: number };

  const picker = await memberOnOne.request.get(`/api/trpc/categories.listForNewTicket?input=${encodeURIComponent(JSON.stringify({ json: null }))}`);
  const groups = (await picker.json()).result.data.json.groups as { categories: { id: number; name: string }[] }[];
  const category = groups.flatMap((g) => g.categories).find((c) => c.name === "业务资源问题")!;
  const { ticketId } = await call<{ ticketId: number }>(memberOnOne, "portal.create", { categoryId: category.id, title: "两进程：附件与转移", body: "见截图。", businessId: "VPS-10086", attachmentIds: [file.id] });

  // Stored by process one, read by process two: through object storage, not a folder they share.
  const download = await adminOnTwo.request.get(`/api/files/attachments/${file.id}`);
  expect(download.status()).toBe(200);
  expect(Buffer.from(await download.body()).equals(PNG)).toBe(true);
  const key = createHash("sha256").update(PNG).digest("hex");
  expect(await new S3BlobStore(s3!.settings).exists(key)).toBe(true);
  for (const dir of [`${dataDir}-1`, `${dataDir}-2`]) expect(fs.existsSync(path.join(dir, "files", key.slice(0, 2), key))).toBe(false);

  // Escalated through process two; two workers race for the outbox row: the upstream gets one create.
  peer = await startConfiguredPeer(await adminOnTwo.newPage(), "两进程云", { isDefault: true });
  const version = async () => {
    const res = await adminOnTwo.request.get(`/api/trpc/console.ticket?input=${encodeURIComponent(JSON.stringify({ json: { ticketId } }))}`);
    return ((await res.json()).result.data.json as { version: number }).version;
  };
  await call(adminOnTwo, "console.accept", { ticketId, expectedVersion: await version() });
  await call(adminOnTwo, "escalation.escalate", { ticketId, expectedVersion: await version() });
  await expect.poll(() => peer!.ticketByExternalId(String(ticketId))?.guid ?? "", { timeout: 30_000 }).not.toBe("");
  // Give a second worker every chance to deliver again (its poll interval is well under this).
  await expect.poll(async () => (await scrape(one!.url)).text.match(/relaydesk_outbox_pending\{kind="UPSTREAM_REQUEST"\} (\d+)/)?.[1], { timeout: 30_000 }).toBe("0");
  await new Promise((r) => setTimeout(r, 3_000));
  const creates = peer.log.filter((l) => l.method === "POST" && /\/api\/upstream\/v1\/tickets$/.test(l.path));
  expect(creates).toHaveLength(1);

  await Promise.all([memberOnOne.close(), adminOnTwo.close()]);
});

test("each process answers its metrics (token required); counts of different doors land in one registry", async () => {
  // Without METRICS_TOKEN (Playwright's own server) there is no metrics endpoint at all.
  expect((await fetch(`http://localhost:${BASE}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(404);
  expect((await scrape(one!.url, "wrong-token-000000")).status).toBe(401);
  expect((await fetch(`${one!.url}/api/metrics`)).status).toBe(401);
  const a = await scrape(one!.url);
  const b = await scrape(two!.url);
  for (const m of [a, b]) {
    expect(m.status).toBe(200);
    expect(m.type).toContain("text/plain");
    expect(m.text).toContain("# TYPE relaydesk_http_request_duration_seconds histogram");
    expect(m.text).toMatch(/relaydesk_process_cpu_user_seconds_total \d/);
    expect(m.text).toMatch(/relaydesk_outbox_dead\{kind="UPSTREAM_REQUEST"\} 0/);
    expect(m.text).toMatch(/relaydesk_sla_breaches_open \d+/);
    expect(m.text).toMatch(/relaydesk_live_streams \d+/);
  }
  // Process one served sign-ins, uploads, tRPC and metrics; two served the download too.
  for (const route of ["auth", "uploads", "trpc", "metrics"]) expect(a.text, route).toMatch(new RegExp(`relaydesk_http_requests_total\\{route="${route}",method="\\w+",status="\\d+"\\} [1-9]`));
  for (const route of ["auth", "files", "trpc"]) expect(b.text, route).toMatch(new RegExp(`relaydesk_http_requests_total\\{route="${route}",method="\\w+",status="\\d+"\\} [1-9]`));
  expect(b.text).toMatch(/relaydesk_http_requests_total\{route="files",method="GET",status="200"\} 1\b/);
});
