import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { expect, test, type Browser, type BrowserContext } from "@playwright/test";
import pg from "pg";
import { signedHeaders } from "../src/server/protocol/signature";
import { UpstreamPeer } from "../src/test/upstream-peer";
import { loginAsMember } from "./helpers";
import { startInstance, type Instance } from "./instance";
import { staffClient, trpc, type StaffClient } from "./staff-api";

// One command, one transaction — proven on the built server (`npm start`'s artifact), where a
// bundle may hold several copies of a module, on the embedded database and on PostgreSQL.
//
// The database itself is the witness. A trigger (installed while the server is stopped, so it
// works on PGlite too) makes the audit insert — the last write of every command — fail for chosen
// tickets: whatever the command wrote before must then be gone. A second trigger notes the
// transaction id of every row a command writes: a command that worked wrote all its rows in one.

const PORTS = { pglite: Number(process.env.E2E_TX_PORT ?? 3231), postgres: Number(process.env.E2E_TX_PG_PORT ?? 3232) };
const EVENTUALLY = { timeout: 60_000, intervals: [500, 1_000, 2_000] };

const WITNESS_SQL = `
CREATE TABLE rd_fault (ticket_id int, action text);
CREATE TABLE rd_probe (id serial PRIMARY KEY, txid bigint NOT NULL, tbl text NOT NULL, ticket_id int);
CREATE FUNCTION rd_fault_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM rd_fault f WHERE (f.ticket_id IS NULL OR f.ticket_id = NEW."ticketId") AND (f.action IS NULL OR f.action = NEW.action)) THEN
    RAISE EXCEPTION 'injected fault (ticket %, %)', NEW."ticketId", NEW.action;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER rd_fault BEFORE INSERT ON "TicketEvent" FOR EACH ROW EXECUTE FUNCTION rd_fault_check();
CREATE FUNCTION rd_probe_ticket() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO rd_probe (txid, tbl, ticket_id) VALUES (txid_current(), TG_TABLE_NAME, NEW.id); RETURN NEW; END $$;
CREATE FUNCTION rd_probe_child() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO rd_probe (txid, tbl, ticket_id) VALUES (txid_current(), TG_TABLE_NAME, NEW."ticketId"); RETURN NEW; END $$;
CREATE TRIGGER rd_probe AFTER UPDATE ON "Ticket" FOR EACH ROW EXECUTE FUNCTION rd_probe_ticket();
CREATE TRIGGER rd_probe AFTER INSERT ON "TicketMessage" FOR EACH ROW EXECUTE FUNCTION rd_probe_child();
CREATE TRIGGER rd_probe AFTER INSERT ON "TicketEvent" FOR EACH ROW EXECUTE FUNCTION rd_probe_child();
CREATE TRIGGER rd_probe AFTER INSERT ON "OutboxMessage" FOR EACH ROW EXECUTE FUNCTION rd_probe_child();
`;

/** What a command may have left behind on a ticket. */
const FOOTPRINT_SQL = `
SELECT t.id, t.version, t.status::text AS status, t.escalation::text AS escalation, t."updatedAt"::text AS "updatedAt",
  (SELECT count(*)::int FROM "TicketMessage" m WHERE m."ticketId" = t.id) AS messages,
  (SELECT count(*)::int FROM "TicketEvent" e WHERE e."ticketId" = t.id) AS events,
  (SELECT count(*)::int FROM "OutboxMessage" o WHERE o."ticketId" = t.id) AS outbox,
  (SELECT count(*)::int FROM "UpstreamLink" l WHERE l."ticketId" = t.id) AS links
FROM "Ticket" t WHERE t.id = ANY($1::int[]) ORDER BY t.id`;

type Footprint = { id: number; version: number; status: string; escalation: string; updatedAt: string; messages: number; events: number; outbox: number; links: number };
type Sql = { query<T>(sql: string, params?: unknown[]): Promise<T[]>; exec(sql: string): Promise<void>; close(): Promise<void> };

/** The database behind an instance, opened from the test: PostgreSQL any time, PGlite only while the server is stopped. */
type Backend = { kind: "pglite" | "postgres"; env: Record<string, string>; open(): Promise<Sql>; drop(): Promise<void> };

function pgliteBackend(dataDir: string): Backend {
  return {
    kind: "pglite",
    env: {},
    async open() {
      const db = new PGlite(path.join(dataDir, "pglite"));
      await db.waitReady;
      return {
        query: async <T>(sql: string, params: unknown[] = []) => (await db.query<T>(sql, params)).rows,
        exec: async (sql: string) => void (await db.exec(sql)),
        close: () => db.close(),
      };
    },
    drop: async () => undefined,
  };
}

function postgresBackend(serverUrl: string): Backend {
  const name = `relaydesk_e2e_tx_${randomBytes(5).toString("hex")}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  return {
    kind: "postgres",
    env: { DATABASE_URL: url.toString(), AUTH_SECRET: randomBytes(32).toString("hex"), RELAYDESK_DEMO_DATA: "yes" },
    async open() {
      await admin(`CREATE DATABASE ${name}`).catch((e: { code?: string }) => {
        if (e.code !== "42P04") throw e; // already there: the instance is running on it
      });
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      return {
        query: async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[],
        exec: async (sql: string) => void (await client.query(sql)),
        close: () => client.end(),
      };
    },
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function withSql<T>(backend: Backend, work: (sql: Sql) => Promise<T>): Promise<T> {
  const sql = await backend.open();
  try {
    return await work(sql);
  } finally {
    await sql.close();
  }
}

async function memberContext(browser: Browser, url: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: url, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  await loginAsMember(await context.newPage());
  return context;
}

type Envelope = { result?: { data?: { json?: unknown } }; error?: { json?: { message?: string; data?: { httpStatus?: number } } } };
async function call(context: BrowserContext, procedure: string, input: unknown) {
  const res = await context.request.post(`/api/trpc/${procedure}`, { data: { json: input } });
  return { status: res.status(), body: (await res.json()) as Envelope };
}

for (const kind of ["pglite", "postgres"] as const) {
  test.describe(`one command, one transaction, on the built server (${kind})`, () => {
    test.describe.configure({ mode: "serial", timeout: 300_000 });
    test.skip(kind === "postgres" && !process.env.TEST_DATABASE_URL, "PostgreSQL: set TEST_DATABASE_URL (npm test in CI does)");

    const port = PORTS[kind];
    const dataDir = path.resolve(`.e2e-data-${port}`);
    let backend: Backend;
    let instance: Instance | undefined;
    let peer: UpstreamPeer;
    let staff: StaffClient;
    let member: BrowserContext;
    const tickets = { staffReply: 0, memberReply: 0, escalate: 0, callback: 0, ok: 0, busy: 0 };
    let busyGuid = "";
    let callbackGuid = "";
    let partner: { partnerId: string; keyId: string; secret: string };
    let before: Footprint[] = [];

    const start = async (fresh: boolean) => {
      instance = await startInstance(port, { fresh, dataDir, env: backend.env });
    };
    const stop = async () => {
      await instance?.stop();
      instance = undefined;
    };

    test.beforeAll(async ({ browser }) => {
      test.setTimeout(300_000);
      backend = kind === "pglite" ? pgliteBackend(dataDir) : postgresBackend(process.env.TEST_DATABASE_URL!);
      if (kind === "postgres") await withSql(backend, async () => undefined); // creates the database
      await start(true);
      staff = await staffClient(browser, instance!.url);
      member = await memberContext(browser, instance!.url);

      // An upstream (a protocol test peer in this process) and a downstream partner.
      peer = new UpstreamPeer({ partnerId: `p-tx-${kind}`, keyId: "key-1", secret: "e2e-peer-secret-123456" });
      await peer.start();
      const connection = await trpc<{ id?: number; connection?: { id: number } }>(staff, "upstreams.create", {
        name: "事务测试上级",
        baseUrl: peer.baseUrl,
        partnerId: peer.partnerId,
        keyId: peer.keyId,
        secret: peer.secret,
        enabled: true,
        isDefault: true,
      });
      peer.callbackUrl = `${instance!.url}/api/upstream/v1/callbacks/${connection.id ?? connection.connection!.id}`;
      const created = await trpc<{ partner: { partnerId: string; keyId: string }; secret: string }>(staff, "partners.create", {
        name: "事务测试合作商",
        callbackUrl: `${peer.baseUrl}/`,
        enabled: true,
        allowedTypes: ["BUSINESS_TECH", "ICP_FILING", "TRADEMARK", "OTHER"],
      });
      partner = { partnerId: created.partner.partnerId, keyId: created.partner.keyId, secret: created.secret };

      // The member files one fresh ticket per case, in a category that submits to the API.
      const picker = await member.request.get(`/api/trpc/categories.listForNewTicket?input=${encodeURIComponent(JSON.stringify({ json: null }))}`);
      const groups = (await picker.json()).result.data.json.groups as { categories: { id: number; name: string }[] }[];
      const categoryId = groups.flatMap((g) => g.categories).find((c) => c.name === "业务资源问题")!.id;
      for (const key of Object.keys(tickets) as (keyof typeof tickets)[]) {
        const res = await call(member, "portal.create", { categoryId, title: `事务 ${key}`, body: "服务器无法远程连接。", businessId: "", attachmentIds: [] });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        tickets[key] = (res.body.result!.data!.json as { ticketId: number }).ticketId;
      }
      // 转移 needs 接单 first (R2); two tickets escalated and acknowledged (a GUID), for the callback cases.
      for (const key of ["escalate", "callback", "busy"] as const) await trpc(staff, "console.accept", { ticketId: tickets[key] });
      for (const key of ["callback", "busy"] as const) {
        await trpc(staff, "escalation.escalate", { ticketId: tickets[key] });
        await expect
          .poll(async () => (await trpc<{ guid: string | null } | null>(staff, "escalation.status", { ticketId: tickets[key] }, "query"))?.guid ?? null, EVENTUALLY)
          .toMatch(/\S/);
      }
      callbackGuid = peer.ticketByExternalId(String(tickets.callback))!.guid;
      busyGuid = peer.ticketByExternalId(String(tickets.busy))!.guid;

      // Stopped, the witness goes in; the fault is armed for every case but `ok` and `busy`.
      await stop();
      before = await withSql(backend, async (sql) => {
        await sql.exec(WITNESS_SQL);
        for (const key of ["staffReply", "memberReply", "escalate", "callback"] as const) {
          await sql.query(`INSERT INTO rd_fault (ticket_id) VALUES ($1)`, [tickets[key]]);
        }
        await sql.query(`INSERT INTO rd_fault (action) VALUES ('partner.create')`);
        return sql.query<Footprint>(FOOTPRINT_SQL, [Object.values(tickets)]);
      });
      await start(false);
    });

    test.afterAll(async () => {
      await staff?.context.close();
      await member?.close();
      await peer?.stop();
      await stop();
      await backend?.drop();
    });

    test("a command that fails after its first write leaves nothing behind: staff reply, member reply, escalate, callback, partner create", async () => {
      // A staff reply naming an attachment that is not theirs: refused with a 4xx (the first cut stored the message anyway).
      const foreign = await call(staff.context, "console.reply", { ticketId: tickets.ok, body: "不应出现的回复", attachmentIds: [999_999] });
      expect(foreign.status).toBe(400);
      expect(foreign.body.error?.json?.message).toContain("附件不存在或已被使用");

      // The audit insert fails (injected): every earlier write of the command must roll back.
      expect((await call(staff.context, "console.reply", { ticketId: tickets.staffReply, body: "客服回复（应回滚）", attachmentIds: [] })).status).toBeGreaterThanOrEqual(500);
      expect((await call(member, "portal.reply", { ticketId: tickets.memberReply, body: "会员回复（应回滚）", attachmentIds: [] })).status).toBeGreaterThanOrEqual(500);
      expect((await call(staff.context, "escalation.escalate", { ticketId: tickets.escalate })).status).toBeGreaterThanOrEqual(500);
      // A signed, valid callback is kept (202: stored for the worker), but its effects are not applied in part.
      expect(await peer.sendCallback(peer.agentReturn(callbackGuid, "请客户提供更多信息"))).toBe(202);
      expect(await peer.sendCallback(peer.agentClose(callbackGuid))).toBe(202);

      const body = JSON.stringify({
        externalId: "TX-FAIL-1",
        type: "BUSINESS_TECH",
        title: "合作商工单（应回滚）",
        messages: [{ externalMessageId: "TX-FAIL-1-1", author: { role: "member", name: "客户" }, body: "您好。", createdAt: new Date().toISOString() }],
        member: { id: "9000001" },
        business: { id: "20001", ip: "203.0.113.10", type: "云服务器" },
      });
      const pathWithQuery = "/api/upstream/v1/tickets";
      const create = await fetch(`${instance!.url}${pathWithQuery}`, { method: "POST", body, headers: signedHeaders({ ...partner, method: "POST", pathWithQuery, body }) });
      expect(create.status).toBeGreaterThanOrEqual(500);

      // A command that works: all its rows in one transaction.
      expect((await call(staff.context, "console.reply", { ticketId: tickets.ok, body: "客服回复（应保存）", attachmentIds: [] })).status).toBe(200);

      await stop();
      await withSql(backend, async (sql) => {
        const after = await sql.query<Footprint>(FOOTPRINT_SQL, [Object.values(tickets)]);
        const byId = (rows: Footprint[], id: number) => rows.find((r) => r.id === id);
        for (const key of ["staffReply", "memberReply", "escalate", "callback", "busy"] as const) {
          expect(byId(after, tickets[key]), key).toEqual(byId(before, tickets[key]));
        }
        expect((await sql.query(`SELECT 1 FROM "Ticket" WHERE "partnerTicketNo" = 'TX-FAIL-1'`)).length).toBe(0);
        expect((await sql.query(`SELECT 1 FROM "TicketMessage" WHERE body LIKE '%应回滚%'`)).length).toBe(0);
        // Nothing the upstream sent is lost: both callbacks wait in the inbox for the worker.
        const waiting = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "InboxEvent" WHERE "processedAt" IS NULL AND payload->>'guid' = $1`, [callbackGuid]);
        expect(waiting[0]!.n).toBe(2);

        const ok = byId(after, tickets.ok)!;
        expect(ok.messages).toBe(byId(before, tickets.ok)!.messages + 1);
        expect(ok.version).toBe(byId(before, tickets.ok)!.version + 1);
        const probe = await sql.query<{ txid: string; tbl: string }>(`SELECT txid::text AS txid, tbl FROM rd_probe WHERE ticket_id = $1`, [tickets.ok]);
        // The ticket row is written twice (the compare-and-set, then the search trigger appending the entry's terms): same transaction.
        expect([...new Set(probe.map((p) => p.tbl))].sort()).toEqual(["Ticket", "TicketEvent", "TicketMessage"]);
        expect(new Set(probe.map((p) => p.txid)).size).toBe(1);
      });
      await start(false);
    });

    test("concurrent work on one ticket all lands: 4 staff × 25 replies and 50 callbacks at once", async ({ browser }) => {
      // Four clients of their own (own connections), signed in as the staff member once.
      const storageState = await staff.context.storageState();
      const writers = await Promise.all([0, 1, 2, 3].map(() => browser.newContext({ baseURL: instance!.url, storageState })));
      try {
        const replies = writers.flatMap((w, i) =>
          Array.from({ length: 25 }, (_, j) => call(w, "console.reply", { ticketId: tickets.busy, body: `并发回复 ${i}-${j}`, attachmentIds: [] })),
        );
        const callbacks = Array.from({ length: 50 }, (_, k) => peer.sendCallback(peer.agentReply(busyGuid, `云端回复 ${k}`)));
        const [replyAnswers, callbackAnswers] = await Promise.all([Promise.all(replies), Promise.all(callbacks)]);
        expect(replyAnswers.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
        // Applied in line, not left to the worker's queue (202).
        expect(callbackAnswers.filter((s) => s !== 200)).toEqual([]);
      } finally {
        await Promise.all(writers.map((w) => w.close()));
      }
      await stop();
      await withSql(backend, async (sql) => {
        const [after] = await sql.query<Footprint>(FOOTPRINT_SQL, [[tickets.busy]]);
        const was = before.find((r) => r.id === tickets.busy)!;
        expect(after!.messages - was.messages).toBe(150);
        expect(after!.version - was.version).toBe(150);
        expect(after!.events - was.events).toBe(150);
        const distinct = await sql.query<{ n: number }>(`SELECT count(DISTINCT body)::int AS n FROM "TicketMessage" WHERE "ticketId" = $1 AND (body LIKE '并发回复 %' OR body LIKE '云端回复 %')`, [tickets.busy]);
        expect(distinct[0]!.n).toBe(150);
        // One transaction per message: each command's rows share their own transaction id.
        const perTx = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM rd_probe WHERE ticket_id = $1 GROUP BY txid`, [tickets.busy]);
        expect(perTx.length).toBe(150);
      });
      await start(false);
    });

    test("SIGTERM: requests in flight finish, then the server closes its database and exits 0", async () => {
      // A request the server is still reading (its body trickles in) when the signal arrives.
      const url = new URL(`${instance!.url}/api/trpc/portal.create`);
      const body = JSON.stringify({ json: { title: "x".repeat(2000) } });
      const answered = new Promise<number>((resolve, reject) => {
        const req = http.request(url, { method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        });
        req.on("error", reject);
        req.write(body.slice(0, 100));
        setTimeout(() => req.end(body.slice(100)), 1_500);
      });
      await new Promise((r) => setTimeout(r, 500));
      const stopped = instance!.stop();
      instance = undefined;
      // Not signed in: the answer is a 401 — but an answer, not a reset connection.
      expect(await answered).toBe(401);
      expect(await stopped).toBe(0);
      // The embedded database released its lock (a crash would leave it for the next start to clear).
      if (kind === "pglite") expect(fs.existsSync(path.join(dataDir, "pglite.lock"))).toBe(false);
    });
  });
}
