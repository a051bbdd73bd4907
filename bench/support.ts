import os from "node:os";
import pg from "pg";
import { seed, MESSAGES_PER_TICKET, TICKETS } from "./seed.ts";

/**
 * What the benches share: their database on a PostgreSQL server (created when missing, the queue
 * data set seeded once — `npm run bench` and `npm run bench:sla` both re-use it), percentiles, the
 * timing of a query, the printed table.
 */
export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/relaydesk_bench";

/** A connection to the server's maintenance database (to create, copy or drop a database). */
async function withServer<T>(url: string, fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const server = new URL(url);
  server.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

const nameOf = (url: string) => new URL(url).pathname.slice(1);

export function databaseExists(url: string): Promise<boolean> {
  return withServer(url, async (admin) => (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [nameOf(url)])).rowCount === 1);
}

/** Creates the database named by `url` on its server when missing (`fresh`: drop it first; `template`: a copy of that one). */
export async function ensureDatabase(url: string, opts: { fresh?: boolean; template?: string } = {}) {
  const name = nameOf(url);
  await withServer(url, async (admin) => {
    if (opts.fresh) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (exists.rowCount === 0) {
      if (opts.template) console.log(`copying ${opts.template} → ${name} …`);
      await admin.query(`CREATE DATABASE "${name}"${opts.template ? ` TEMPLATE "${opts.template}"` : ""}`);
    }
  });
}

/** The queue bench's data set in `client`'s database (migrated by the caller's openDatabase first); seeded when incomplete or with --reseed. */
export async function ensureSeeded(client: pg.Client, reseed: boolean) {
  const have = Number((await client.query(`SELECT count(*) AS n FROM (SELECT 1 FROM "TicketMessage" OFFSET ${TICKETS * MESSAGES_PER_TICKET - 1} LIMIT 1) x`)).rows[0].n);
  if (reseed || have === 0) {
    const t0 = Date.now();
    await seed(client);
    console.log(`seeded in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  } else {
    console.log("re-using the seeded data (--reseed to generate it again)");
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

/**
 * The reference for 提交工单 in the write-path benches: the rows a filing makes (ticket, first
 * message, audit row) inserted straight over `pg` in one transaction, the triggers included.
 */
export function fileTicketOverPg(pool: pg.Pool, row: { title: string; memberId: number; categoryId: number; contactPhone: string; body: string }) {
  return inPgTransaction(pool, async (c) => {
    const t = await c.query<{ id: number }>(
      `INSERT INTO "Ticket" (title, "memberId", "categoryId", "contactPhone", "updatedAt") VALUES ($1, $2, $3, $4, now()) RETURNING id`,
      [row.title, row.memberId, row.categoryId, row.contactPhone],
    );
    const m = await c.query<{ id: number }>(
      `INSERT INTO "TicketMessage" ("ticketId", "authorKind", "memberId", body) VALUES ($1, 'MEMBER', $2, $3) RETURNING id`,
      [t.rows[0]!.id, row.memberId, row.body],
    );
    await c.query(
      `INSERT INTO "TicketEvent" ("ticketId", action, "actorKind", "actorId", "toStatus", "toEscalation", data, "messageId") VALUES ($1, 'member.create', 'MEMBER', $2, 'PENDING', 'NONE', '{}', $3)`,
      [t.rows[0]!.id, String(row.memberId), m.rows[0]!.id],
    );
  });
}

/** One pooled connection: `before` outside the transaction (as the server's reads before it), then `work` inside BEGIN … COMMIT. */
async function inPgTransaction(pool: pg.Pool, work: (c: pg.PoolClient) => Promise<void>, before?: (c: pg.PoolClient) => Promise<void>) {
  const c = await pool.connect();
  try {
    await before?.(c);
    await c.query("BEGIN");
    try {
      await work(c);
      await c.query("COMMIT");
    } catch (e) {
      await c.query("ROLLBACK").catch(() => undefined);
      throw e;
    }
  } finally {
    c.release();
  }
}

/**
 * The reference for a signed callback (`message.created`) in bench:load: the statements the
 * server sends for one, in the same order, straight over `pg` — the connection and its secret,
 * the replay signature, the link, then in one transaction the inbox row, the message dedupe
 * check, the ticket locked and read with its relations, the compare-and-set update, the message,
 * the SLA policy with its calendar, the audit row (triggers included). What the database work
 * alone allows, without HTTP, the signature check or the ORM.
 */
export function applyCallbackOverPg(pool: pg.Pool, cb: { connectionId: number; ticketId: number; n: number }) {
  const frame = async (c: pg.PoolClient) => {
    await c.query(`SELECT id, "partnerId", "keyId", enabled, "secretEncrypted", "previousSecretEncrypted", "previousSecretExpiresAt" FROM "UpstreamConnection" WHERE id = $1`, [cb.connectionId]);
    await c.query(`INSERT INTO "UsedSignature" (signature, "seenAt") VALUES ($1, now()) ON CONFLICT DO NOTHING`, [`v1=pg-reference-${cb.n}-${Date.now()}`]);
    await c.query(`SELECT id, "ticketId", "connectionId", guid, state::text FROM "UpstreamLink" WHERE "connectionId" = $1 AND "ticketId" = $2`, [cb.connectionId, cb.ticketId]);
  };
  return inPgTransaction(pool, async (c) => {
    const payload = { eventId: `pg-e-${cb.n}`, type: "message.created", data: { id: `pg-m-${cb.n}`, body: `已为您处理，请再试一次 (${cb.n})` } };
    await c.query(
      `INSERT INTO "InboxEvent" (source, "eventId", type, payload, "receivedAt", "processedAt") VALUES ($1, $2, 'message.created', $3, now(), now()) ON CONFLICT DO NOTHING`,
      [`upstream:${cb.connectionId}`, payload.eventId, JSON.stringify(payload)],
    );
    await c.query(`SELECT id FROM "TicketMessage" WHERE "ticketId" = $1 AND "externalId" = $2 LIMIT 1`, [cb.ticketId, `up:${payload.data.id}`]);
    await c.query(`SELECT 1 FROM "Ticket" WHERE id = $1 FOR UPDATE`, [cb.ticketId]);
    const t = await c.query<{ version: number; categoryId: number; status: string }>(
      `SELECT t.*, t.status::text AS status, to_jsonb(c) AS category, to_jsonb(u) AS upstream, to_jsonb(s) AS assignee
         FROM "Ticket" t JOIN "Category" c ON c.id = t."categoryId" LEFT JOIN "UpstreamLink" u ON u."ticketId" = t.id LEFT JOIN "Staff" s ON s.id = t."assigneeId"
        WHERE t.id = $1`,
      [cb.ticketId],
    );
    const ticket = t.rows[0]!;
    await c.query(
      `UPDATE "Ticket" SET status = 'REPLIED', "updatedAt" = now(), "lastReplyAt" = now(), "memberVersion" = "memberVersion" + 1, "memberActivityAt" = now(), version = version + 1
        WHERE id = $1 AND version = $2`,
      [cb.ticketId, ticket.version],
    );
    const m = await c.query<{ id: number }>(
      `INSERT INTO "TicketMessage" ("ticketId", "authorKind", "agentId", "agentName", visibility, body, "externalId", "createdAt") VALUES ($1, 'UPSTREAM_AGENT', '404907', '云技术客服404907', 'PUBLIC', $2, $3, now()) RETURNING id`,
      [cb.ticketId, payload.data.body, `up:${payload.data.id}`],
    );
    await c.query(
      `SELECT p.*, (SELECT jsonb_build_object('calendar', to_jsonb(b), 'days', (SELECT COALESCE(jsonb_agg(to_jsonb(d)), '[]') FROM "CalendarDay" d WHERE d."calendarId" = b.id)) FROM "BusinessCalendar" b WHERE b.id = p."calendarId") AS calendar
         FROM "SlaPolicy" p WHERE p.enabled AND (p."categoryId" = $1 OR p."categoryId" IS NULL) ORDER BY p."categoryId" ASC NULLS LAST, p.id LIMIT 1`,
      [ticket.categoryId],
    );
    await c.query(
      `INSERT INTO "TicketEvent" ("ticketId", action, "actorKind", "actorId", "actorName", "fromStatus", "toStatus", "fromEscalation", "toEscalation", data, "messageId", "notifyPending")
       VALUES ($1, 'upstream.message', 'UPSTREAM_AGENT', '404907', '云技术客服404907', $2::"TicketStatus", 'REPLIED', 'ESCALATED', 'ESCALATED', $3, $4, true)`,
      [cb.ticketId, ticket.status, JSON.stringify({ upstreamMessageId: payload.data.id }), m.rows[0]!.id],
    );
  }, frame);
}
