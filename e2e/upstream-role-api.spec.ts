import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { signedHeaders, verifyRequest } from "../src/server/protocol/signature";
import { freshSigningTime } from "../src/test/fresh-signing-time";
import { startInstance, type Instance } from "./instance";
import { staffClient, trpc, type StaffClient } from "./staff-api";

// Relaydesk as the upstream, against a real running instance over HTTP: its super admin creates a
// partner in the console (secret shown once), and this test plays the partner — signing
// requests exactly as a downstream does and listening for its callbacks.

const VENDOR_PORT = Number(process.env.E2E_VENDOR_PORT ?? 3315);
test.describe.configure({ mode: "serial" });

type Creds = { partnerId: string; keyId: string; secret: string };
let vendor: Instance;
let admin: StaffClient;
let creds: Creds;
let partnerDbId: number;
const callbacks: { path: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
let listener: http.Server;
let callbackUrl: string;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  listener = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      callbacks.push({ path: req.url ?? "", headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => listener.listen(0, "127.0.0.1", r));
  callbackUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/api/upstream/v1/callbacks/1`;
  vendor = await startInstance(VENDOR_PORT, { fresh: true });
});
test.afterAll(async () => {
  await admin?.context.close();
  await vendor?.stop();
  await new Promise((r) => listener.close(r));
});

/** A sender re-signs every attempt (freshSigningTime); pass `now` to send a replay of an earlier one. */
async function call(method: "GET" | "POST", pathWithQuery: string, body?: unknown, now?: Date) {
  const raw = body === undefined ? "" : JSON.stringify(body);
  let signedAt: Date;
  const res = await fetch(`${vendor.url}${pathWithQuery}`, {
    method,
    headers: signedHeaders({ ...creds, method, pathWithQuery, body: raw, now: (signedAt = now ?? freshSigningTime(`${method} ${pathWithQuery} ${raw}`)) }),
    body: method === "POST" ? raw : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { code: string } }, signedAt: signedAt! };
}

const createBody = (externalId: string) => ({
  externalId,
  type: "BUSINESS_TECH",
  title: "服务器无法远程连接",
  messages: [{ externalMessageId: `${externalId}-1`, author: { role: "member", name: "客户" }, body: "SSH 连接超时" }],
  member: { id: "1100001" },
});

test("the super admin adds a partner in the console; the secret is shown once and never again", async ({ browser }) => {
  admin = await staffClient(browser, vendor.url);
  const page = admin.page;
  await page.goto("/admin/partners");
  await page.getByTestId("partner-add").click();
  const form = page.getByTestId("partner-form");
  await form.locator('input[name="name"]').fill("二级代理R");
  await form.locator('input[name="partnerId"]').fill("p-reseller-r");
  await form.locator('input[name="callbackUrl"]').fill(callbackUrl);
  await page.getByTestId("partner-submit").click();

  const once = page.getByTestId("partner-secret-once");
  await expect(once).toBeVisible();
  await expect(page.getByTestId("secret-base-url")).toHaveText(vendor.url);
  creds = {
    partnerId: (await page.getByTestId("secret-partner-id").textContent())!,
    keyId: (await page.getByTestId("secret-key-id").textContent())!,
    secret: (await page.getByTestId("secret-value").textContent())!,
  };
  expect(creds.partnerId).toBe("p-reseller-r");
  expect(creds.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  await page.getByTestId("secret-done").click();
  await expect(once).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("partner-row")).toHaveCount(1);
  expect(await page.content()).not.toContain(creds.secret);
  const list = await trpc<{ id: number; partnerId: string }[]>(admin, "partners.list", undefined, "query");
  expect(JSON.stringify(list)).not.toContain(creds.secret);
  partnerDbId = list[0]!.id;
});

test("the partner's whole life cycle over HTTP: create, replay, message, 转移工单, re-escalate, 关闭工单 (R4), finish (R5)", async () => {
  const created = await call("POST", "/api/upstream/v1/tickets", createBody("598"));
  expect(created.status).toBe(201);
  const guid = created.body.guid as string;
  const retry = await call("POST", "/api/upstream/v1/tickets", createBody("598"));
  expect(retry).toMatchObject({ status: 200, body: { guid, externalId: "598", state: "OPEN" } });
  // The very same signed request again: a replay, refused outright (protocol §3).
  const replay = await call("POST", "/api/upstream/v1/tickets", createBody("598"), created.signedAt);
  expect(replay).toMatchObject({ status: 401, body: { error: { code: "invalid_signature" } } });

  const msg = { externalMessageId: "598-2", author: { role: "staff", name: "超级管理员" }, body: "客户补充：安全组已放行 22 端口。" };
  const first = await call("POST", `/api/upstream/v1/tickets/${guid}/messages`, msg);
  expect(first.status).toBe(201);
  expect(await call("POST", `/api/upstream/v1/tickets/${guid}/messages`, msg)).toMatchObject({ status: 200, body: first.body });

  // The vendor's demo data holds tickets 1–4, so the partner's ticket is number 5.
  const ticketId = 5;
  await trpc(admin, "partnerTickets.returnToPartner", { ticketId, reason: "请客户确认后再提交" });
  let view = await call("GET", `/api/upstream/v1/tickets/${guid}`);
  expect(view.body).toMatchObject({ state: "RETURNED", events: [{ type: "ticket.returned", data: { reason: "请客户确认后再提交" } }] });
  expect((view.body.messages as unknown[]).length).toBe(2);

  expect((await call("POST", `/api/upstream/v1/tickets/${guid}/escalate`, {})).body).toMatchObject({ state: "OPEN" });
  await trpc(admin, "partnerTickets.closeUpstreamSide", { ticketId, reason: "该业务已到期释放" });
  const refused = await call("POST", `/api/upstream/v1/tickets/${guid}/escalate`, {});
  expect(refused).toMatchObject({ status: 409, body: { error: { code: "upstream_closed" } } });

  expect((await call("POST", `/api/upstream/v1/tickets/${guid}/close`, { reason: "问题已解决" })).body).toMatchObject({ state: "FINISHED" });
  const late = await call("POST", `/api/upstream/v1/tickets/${guid}/messages`, { ...msg, externalMessageId: "598-3" });
  expect(late).toMatchObject({ status: 409, body: { error: { code: "ticket_finished" } } });

  view = await call("GET", `/api/upstream/v1/tickets/${guid}?after=${view.body.cursor as string}`);
  expect((view.body.events as { type: string }[]).map((e) => e.type)).toEqual(["ticket.escalated", "ticket.closed", "ticket.finished"]);

  // Each callback is queued once, with its event id, and shown in the delivery log.
  const log = await trpc<{ type: string; eventId: string; status: string }[]>(admin, "partners.deliveries", { partnerId: partnerDbId, limit: 20 }, "query");
  expect(log.map((d) => d.type).sort()).toEqual(["ticket.closed", "ticket.returned"]);
  await admin.page.goto("/admin/partners");
  await admin.page.getByTestId("partner-show-deliveries").click();
  await expect(admin.page.getByTestId("delivery-row")).toHaveCount(2);

  // Whatever the outbox worker delivered by now arrived signed with the partner's secret.
  for (const cb of callbacks) {
    const headers = new Headers(Object.entries(cb.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v] as [string, string]] : [])));
    expect(verifyRequest({ headers, method: "POST", pathWithQuery: cb.path, rawBody: cb.body, secrets: [creds.secret] }).ok).toBe(true);
  }

  // The change feed lists it once its change has settled (15 s).
  await expect
    .poll(async () => ((await call("GET", "/api/upstream/v1/tickets?limit=100")).body.tickets as { guid: string; state: string }[]), { timeout: 40_000, intervals: [2_000] })
    .toEqual([expect.objectContaining({ guid, state: "FINISHED" })]);
});

test("the vendor is killed mid-way: once it is back, nothing is lost and nothing doubled", async () => {
  const created = await call("POST", "/api/upstream/v1/tickets", createBody("599"));
  const guid = created.body.guid as string;
  const messages = Array.from({ length: 6 }, (_, i) => ({ externalMessageId: `599-m${i}`, author: { role: "member" as const, name: "客户" }, body: `第 ${i} 条补充` }));

  // Fire them all and kill the vendor while they are in flight: some land, some do not.
  const inFlight = messages.map((m) => call("POST", `/api/upstream/v1/tickets/${guid}/messages`, m).catch(() => null));
  await new Promise((r) => setTimeout(r, 30));
  await vendor.kill();
  await Promise.all(inFlight);

  vendor = await startInstance(VENDOR_PORT, { fresh: false, dataDir: vendor.dataDir });
  // A downstream's outbox retries everything it has no answer for; here: everything.
  for (const m of messages) expect([200, 201]).toContain((await call("POST", `/api/upstream/v1/tickets/${guid}/messages`, m)).status);
  expect(await call("POST", "/api/upstream/v1/tickets", createBody("599"))).toMatchObject({ status: 200, body: { guid } });

  const view = await call("GET", `/api/upstream/v1/tickets/${guid}`);
  const ids = (view.body.messages as { externalMessageId?: string }[]).map((m) => m.externalMessageId);
  // Each exactly once (the ones that landed before the kill were not stored again), none missing.
  expect(ids).toHaveLength(1 + messages.length);
  expect([...ids].sort()).toEqual(["599-1", ...messages.map((m) => m.externalMessageId)].sort());
  // The partner, the secret and the earlier ticket survived the crash.
  const earlier = await call("GET", "/api/upstream/v1/tickets?limit=100");
  expect(earlier.status).toBe(200);
});
