import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { admin, newTicket, setUpEscalation, ticketState, type Fixture, SETUP_TIMEOUT_MS } from "@/test/escalation-fixture";
import { asMember, asStaff, asSuperAdmin } from "@/test/callers";
import { acceptTicket, replyToTicket } from "@/server/services/staff-ticket-service";
import { DEFAULT_SHARING_POLICY, memberPseudonym, type SharingPolicy } from "@/server/domain/sharing-policy";
import { getEscalationView } from "@/server/upstream/escalate";
import { getDeliveryBody } from "./sharing-service";
import { fanOutNotifications } from "@/server/notifications/fan-out";

let f: Fixture;
beforeAll(async () => {
  f = await setUpEscalation();
}, SETUP_TIMEOUT_MS);
afterAll(() => f?.close());

const db = () => f.t.prisma;
const savePolicy = (policy: Partial<SharingPolicy> = {}) => asSuperAdmin(db()).sharing.save({ connectionId: f.connectionId, policy: { ...DEFAULT_SHARING_POLICY, ...policy } });
beforeEach(async () => {
  await savePolicy();
});

const SECRETS = "手机 138-1234-5678，QQ：8765432，邮箱 zhang.san@example.com，身份证 11010519491231002X";

/** A member's ticket with `body`, accepted by staff, optionally with files on the member's message. */
async function acceptedTicket(body: string, files: { name: string; text: string }[] = []) {
  const ticket = await newTicket(f.t, "备案类问题", body);
  const message = await db().ticketMessage.findFirstOrThrow({ where: { ticketId: ticket.id } });
  const ids: number[] = [];
  for (const file of files) {
    const bytes = Buffer.from(file.text);
    const key = await f.deps.files.put(bytes);
    const row = await db().attachment.create({
      data: { storageKey: key, fileName: file.name, mimeType: "text/plain", size: bytes.length, ownerKey: "member:1100001", ticketId: ticket.id, messageId: message.id },
    });
    ids.push(row.id);
  }
  await acceptTicket(db(), admin, { ticketId: ticket.id });
  return { ticket, fileIds: ids };
}

async function escalateAndDeliver(ticketId: number, fileIds?: number[]) {
  const before = f.peer.received.length;
  await asSuperAdmin(db()).escalation.escalate({ ticketId, ...(fileIds ? { fileIds } : {}) });
  await f.worker().tick();
  const guid = (await getEscalationView(db(), ticketId))?.guid;
  if (!guid) throw new Error("escalation not acknowledged");
  return { guid, bodies: f.peer.received.slice(before).map((r) => r.body.toString("utf8")) };
}

describe(`white-label escalation (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("a phone, QQ, e-mail and an ID-card number in a message never reach the upstream unmasked; the member is a pseudonym without contact fields", async () => {
    const { ticket } = await acceptedTicket(`您好，${SECRETS}`);
    const { guid, bodies } = await escalateAndDeliver(ticket.id);
    expect(bodies).toHaveLength(1);
    const wire = bodies.join("\n");
    for (const secret of ["138-1234-5678", "8765432", "zhang.san@example.com", "11010519491231002X", "1100001", "13800138000"]) expect(wire).not.toContain(secret);
    const create = JSON.parse(bodies[0]!);
    expect(create.member).toEqual({ id: memberPseudonym(process.env.AUTH_SECRET!, f.connectionId, 1100001) });
    expect(f.peer.messages(f.peer.tickets.get(guid)!)[0]!.body).toBe("您好，手机 [已隐藏手机号]，QQ：[已隐藏QQ号]，邮箱 [已隐藏邮箱]，身份证 [已隐藏身份证号]");
  });

  it("pseudonyms are stable per (member, upstream): two tickets of one member carry the same one", async () => {
    const a = await acceptedTicket("第一张");
    const b = await acceptedTicket("第二张");
    const first = JSON.parse((await escalateAndDeliver(a.ticket.id)).bodies[0]!);
    const second = JSON.parse((await escalateAndDeliver(b.ticket.id)).bodies[0]!);
    expect(first.member.id).toBe(second.member.id);
    expect(first.member.id).toMatch(/^C-/);
  });

  it("the preview shows exactly what the upstream then receives", async () => {
    const { ticket } = await acceptedTicket(`请联系 ${SECRETS}`);
    const preview = await asStaff(db()).sharing.preview({ ticketId: ticket.id });
    expect(preview.blockedBy).toBeNull();
    expect(preview.shared.messages[0]!.body.masked.map((m) => m.rule)).toEqual(["mobile", "qq", "email", "idCard"]);
    const { bodies } = await escalateAndDeliver(ticket.id);
    const create = JSON.parse(bodies[0]!);
    expect(create.title).toBe(preview.shared.title.text);
    expect(create.member).toEqual(preview.shared.member);
    expect(create.messages.map((m: { body: string }) => m.body)).toEqual(preview.shared.messages.map((m) => m.body.text));
  });

  it("a block rule refuses the escalation with its reason and writes nothing", async () => {
    await savePolicy({ blockRules: [{ label: "退款", kind: "keyword", pattern: "退款", reason: "退款问题由财务处理" }] });
    const { ticket } = await acceptedTicket("我要申请退款");
    const before = await ticketState(f.t, ticket.id);
    expect((await asStaff(db()).sharing.preview({ ticketId: ticket.id })).blockedBy).toEqual({ label: "退款", reason: "退款问题由财务处理" });
    await expect(asStaff(db()).escalation.escalate({ ticketId: ticket.id })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: "该工单命中屏蔽规则「退款」，不能转移到云技术客服：退款问题由财务处理",
    });
    expect(await ticketState(f.t, ticket.id)).toEqual(before);
    expect(await db().upstreamLink.count({ where: { ticketId: ticket.id } })).toBe(0);
    expect(await db().outboxMessage.count({ where: { ticketId: ticket.id } })).toBe(0);
  });

  it("an unticked file is not sent; a ticked one is, under its masked name; a file of another ticket is refused", async () => {
    const { ticket, fileIds } = await acceptedTicket("见附件", [
      { name: "身份证-13812345678.txt", text: "身份证扫描件" },
      { name: "日志.txt", text: "sshd: connection refused" },
    ]);
    const other = await acceptedTicket("另一张", [{ name: "别人的.txt", text: "x" }]);
    await expect(asStaff(db()).escalation.escalate({ ticketId: ticket.id, fileIds: other.fileIds })).rejects.toMatchObject({ code: "NOT_FOUND" });

    const preview = await asStaff(db()).sharing.preview({ ticketId: ticket.id });
    expect(preview.shared.messages[0]!.files.map((x) => x.forwarded)).toEqual([false, false]); // private by default
    const { bodies } = await escalateAndDeliver(ticket.id, [fileIds[1]!]);
    const create = JSON.parse(bodies[0]!);
    expect(create.messages[0].attachments.map((a: { fileName: string }) => a.fileName)).toEqual(["日志.txt"]);
    expect(bodies[0]).not.toContain(Buffer.from("身份证扫描件").toString("base64"));
    expect(bodies[0]).not.toContain("13812345678");
  });

  it("the stored payload equals what the upstream received, byte for byte, and later replies are marked 已转发（已脱敏） for staff", async () => {
    const { ticket } = await acceptedTicket("您好");
    await escalateAndDeliver(ticket.id);
    const before = f.peer.received.length;
    const reply = await replyToTicket(db(), admin, { ticketId: ticket.id, body: "客户电话 13912345678，请直接联系", attachmentIds: [] });
    await f.worker().tick();
    const received = f.peer.received.slice(before);
    expect(received).toHaveLength(1);
    expect(received[0]!.body.toString("utf8")).toContain("[已隐藏手机号]");

    const deliveries = await asSuperAdmin(db()).sharing.deliveries({ ticketId: ticket.id });
    expect(deliveries.items.map((d) => d.type)).toEqual(["message.create", "ticket.create"]);
    for (const d of deliveries.items) {
      const stored = await f.deps.files.get(d.bodySha256);
      expect(stored).not.toBeNull();
      expect(f.peer.received.some((r) => r.path === d.path && r.body.equals(Buffer.from(stored!)))).toBe(true);
    }
    // The router reads the configured file store; here the fixture's store stands in for it.
    const body = await getDeliveryBody(db(), f.deps.files, deliveries.items[0]!.id);
    expect(body.body).toBe(received[0]!.body.toString("utf8"));

    const page = await asStaff(db()).console.ticket({ ticketId: ticket.id });
    const marks = page.messages.filter((m) => m.authorKind !== "SYSTEM").map((m) => [m.body.slice(0, 2), m.forwarded]);
    expect(marks).toEqual([
      ["您好", { masked: false }],
      ["客户", { masked: true }],
    ]);
    expect(reply.result).toBeDefined();
  });

  it("rules that cannot run safely are refused in the user's language; only the super admin edits the policy; members cannot preview", async () => {
    await expect(savePolicy({ customMasks: [{ label: "坏", kind: "regex", pattern: "(a+)+$" }] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "规则「坏」的正则表达式可能极慢（嵌套重复或反向引用），请改写",
    });
    await expect(asSuperAdmin(db()).sharing.try({ policy: { ...DEFAULT_SHARING_POLICY, blockRules: [{ label: "x", kind: "regex", pattern: "(", reason: "r" }] }, sample: "abc" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "规则「x」不是有效的正则表达式",
    });
    await expect(asStaff(db()).sharing.save({ connectionId: f.connectionId, policy: { ...DEFAULT_SHARING_POLICY, shareMemberId: true } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asStaff(db()).sharing.policy({ connectionId: f.connectionId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const { ticket } = await acceptedTicket("会员不能预览");
    await expect(asMember(db()).sharing.preview({ ticketId: ticket.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await asSuperAdmin(db()).sharing.policy({ connectionId: f.connectionId })).shareMemberId).toBe(false);
  });

  it("a vendor's brand and contact details are masked for the member on the page, in search and in the bell, while staff read the original", async () => {
    await savePolicy({ inbound: { maskContacts: true, vendorTerms: ["小鸟云"] } });
    const { ticket } = await acceptedTicket("服务器连不上");
    const { guid } = await escalateAndDeliver(ticket.id);
    await db().ticketEvent.updateMany({ where: { ticketId: ticket.id }, data: { notifyPending: false } });
    f.peer.agentReply(guid, "小鸟云工程师：请拨 13900001111 联系机房");
    expect(await f.peer.flushCallbacks()).toEqual([200]);

    const original = "小鸟云工程师：请拨 13900001111 联系机房";
    const masked = "[已隐藏品牌]工程师：请拨 [已隐藏手机号] 联系机房";
    const staffPage = await asStaff(db()).console.ticket({ ticketId: ticket.id });
    expect(staffPage.messages.find((m) => m.authorKind === "UPSTREAM_AGENT")?.body).toBe(original);
    const memberPage = await asMember(db()).portal.ticket({ ticketId: ticket.id });
    expect(memberPage.messages.find((m) => m.authorKind === "UPSTREAM_AGENT")?.body).toBe(masked);

    const found = await asMember(db()).portal.list({ search: "联系机房" });
    const hit = found.items.find((i) => i.id === ticket.id);
    expect(hit).toBeDefined();
    expect(JSON.stringify(hit)).toContain("[已隐藏手机号]");
    expect(JSON.stringify(hit)).not.toMatch(/小鸟云|13900001111/);

    await fanOutNotifications(db(), { authSecret: process.env.AUTH_SECRET!, publicUrl: "http://localhost", files: f.deps.files, envSmtp: null, replyDomain: null, now: () => new Date(), fetch });
    const bell = await asMember(db()).notifications.bell({});
    const item = bell.items.find((n) => n.ticketId === ticket.id);
    expect(item?.excerpt).toBe(masked);
  });
});
