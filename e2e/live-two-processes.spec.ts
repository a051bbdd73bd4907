import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { expect, test, type BrowserContext } from "@playwright/test";
import { call, signedIn } from "./helpers";
import { startInstance, type Instance } from "./instance";
import { startConfiguredPeer } from "./upstream-helpers";
import type { UpstreamPeer } from "../src/test/upstream-peer.ts";

// The live channel across processes on PostgreSQL: two web processes on one database (ports
// E2E_PORT+21 and +22, background work off) and `npm run worker` as a third. A change committed
// in one process — a member's filing, a staff reply, the worker's delivery to the upstream — shows
// in a browser connected to the other, without reload: each process LISTENs on its own connection.

const BASE = Number(process.env.E2E_PORT ?? 3210);
const root = path.resolve(import.meta.dirname, "..");
test.describe.configure({ mode: "serial", timeout: 300_000 });
test.skip(!process.env.TEST_DATABASE_URL, "PostgreSQL: set TEST_DATABASE_URL");

const name = `relaydesk_e2e_live_${randomBytes(5).toString("hex")}`;
let url = "";
let one: Instance | undefined;
let two: Instance | undefined;
let worker: ChildProcess | undefined;
let peer: UpstreamPeer | undefined;

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
  url = u.toString();
  const env = { DATABASE_URL: url, AUTH_SECRET: randomBytes(32).toString("hex") };
  one = await startInstance(BASE + 21, { fresh: true, env: { ...env, RELAYDESK_WORKER: "off" } });
  two = await startInstance(BASE + 22, { fresh: true, env: { ...env, RELAYDESK_WORKER: "off" } });
  worker = spawn(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "src/worker/main.ts"], {
    cwd: root,
    stdio: "ignore",
    env: { ...process.env, ...env, PUBLIC_URL: one.url, LOG_LEVEL: "warn" },
  });
});
test.afterAll(async () => {
  worker?.kill("SIGTERM");
  await peer?.stop();
  await one?.stop();
  await two?.stop();
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});


test("a filing, a reply and the worker's delivery committed elsewhere reach a browser on the other process", async ({ browser }) => {
  const staffOnTwo = await signedIn(browser, two!.url, "staff");
  const staffOnOne = await signedIn(browser, one!.url, "staff");
  const memberOnOne = await signedIn(browser, one!.url, "member");
  peer = await startConfiguredPeer(await staffOnOne.newPage(), "跨进程云", { isDefault: true });

  const page = await staffOnTwo.newPage();
  await page.goto("/admin/tickets");
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-live", "on");

  // Filed through process one: the queue on process two shows it.
  const picker = await memberOnOne.request.get(`/api/trpc/categories.listForNewTicket?input=${encodeURIComponent(JSON.stringify({ json: null }))}`);
  const groups = (await picker.json()).result.data.json.groups as { categories: { id: number; name: string }[] }[];
  const category = groups.flatMap((g) => g.categories).find((c) => c.name === "业务资源问题")!;
  const { ticketId } = await call<{ ticketId: number }>(memberOnOne, "portal.create", { categoryId: category.id, title: "跨进程：服务器无响应", body: "重启无效。", businessId: "VPS-10086", attachmentIds: [] });
  await expect(page.locator(`[data-testid="queue-row"][data-ticket-id="${ticketId}"]`)).toBeVisible();

  // A reply through process one appears on the ticket page open on process two.
  await page.goto(`/admin/tickets/${ticketId}`);
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-live", "on");
  await call(staffOnOne, "console.reply", { ticketId, body: "进程一的回复。", attachmentIds: [] });
  await expect(page.getByTestId("message-body").filter({ hasText: "进程一的回复" })).toBeVisible();

  // Escalated through process one; only the worker (a third process) delivers it: the GUID the
  // upstream answered shows on process two.
  const version = async () => {
    const res = await staffOnOne.request.get(`/api/trpc/console.ticket?input=${encodeURIComponent(JSON.stringify({ json: { ticketId } }))}`);
    return ((await res.json()).result.data.json as { version: number }).version;
  };
  await call(staffOnOne, "console.accept", { ticketId, expectedVersion: await version() });
  await call(staffOnOne, "escalation.escalate", { ticketId, expectedVersion: await version() });
  await expect.poll(() => peer!.ticketByExternalId(String(ticketId))?.guid ?? "", { timeout: 30_000 }).not.toBe("");
  const guid = peer.ticketByExternalId(String(ticketId))!.guid;
  await expect(page.getByText(`[GUID: ${guid}]`).first()).toBeVisible({ timeout: 20_000 });

  await Promise.all([staffOnTwo.close(), staffOnOne.close(), memberOnOne.close()]);
});
