/**
 * `npm run bench:live` — fan-out of the live channel on PostgreSQL: N connected SSE clients
 * (default 200: half staff, half members), then ticket commands committed one after another;
 * for each, the time from the commit returning to each client receiving the event (p50/p95 over
 * all deliveries), and the memory one open connection costs.
 *
 * The server is the real SSE door (tRPC's fetch handler over node:http, the live router, the hub
 * on a LISTEN connection); the clients are plain streaming fetches in the same process, so the
 * memory figure covers both ends of a connection.
 *
 *   BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres): a scratch database
 *   is created on that server and dropped afterwards.
 *   --clients N (default 200)   --commits N (default 40)
 */
import http from "node:http";
import { randomBytes } from "node:crypto";
import pg from "pg";
import superjson from "superjson";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { openDatabase } from "../src/server/db/client.ts";
import { seedDemoData } from "../src/server/db/seed-demo.ts";
import { router } from "../src/server/api/trpc.ts";
import { liveRouter } from "../src/server/api/routers/live.ts";
import { createLiveHub } from "../src/server/services/live-service.ts";
import { replyToTicket } from "../src/server/services/staff-ticket-service.ts";
import { rateLimitsFor } from "../src/server/rate-limits.ts";
import type { Viewer } from "../src/server/viewer.ts";

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => Number(args[args.indexOf(`--${name}`) + 1]) || fallback;
const CLIENTS = arg("clients", 200);
const COMMITS = arg("commits", 40);
const serverUrl = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

const pct = (s: number[], p: number) => [...s].sort((a, b) => a - b)[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0;
const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
async function admin(sql: string) {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  await c.query(sql).finally(() => c.end());
}
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((r) => setTimeout(r, 200));
  }
};

async function main() {
  const name = `relaydesk_bench_live_${randomBytes(4).toString("hex")}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: "postgres", url: url.toString() });
  try {
    await seedDemoData(database.prisma);
    const db = database.prisma;
    const bus = await database.openLiveBus();
    const hub = createLiveHub(db, bus, { maxPerAccount: CLIENTS });
    const appRouter = router({ live: liveRouter });
    const viewers: Record<string, Viewer> = {
      staff: { kind: "staff", staffId: 2, name: "客服小王", role: "STAFF" },
      member: { kind: "member", memberId: 1100001, name: "张三" },
    };
    const server = http.createServer(async (req, res) => {
      const abort = new AbortController();
      res.on("close", () => abort.abort());
      const request = new Request(`http://127.0.0.1${req.url}`, { headers: req.headers as Record<string, string>, signal: abort.signal });
      const viewer = viewers[String(req.headers["x-bench-viewer"])] ?? { kind: "anonymous" };
      const response = await fetchRequestHandler({
        endpoint: "/api/trpc",
        req: request,
        router: appRouter,
        createContext: async () => ({ db, viewer, locale: "zh-CN" as const, timeZone: "Asia/Shanghai", limits: rateLimitsFor(db), clientAddress: "127.0.0.1", live: hub }),
      });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (!response.body) return void res.end();
      const reader = response.body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          res.write(value);
        }
      } catch {
        // the client went away
      }
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;

    const ticketId = (await db.ticket.findFirstOrThrow({ where: { memberId: 1100001, status: { not: "COMPLETED" } }, orderBy: { id: "asc" } })).id;
    await settle();
    const before = process.memoryUsage();

    // Each client: its arrival times by event id.
    const arrivals: Map<number, number>[] = [];
    const aborts: AbortController[] = [];
    const input = encodeURIComponent(JSON.stringify(superjson.serialize({})));
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, i) => {
        const abort = new AbortController();
        aborts.push(abort);
        const seen = new Map<number, number>();
        arrivals.push(seen);
        const res = await fetch(`http://127.0.0.1:${port}/api/trpc/live.events?input=${input}`, { signal: abort.signal, headers: { accept: "text/event-stream", "x-bench-viewer": i % 2 ? "member" : "staff" } });
        const reader = res.body!.getReader();
        const decoder = new TextDecoder();
        let ready!: () => void;
        const isReady = new Promise<void>((r) => (ready = r));
        void (async () => {
          let buffer = "";
          try {
            for (;;) {
              const { done, value } = await reader.read();
              if (done) return;
              const now = performance.now();
              buffer += decoder.decode(value, { stream: true });
              for (const m of buffer.matchAll(/"eventId":(\d+)/g)) seen.set(Number(m[1]), now);
              if (buffer.includes("ready")) ready();
              buffer = buffer.slice(buffer.lastIndexOf("\n") + 1);
            }
          } catch {
            // aborted
          }
        })();
        await isReady;
      }),
    );
    await settle();
    const open = process.memoryUsage();
    console.log(`${CLIENTS} SSE clients connected (hub streams: ${hub.openStreams()})`);
    console.log(`memory per open connection (both ends): heap ${((open.heapUsed - before.heapUsed) / CLIENTS / 1024).toFixed(1)} KB, rss ${((open.rss - before.rss) / CLIENTS / 1024).toFixed(1)} KB (rss ${mb(before.rss)} → ${mb(open.rss)} MB)`);

    const latencies: number[] = [];
    let missing = 0;
    const staff = viewers.staff as Extract<Viewer, { kind: "staff" }>;
    for (let n = 0; n < COMMITS; n++) {
      await replyToTicket(db, staff, { ticketId, body: `bench ${n}`, attachmentIds: [] });
      const committed = performance.now();
      const eventId = (await db.ticketEvent.findFirstOrThrow({ where: { ticketId }, orderBy: { id: "desc" }, select: { id: true } })).id;
      const deadline = Date.now() + 5_000;
      while (arrivals.some((a) => !a.has(eventId)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      for (const a of arrivals) {
        const at = a.get(eventId);
        if (at === undefined) missing++;
        else latencies.push(Math.max(0, at - committed));
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    console.log(`commit → client event over ${latencies.length} deliveries (${COMMITS} commits × ${CLIENTS} clients): p50 ${pct(latencies, 50).toFixed(1)} ms, p95 ${pct(latencies, 95).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms; missing ${missing}`);

    for (const a of aborts) a.abort();
    const end = Date.now() + 5_000;
    while (hub.openStreams() > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    console.log(`after closing every client: hub streams ${hub.openStreams()}`);
    server.close();
    await hub.close();
    await bus.close();
  } finally {
    await database.close();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
