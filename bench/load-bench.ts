/**
 * `npm run bench:load` — the write paths on PostgreSQL through the built server, each figure
 * beside a reference measured in the same run (docs/PERFORMANCE.md, "Write paths"):
 *
 * - 提交工单: signed-in members over tRPC (`portal.create`), every 4th with an attachment uploaded
 *   first, at a fixed concurrency; reference: the same rows inserted straight over `pg`.
 * - signed callbacks (`message.created` for escalated tickets); partner protocol create + message.
 * - 转移到云技术客服 with the upstream down (the click), then the outbox draining by
 *   `npm run worker` once the upstream (a protocol peer) is up.
 * - embedded PGlite at 100 000 tickets: every queue view, start-up time and memory of the server.
 *
 * It creates its database (dropped and created each run), starts the web processes (`node
 * scripts/start.mjs`, which builds first when the build is missing or older than the sources; one
 * per core by default, on ports of their own, as docs/OPERATIONS.md lays them out), the worker and
 * the peer itself, and stops them on exit. Load: autocannon, driven from here, its connections
 * spread evenly over the web processes (what a reverse proxy in front of them does).
 *
 *   BENCH_LOAD_DATABASE_URL (default: relaydesk_load_bench as postgres over the local Unix socket
 *                     /var/run/postgresql when there is one — what docs/OPERATIONS.md sets up on one
 *                     machine — else over 127.0.0.1:5432)
 *   BENCH_PORT (default 3400: web processes on 3400, 3401, …; the peer listens on +100)
 *   --web-processes N web processes on PostgreSQL (default: the machine's cores)
 *   --connections N   concurrency of every load (default 16)
 *   --creates N       tickets created over HTTP (default 2000)
 *   --callbacks N     signed callbacks (default 4000)   --partner-tickets N   partner creates, as many messages (default 800)
 *   --skip-pglite     leave out the embedded-database part
 *   --tcp             reach the default database over 127.0.0.1:5432 even when the socket is there
 *   --cpu-prof DIR    the server writes a V8 CPU profile into DIR when it stops (open it in Chrome's
 *                     DevTools or speedscope): where the request paths spend their time
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { openDatabase } from "../src/server/db/client.ts";
import { seedDemoData } from "../src/server/db/seed-demo.ts";
import { hashPassword } from "../src/server/auth/password.ts";
import { signedHeaders } from "../src/server/protocol/signature.ts";
import { ZCreateConnectionInput, createUpstreamConnection } from "../src/server/upstream/connections.ts";
import { ZCreatePartnerInput, createPartnerAccount } from "../src/server/partners/partner-admin.ts";
import { UpstreamPeer } from "../src/test/upstream-peer.ts";
import { applyCallbackOverPg, ensureDatabase, fileTicketOverPg, machineLine, pct, printTable } from "./support.ts";

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => Number(args[args.indexOf(`--${name}`) + 1]) || fallback;
const CONNECTIONS = arg("connections", 16);
const WEB_PROCESSES = arg("web-processes", os.availableParallelism());
const CREATES = arg("creates", 2000);
const MEMBERS = Math.ceil(CREATES / 5); // 5 each: under LIMITS.newTicket (10 per member per 10 min)
const SINGLE_CLICKS = 100; // 转移到云技术客服 one click at a time, then the rest at CONNECTIONS
const ESCALATIONS = 400;
const HEALTH_CHECKS = 4000; // the reference: several seconds of the cheapest request
const CALLBACKS = arg("callbacks", 4000);
const PARTNERS = 4; // each allows 600 requests a minute
const PARTNER_TICKETS = arg("partner-tickets", 800);
const PGLITE_TICKETS = 100_000;
const PORT = Number(process.env.BENCH_PORT ?? 3400);
const profileDir = args.includes("--cpu-prof") ? path.resolve(args[args.indexOf("--cpu-prof") + 1] ?? ".") : null;
const PROFILE_ARGS = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
const PEER_PORT = PORT + 100;
const BASE = `http://127.0.0.1:${PORT}`;
const WEB_BASES = Array.from({ length: WEB_PROCESSES }, (_, k) => `http://127.0.0.1:${PORT + k}`);
const SOCKET_DIR = "/var/run/postgresql";
const overSocket = !args.includes("--tcp") && fs.existsSync(path.join(SOCKET_DIR, ".s.PGSQL.5432"));
const url =
  process.env.BENCH_LOAD_DATABASE_URL ??
  (overSocket ? `postgresql://postgres@localhost/relaydesk_load_bench?host=${SOCKET_DIR}` : "postgresql://postgres@127.0.0.1:5432/relaydesk_load_bench");
const root = path.resolve(import.meta.dirname, "..");
const PASSWORD = "bench-password-123";
// The server and this process seal upstream / partner secrets with the same key.
process.env.AUTH_SECRET = "relaydesk-load-bench-secret-0123456789abcdef";

const children: ChildProcess[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "relaydesk-load-"));
function cleanUp() {
  for (const c of children) if (c.exitCode === null && c.pid) process.kill(c.pid, "SIGTERM");
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.on("exit", cleanUp);
for (const s of ["SIGINT", "SIGTERM"] as const) process.on(s, () => process.exit(130));

const log = (msg: string) => console.log(`[load ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const f1 = (n: number) => n.toFixed(1);
const f0 = (n: number) => n.toFixed(0);

function start(name: string, cmd: string, argv: string[], env: Record<string, string>) {
  const child = spawn(cmd, argv, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  const out = fs.createWriteStream(path.join(tmp, `${name}.log`));
  child.stdout!.pipe(out);
  child.stderr!.on("data", (d: Buffer) => process.stderr.write(`[${name}] ${d}`));
  return child;
}
async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}
async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 900_000) {
  const t0 = Date.now();
  while (!(await probe().catch(() => false))) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - t0;
}
const healthy = (base: string) => async () => (await fetch(`${base}/api/health`)).ok;
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;

function serverEnv(extra: Record<string, string>, port = PORT) {
  return { PORT: String(port), PUBLIC_URL: BASE, LOG_LEVEL: "warn", RELAYDESK_DEMO_DATA: "no", RELAYDESK_DATA_DIR: path.join(tmp, "data"), ...extra };
}

type Load = { perSecond: number; p50: number; p95: number; failed: number; n: number };

/** `amount` requests at `connections` concurrency over all web processes; `next(i)` gives the i-th request. */
type Req = { path: string; headers: Record<string, string>; body?: string; method?: "GET" | "POST" };
async function load(amount: number, next: (i: number) => Req, connections = CONNECTIONS, expected = (status: number) => status < 300): Promise<Load> {
  const samples: number[] = [];
  let i = 0;
  let failed = 0;
  const t0 = performance.now();
  // autocannon notices that `amount` is reached only at its next once-a-second sample, so the
  // run lasts until the last response, not until its callback.
  let tLast = t0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        // autocannon spreads the connections over several URLs (its README); its types say one string.
        url: (connections >= WEB_BASES.length ? WEB_BASES : BASE) as string,
        connections,
        amount,
        timeout: 60,
        requests: [{ setupRequest: (req) => ({ ...req, method: "POST", ...next(i++) }) }],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on("response", (_c, status, _b, ms) => {
      tLast = performance.now();
      samples.push(ms);
      if (!expected(status)) failed++;
    });
  });
  const seconds = (tLast - t0) / 1000;
  failed += result.errors + result.timeouts;
  return { perSecond: (samples.length - failed) / seconds, p50: pct(samples, 50), p95: pct(samples, 95), failed, n: samples.length };
}

/** The same amount of work at the same concurrency, each unit timed: the reference column. */
async function reference(amount: number, unit: (i: number) => Promise<unknown>) {
  const samples: number[] = [];
  let i = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (i < amount) {
        const n = i++;
        const s = performance.now();
        await unit(n);
        samples.push(performance.now() - s);
      }
    }),
  );
  return { perSecond: amount / ((performance.now() - t0) / 1000), p50: pct(samples, 50), p95: pct(samples, 95) };
}

const cookieOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(";")[0]!).join("; ");

/** Signs in through next-auth's credentials door, as the login form does. */
async function signIn(provider: "member" | "staff", login: string, password: string) {
  const csrf = await fetch(`${BASE}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${BASE}/api/auth/callback/${provider}`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieOf(csrf) },
    body: new URLSearchParams({ csrfToken, login, password, json: "true" }),
  });
  const cookie = res.headers.getSetCookie().find((c) => c.includes("session-token="));
  if (!cookie) throw new Error(`sign-in of ${login} failed: ${res.status}`);
  return cookie.split(";")[0]!;
}

// A 1×1 PNG: the upload's type check looks at the bytes.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64");
async function upload(cookie: string) {
  const form = new FormData();
  form.append("file", new Blob([PNG], { type: "image/png" }), "截图.png");
  const res = await fetch(`${BASE}/api/uploads?purpose=attachment`, { method: "POST", headers: { cookie }, body: form });
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: number }).id;
}

const trpc = (procedure: string, cookie: string, input: unknown) => ({
  path: `/api/trpc/${procedure}`,
  headers: { "content-type": "application/json", cookie },
  body: JSON.stringify({ json: input }),
});

async function main() {
  const rows: string[][] = [];
  const row = (what: string, figure: string, ref: string, ratio: string, goal: string, met: boolean | null) =>
    rows.push([what, figure, ref, ratio, goal, met === null ? "" : met ? "met" : "NOT met"]);
  const load0 = os.loadavg()[0]!;

  log(`fresh database ${new URL(url).pathname.slice(1)}, demo data, ${MEMBERS} members`);
  await ensureDatabase(url, { fresh: true });
  const database = await openDatabase({ kind: "postgres", url });
  const db = database.prisma;
  await seedDemoData(db);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const hash = await hashPassword(PASSWORD);
  const members = (
    await client.query<{ id: number }>(
      `INSERT INTO "Member" (name, email, "passwordHash", "updatedAt")
       SELECT '会员' || g, 'load' || g || '@bench.local', $1, now() FROM generate_series(1, ${MEMBERS}) g RETURNING id`,
      [hash],
    )
  ).rows.map((r) => r.id);
  const category = (await client.query<{ id: number }>(`SELECT id FROM "Category" WHERE name = '使用咨询'`)).rows[0]!.id;
  const apiCategory = (await client.query<{ id: number }>(`SELECT id FROM "Category" WHERE name = '备案类问题'`)).rows[0]!.id;

  // The upstream (down until the drain) and the partners, configured through the services the admin pages call.
  const peer = new UpstreamPeer({ port: PEER_PORT });
  const connection = await createUpstreamConnection(db, { authSecret: process.env.AUTH_SECRET! }, ZCreateConnectionInput.parse({
    name: "小鸟云", baseUrl: `http://127.0.0.1:${PEER_PORT}`, partnerId: peer.partnerId, keyId: peer.keyId, secret: peer.secret, enabled: true, isDefault: true,
  }));
  const partners: { partnerId: string; keyId: string; secret: string }[] = [];
  for (let p = 0; p < PARTNERS; p++) {
    const made = await createPartnerAccount(db, ZCreatePartnerInput.parse({ name: `下级${p + 1}`, callbackUrl: `http://127.0.0.1:${PEER_PORT}/partner-callback`, allowedTypes: ["BUSINESS_TECH", "ICP_FILING"] }));
    partners.push({ partnerId: made.partner.partnerId, keyId: made.partner.keyId, secret: made.secret });
  }
  // Accepted API-category tickets (R1, R2) for 转移到云技术客服.
  const toEscalate = (
    await client.query<{ id: number }>(
      `WITH t AS (INSERT INTO "Ticket" (title, "memberId", "categoryId", status, "assigneeId", "respondedAt", "updatedAt")
         SELECT '备案进度 #' || g, $1::int, $2::int, 'PROCESSING', 2, now(), now() FROM generate_series(1, ${ESCALATIONS}) g RETURNING id)
       INSERT INTO "TicketMessage" ("ticketId", "authorKind", "memberId", body) SELECT id, 'MEMBER', $1::int, '备案需要什么材料？' FROM t RETURNING "ticketId" AS id`,
      [members[0], apiCategory],
    )
  ).rows.map((r) => r.id);
  await client.query("ANALYZE");

  log(`starting ${WEB_PROCESSES} web process(es) (the first builds if the build is missing or stale, and migrates)`);
  const servers: ChildProcess[] = [];
  for (const [k, base] of WEB_BASES.entries()) {
    servers.push(start(`server${k}`, process.execPath, [...PROFILE_ARGS, "scripts/start.mjs"], serverEnv({ DATABASE_URL: url, RELAYDESK_WORKER: "off" }, PORT + k)));
    if (k === 0) await waitFor("the first web process", healthy(base));
  }
  for (const base of WEB_BASES) await waitFor(`the web process at ${base}`, healthy(base));

  // ---- 提交工单 over HTTP
  log(`signing in ${MEMBERS} members`);
  const cookies: string[] = [];
  const t0 = performance.now();
  for (let i = 0; i < members.length; i += 8) cookies.push(...(await Promise.all(members.slice(i, i + 8).map((m) => signIn("member", String(m), PASSWORD)))));
  const signInsPerSecond = members.length / ((performance.now() - t0) / 1000);
  const withFile = Math.floor(CREATES / 4);
  log(`uploading ${withFile} attachments`);
  const files: number[] = [];
  for (let i = 0; i < withFile; i += 8) files.push(...(await Promise.all(Array.from({ length: Math.min(8, withFile - i) }, (_, k) => upload(cookies[(i + k) * 4 % MEMBERS]!)))));
  log(`${CREATES} creates at ${CONNECTIONS} connections`);
  const creates = await load(CREATES, (i) =>
    trpc("portal.create", cookies[i % MEMBERS]!, {
      categoryId: category, title: `控制台无法登录 #${i}`, body: "从今天早上开始控制台一直提示会话过期，清缓存也不行。", contactPhone: "13800138000",
      attachmentIds: i % 4 === 0 && files[i / 4] !== undefined ? [files[i / 4]] : [],
    }),
  );
  const pool = new pg.Pool({ connectionString: url, max: CONNECTIONS });
  const direct = await reference(CREATES, (i) =>
    fileTicketOverPg(pool, { title: `控制台无法登录 #${i}`, memberId: members[i % MEMBERS]!, categoryId: category, contactPhone: "13800138000", body: "从今天早上开始控制台一直提示会话过期，清缓存也不行。" }),
  );
  row(`提交工单 (portal.create, 1 in 4 with a file), req/s`, f0(creates.perSecond), f0(direct.perSecond), `${f1(direct.perSecond / creates.perSecond)}× slower`, "≥ 300/s", creates.perSecond >= 300);
  row(`  p50 / p95 ms`, `${f1(creates.p50)} / ${f1(creates.p95)}`, `${f1(direct.p50)} / ${f1(direct.p95)}`, `${f1(creates.p95 / direct.p95)}×`, "", null);
  row(`  sign-ins (8 at a time), /s`, f0(signInsPerSecond), "", "", "", null);

  // ---- the floor under every tRPC call: Next, the proxy, tRPC, the session cookie and the viewer, refused at the input check
  const refused = await load(CREATES, (i) => trpc("portal.create", cookies[i % MEMBERS]!, { categoryId: category, title: "", body: "" }), CONNECTIONS, (status) => status === 400);
  row(`  the same call refused by its input check (400), req/s`, f0(refused.perSecond), "", "", "", null);

  // ---- 转移到云技术客服, upstream down
  const staff = await signIn("staff", "kefu", "kefu123456");
  log(`${ESCALATIONS} escalations with the upstream down: ${SINGLE_CLICKS} one at a time, the rest at ${CONNECTIONS} connections`);
  const clicks = await load(SINGLE_CLICKS, (i) => trpc("escalation.escalate", staff, { ticketId: toEscalate[i] }), 1);
  const plainClicks = await load(SINGLE_CLICKS, () => ({ path: "/api/health", headers: {}, method: "GET" }), 1);
  const escalations = await load(ESCALATIONS - SINGLE_CLICKS, (i) => trpc("escalation.escalate", staff, { ticketId: toEscalate[SINGLE_CLICKS + i] }));
  const plain = await load(HEALTH_CHECKS, () => ({ path: "/api/health", headers: {}, method: "GET" }));
  row(`转移到云技术客服 (upstream down), one click at a time, p95 ms`, f1(clicks.p95), f1(plainClicks.p95), `${f1(clicks.p95 / plainClicks.p95)}× /api/health`, "< 50 ms", clicks.p95 < 50);
  row(`  at ${CONNECTIONS} connections, p95 ms`, f1(escalations.p95), f1(plain.p95), `${f1(escalations.p95 / plain.p95)}× /api/health`, "< 50 ms", escalations.p95 < 50);

  // ---- the outbox draining once the upstream is up
  await peer.start();
  const pending = async () =>
    Number((await client.query(`SELECT count(*) AS n FROM "OutboxMessage" WHERE kind = 'UPSTREAM_REQUEST' AND status = 'PENDING'`)).rows[0].n);
  const queued = await pending();
  log(`worker: draining ${queued} deliveries`);
  const d0 = performance.now();
  const worker = start("worker", process.execPath, ["--import", "tsx", "src/worker/main.ts"], { DATABASE_URL: url, PUBLIC_URL: BASE, LOG_LEVEL: "warn" });
  await waitFor("the drain", async () => (await pending()) === 0, 600_000);
  const drainSeconds = (performance.now() - d0) / 1000; // includes the worker's start-up
  const deliveries = queued / drainSeconds;
  await stop(worker);
  row(`outbox drain by one worker, deliveries/s`, f0(deliveries), "", "", "", null);

  // ---- signed callbacks: message.created for the escalated tickets
  const links = (await client.query<{ ticketId: number; guid: string }>(`SELECT "ticketId", guid FROM "UpstreamLink" WHERE guid IS NOT NULL`)).rows;
  const callbackPath = `/api/upstream/v1/callbacks/${connection.id}`;
  log(`${CALLBACKS} callbacks over ${links.length} escalated tickets`);
  const now = new Date().toISOString();
  const callbacks = await load(CALLBACKS, (i) => {
    const link = links[i % links.length]!;
    const body = JSON.stringify({
      eventId: `bench-e-${i}`, type: "message.created", guid: link.guid, externalId: String(link.ticketId), occurredAt: now,
      data: { id: `bench-m-${i}`, author: { kind: "agent", id: "404907", name: "云技术客服404907" }, body: `已为您处理，请再试一次 (${i})`, createdAt: now, attachments: [] },
    });
    const headers = signedHeaders({ partnerId: peer.partnerId, keyId: peer.keyId, secret: peer.secret, method: "POST", pathWithQuery: callbackPath, body });
    return { path: callbackPath, headers: { ...headers, "content-type": "application/json" }, body };
  });
  const appliedOverPg = await reference(CALLBACKS, (i) => applyCallbackOverPg(pool, { connectionId: connection.id, ticketId: links[i % links.length]!.ticketId, n: i }));
  row(`signed callbacks (message.created), events/s`, f0(callbacks.perSecond), f0(plain.perSecond), `${f1(plain.perSecond / callbacks.perSecond)}× slower than /api/health`, "≥ 1000/s", callbacks.perSecond >= 1000);
  row(`  p50 / p95 ms`, `${f1(callbacks.p50)} / ${f1(callbacks.p95)}`, `${f1(plain.p50)} / ${f1(plain.p95)}`, "", "", null);
  row(`  its 13 statements straight over pg, events/s`, "", f0(appliedOverPg.perSecond), `${f1(appliedOverPg.perSecond / callbacks.perSecond)}× the server`, "≥ 1000/s", null);
  row(`    p50 / p95 ms`, "", `${f1(appliedOverPg.p50)} / ${f1(appliedOverPg.p95)}`, "", "", null);

  // ---- partner protocol: create, then a message on each
  const signedPost = (i: number, pathWithQuery: string, payload: unknown) => {
    const p = partners[i % PARTNERS]!;
    const body = JSON.stringify(payload);
    return { path: pathWithQuery, headers: { ...signedHeaders({ partnerId: p.partnerId, keyId: p.keyId, secret: p.secret, method: "POST", pathWithQuery, body }), "content-type": "application/json" }, body };
  };
  log(`partner protocol: ${PARTNER_TICKETS} creates + ${PARTNER_TICKETS} messages`);
  const pCreates = await load(PARTNER_TICKETS, (i) =>
    signedPost(i, "/api/upstream/v1/tickets", {
      externalId: `PT${i}`, type: "ICP_FILING", title: `备案咨询 ${i}`, member: { id: `C-bench${i % 50}` },
      messages: [{ externalMessageId: `PT${i}-1`, author: { role: "member", name: "客户" }, body: "备案需要什么材料？" }],
    }),
  );
  const partnerGuids = new Map(
    (await client.query<{ partnerTicketNo: string; guid: string }>(`SELECT "partnerTicketNo", guid FROM "Ticket" WHERE "partnerTicketNo" LIKE 'PT%'`)).rows.map((r) => [r.partnerTicketNo, r.guid]),
  );
  const pMessages = await load(PARTNER_TICKETS, (i) =>
    signedPost(i, `/api/upstream/v1/tickets/${partnerGuids.get(`PT${i}`)}/messages`, { externalMessageId: `PT${i}-2`, author: { role: "staff", name: "客服" }, body: "客户补充：已上传材料。" }),
  );
  row(`partner create (6.1), req/s`, f0(pCreates.perSecond), f0(plain.perSecond), `${f1(plain.perSecond / pCreates.perSecond)}× slower than /api/health`, "", null);
  row(`partner message (6.2), req/s`, f0(pMessages.perSecond), f0(plain.perSecond), `${f1(plain.perSecond / pMessages.perSecond)}× slower than /api/health`, "", null);
  const failures = [creates, refused, clicks, plainClicks, escalations, plain, callbacks, pCreates, pMessages].reduce((s, l) => s + l.failed, 0);

  for (const server of servers) await stop(server);
  await peer.stop();
  await pool.end();
  await client.end();
  const serverVersion = (await db.$queryRawUnsafe<{ server_version: string }[]>("SHOW server_version"))[0]?.server_version;
  await database.close();

  // ---- embedded PGlite at 100 000 tickets
  if (!args.includes("--skip-pglite")) {
    const dir = path.join(tmp, "pglite-data");
    log(`PGlite: seeding ${PGLITE_TICKETS.toLocaleString()} tickets (bench/seed.ts), then every queue view`);
    const scale = start("pglite", process.execPath, ["--import", "tsx", "bench/pglite-scale.ts", dir], { BENCH_TICKETS: String(PGLITE_TICKETS) });
    const code = await new Promise<number | null>((r) => scale.once("exit", r));
    const out = fs.readFileSync(path.join(tmp, "pglite.log"), "utf8");
    const line = out.split("\n").find((l) => l.startsWith("RESULT "));
    if (code !== 0 || !line) throw new Error(`the PGlite part failed (exit ${code})`);
    const result = JSON.parse(line.slice(7)) as { seedSeconds: number; rss: number; rows: { view: string; list: number; counts: number }[] };
    const worst = result.rows.reduce((w, r) => (Math.max(r.list, r.counts) > Math.max(w.list, w.counts) ? r : w));
    const worstMs = Math.max(worst.list, worst.counts);
    log("PGlite: starting the server on that data");
    const embedded = start("server-pglite", process.execPath, ["scripts/start.mjs"], serverEnv({ DATABASE_URL: "", RELAYDESK_DATA_DIR: dir }));
    const startup = await waitFor("the PGlite server", healthy(BASE));
    for (let i = 0; i < 20; i++) await (await fetch(`${BASE}/login`)).text();
    const rss = rssMb(embedded.pid!);
    await stop(embedded);
    row(`PGlite ${PGLITE_TICKETS.toLocaleString()} tickets: worst view p95 ms (${worst.view})`, f1(worstMs), "", "", "< 100 ms", worstMs < 100);
    row(`PGlite: server start-up to /api/health, s`, f1(startup / 1000), "", "", "", null);
    row(`PGlite: server RSS after start + 20 sign-in pages, MB`, f0(rss), "", "", "", null);
    row(`PGlite: seed ${PGLITE_TICKETS.toLocaleString()} tickets + 5 messages each, s (bench process RSS ${f0(result.rss / 2 ** 20)} MB)`, f0(result.seedSeconds), "", "", "", null);
    console.log(`\nPGlite views (p95 ms, 20 runs after 3 warm-ups): ${result.rows.map((r) => `${r.view} ${f1(r.list)}/${f1(r.counts)}`).join("; ")}`);
  }

  console.log(`\nwrite paths on PostgreSQL through the built server: ${WEB_PROCESSES} web process(es), ${CONNECTIONS} connections spread over them (autocannon); ${new Date().toISOString()}`);
  console.log(machineLine(serverVersion));
  const socketDir = new URL(url).searchParams.get("host");
  console.log(`database: ${socketDir ? `${socketDir} (Unix socket)` : `${new URL(url).host} (TCP)`}`);
  console.log(`load average at start ${load0.toFixed(2)}; failed requests: ${failures}`);
  printTable(["figure", "value", "reference", "ratio", "goal", ""], rows, [0, 3, 4, 5]);
}

main()
  .then(() => process.exit(0))
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
