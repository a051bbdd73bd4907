import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admin, newTicket, setUpEscalation, type Fixture, SETUP_TIMEOUT_MS } from "@/test/escalation-fixture";
import { asStaff, asSuperAdmin } from "@/test/callers";
import { UpstreamPeer } from "@/test/upstream-peer";
import { acceptTicket } from "@/server/services/staff-ticket-service";
import { escalateTicket, getEscalationView } from "./escalate";
import { createSecretBox } from "@/server/crypto/secret-box";

let f: Fixture;
let second: UpstreamPeer;
beforeAll(async () => {
  f = await setUpEscalation();
  second = new UpstreamPeer({ partnerId: "apayun-77", keyId: "key-9", secret: "apayun-secret-987654" });
  await second.start();
}, SETUP_TIMEOUT_MS);
afterAll(async () => {
  await second?.stop();
  await f?.close();
});
const db = () => f.t.prisma;
const input = (over: Record<string, unknown> = {}) => ({
  name: "阿帕云",
  baseUrl: second.baseUrl,
  partnerId: second.partnerId,
  keyId: second.keyId,
  secret: second.secret,
  enabled: true,
  isDefault: false,
  ...over,
});

describe(`upstream connections (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("only the super admin configures upstreams; the secret is sealed at rest and never comes back", async () => {
    await expect(asStaff(db()).upstreams.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asStaff(db()).upstreams.create(input())).rejects.toMatchObject({ code: "FORBIDDEN" });
    const created = await asSuperAdmin(db()).upstreams.create(input());
    const listed = await asSuperAdmin(db()).upstreams.list();
    expect(JSON.stringify([created, listed])).not.toContain(second.secret);
    expect(JSON.stringify(listed)).not.toMatch(/secret/i);
    expect(listed.find((c) => c.id === created.id)?.callbackUrl).toBe(`http://localhost:3000/api/upstream/v1/callbacks/${created.id}`);
    const row = await db().upstreamConnection.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.secretEncrypted).not.toContain(second.secret);
    expect(createSecretBox(process.env.AUTH_SECRET!).open(row.secretEncrypted)).toBe(second.secret);

    // Editing without a secret keeps it; a duplicate name and a bad URL get clear messages.
    await asSuperAdmin(db()).upstreams.update({ ...input({ secret: "" }), id: created.id, keyId: second.keyId });
    expect((await db().upstreamConnection.findUniqueOrThrow({ where: { id: created.id } })).secretEncrypted).toBe(row.secretEncrypted);
    await expect(asSuperAdmin(db()).upstreams.create(input())).rejects.toMatchObject({ code: "CONFLICT", message: "该名称已存在" });
    await expect(asSuperAdmin(db()).upstreams.create(input({ name: "x", baseUrl: "ftp://nope" }))).rejects.toMatchObject({
      code: "BAD_REQUEST",
      fieldErrors: { baseUrl: "请输入 http:// 或 https:// 开头的地址" },
    });
  });

  it("测试连接 proves URL, ids and secret with a signed GET; a wrong secret or a stopped upstream says why", async () => {
    const apayun = (await asSuperAdmin(db()).upstreams.list()).find((c) => c.name === "阿帕云")!;
    expect(await asSuperAdmin(db()).upstreams.test({ id: apayun.id })).toEqual({ ok: true });
    expect(second.log.at(-1)).toMatchObject({ method: "GET", path: "/api/upstream/v1/tickets?limit=1", status: 200 });

    const { callbackUrl: _c, lastSyncAt: _l, lastError: _e, createdAt: _a, updatedAt: _u, ...fields } = apayun;
    await asSuperAdmin(db()).upstreams.update({ ...fields, secret: "a-wrong-secret-000" });
    expect(await asSuperAdmin(db()).upstreams.test({ id: apayun.id })).toEqual({ ok: false, error: "GET /api/upstream/v1/tickets: HTTP 401 invalid_signature" });
    await asSuperAdmin(db()).upstreams.update({ ...fields, secret: second.secret });
    await second.stop();
    try {
      expect(await asSuperAdmin(db()).upstreams.test({ id: apayun.id })).toMatchObject({ ok: false, error: expect.stringMatching(/network error/) });
    } finally {
      await second.start();
    }
  });

  it("one default at a time", async () => {
    const apayun = (await asSuperAdmin(db()).upstreams.list()).find((c) => c.name === "阿帕云")!;
    const { callbackUrl: _c, lastSyncAt: _l, lastError: _e, createdAt: _a, updatedAt: _u, ...fields } = apayun;
    await asSuperAdmin(db()).upstreams.update({ ...fields, isDefault: true });
    expect((await asSuperAdmin(db()).upstreams.list()).filter((c) => c.isDefault).map((c) => c.name)).toEqual(["阿帕云"]);
    await asSuperAdmin(db()).upstreams.update({ ...fields, isDefault: false });
    const xiaoniao = (await asSuperAdmin(db()).upstreams.list()).find((c) => c.name === "小鸟云")!;
    const { callbackUrl: _c2, lastSyncAt: _l2, lastError: _e2, createdAt: _a2, updatedAt: _u2, ...xn } = xiaoniao;
    await asSuperAdmin(db()).upstreams.update({ ...xn, isDefault: true });
    expect((await asSuperAdmin(db()).upstreams.list()).filter((c) => c.isDefault).map((c) => c.name)).toEqual(["小鸟云"]);
  });

  it("a ticket goes to the upstream that owns the member's service; one without a service goes to the default", async () => {
    const apayun = (await asSuperAdmin(db()).upstreams.list()).find((c) => c.name === "阿帕云")!;
    await db().memberService.update({ where: { memberId_businessId: { memberId: 1100001, businessId: "VPS-10086" } }, data: { upstreamConnectionId: apayun.id } });

    const owned = await newTicket(f.t, "业务资源问题", "SSH 超时");
    await db().ticket.update({ where: { id: owned.id }, data: { businessId: "VPS-10086", businessIp: "103.45.67.89", businessType: "云服务器" } });
    const filing = await newTicket(f.t, "备案类问题");
    for (const ticket of [owned, filing]) {
      await acceptTicket(db(), admin, { ticketId: ticket.id });
      await escalateTicket(db(), admin, { ticketId: ticket.id });
    }
    await f.worker().tick();
    expect(await getEscalationView(db(), owned.id)).toMatchObject({ connectionName: "阿帕云", pending: false });
    expect(await getEscalationView(db(), filing.id)).toMatchObject({ connectionName: "小鸟云", pending: false });
    expect(second.ticketByExternalId(String(owned.id))).toMatchObject({ type: "BUSINESS_TECH" });
    expect(f.peer.ticketByExternalId(String(owned.id))).toBeUndefined();
  });

  it("with no usable upstream, escalation is refused with a clear sentence and nothing is written", async () => {
    for (const c of await asSuperAdmin(db()).upstreams.list()) {
      const { callbackUrl: _c, lastSyncAt: _l, lastError: _e, createdAt: _a, updatedAt: _u, ...fields } = c;
      await asSuperAdmin(db()).upstreams.update({ ...fields, enabled: false });
    }
    const ticket = await newTicket(f.t);
    await acceptTicket(db(), admin, { ticketId: ticket.id });
    await expect(asStaff(db(), 1, "超级管理员").escalation.escalate({ ticketId: ticket.id })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: "上级资源[小鸟云]已停用，不能转移",
    });
    expect(await db().upstreamLink.count({ where: { ticketId: ticket.id } })).toBe(0);
    expect(await db().ticketMessage.count({ where: { ticketId: ticket.id, authorKind: "SYSTEM" } })).toBe(0);
  });
});
