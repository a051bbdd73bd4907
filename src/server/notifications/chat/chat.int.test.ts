import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { asMember, asStaff, asSuperAdmin } from "@/test/callers";
import { SETUP_TIMEOUT_MS } from "@/test/escalation-fixture";
import { setUpNotifications, type NotificationWorld } from "@/test/notification-world";
import { RobotReceiver } from "@/test/robot-receiver";
import { deliverDueOutbox, type DeliveryDeps } from "@/server/outbox/dispatcher";
import { fanOutNotifications } from "../fan-out";
import type { NotificationDeps } from "../deps";

let w: NotificationWorld;
const receiver = new RobotReceiver();
let clock = Date.now();
let deps: NotificationDeps;
let delivery: DeliveryDeps;

beforeAll(async () => {
  w = await setUpNotifications({ smtp: false });
  await receiver.start();
  receiver.now = () => clock;
  deps = { ...w.deps, now: () => new Date(clock) };
  delivery = { ...w.delivery, notifications: deps };
}, SETUP_TIMEOUT_MS);
afterAll(async () => {
  await receiver.stop();
  await w?.close();
});

const db = () => w.t.prisma;
const admin = () => asSuperAdmin(db());

type Kind = "DINGTALK" | "WECOM" | "FEISHU" | "WEBHOOK";
const urls = (): Record<Kind, string> => ({
  DINGTALK: `${receiver.baseUrl}/robot/send?access_token=test-token`,
  WECOM: `${receiver.baseUrl}/cgi-bin/webhook/send?key=${receiver.secrets.wecomKey}`,
  FEISHU: `${receiver.baseUrl}/open-apis/bot/v2/hook/7d1f-test`,
  WEBHOOK: `${receiver.baseUrl}/webhook?team=ops`,
});
const secrets = (): Record<Kind, string> => ({ DINGTALK: receiver.secrets.dingtalk, WECOM: "", FEISHU: receiver.secrets.feishu, WEBHOOK: receiver.secrets.webhook });

async function addRobot(kind: Kind, over: Partial<Parameters<ReturnType<typeof admin>["notificationChannels"]["createChat"]>[0]> = {}) {
  return admin().notificationChannels.createChat({
    name: `${kind} ${Math.random().toString(36).slice(2, 8)}`,
    kind,
    webhookUrl: urls()[kind],
    secret: secrets()[kind],
    enabled: true,
    locale: "zh-CN",
    kinds: ["ticket.created", "ticket.memberReplied"],
    categoryIds: [],
    assigneeIds: [],
    mentionAssignee: true,
    ...over,
  });
}

async function fileTicket(categoryName = "使用咨询", title = `新工单 ${Date.now()}`) {
  await db().rateLimit.deleteMany({ where: { key: { contains: "member:1100001" } } }); // a fresh allowance per test ticket
  const category = await db().category.findFirstOrThrow({ where: { name: categoryName } });
  const { ticketId } = await asMember(db()).portal.create({ categoryId: category.id, title, body: "描述", contactPhone: "", contactQq: "", businessId: "", businessIp: "", businessType: "", attachmentIds: [] });
  return ticketId;
}

/** The test's clock moves by `ms`, and never behind real time (rows are stamped by the database's clock). */
const tickClock = (ms: number) => {
  clock = Math.max(clock + ms, Date.now());
};

/** Fan out and deliver at the test's clock, advancing it `stepMs` per round, until no chat row is pending. */
async function run(stepMs = 1000, maxRounds = 400) {
  for (let i = 0; i < maxRounds; i++) {
    await fanOutNotifications(db(), deps);
    tickClock(0);
    await deliverDueOutbox(db(), delivery, { now: () => new Date(clock) });
    if ((await db().outboxMessage.count({ where: { kind: "NOTIFY_CHAT", status: "PENDING" } })) === 0) return;
    tickClock(stepMs);
  }
  throw new Error("chat rows still pending");
}

const mentions = (ticketId: number) => (m: { rawBody: string }) => m.rawBody.includes(`/admin/tickets/${ticketId}`);
const maxInWindow = (times: number[], ms: number) => Math.max(0, ...times.map((t) => times.filter((u) => u >= t && u < t + ms).length));

beforeEach(async () => {
  await db().chatChannel.deleteMany({});
  receiver.messages.length = 0;
  receiver.refusals.length = 0;
  // New robots start with empty rate windows; the vendors' clocks are ours again.
  clock = Date.now();
});

describe(`team chat robots (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("a new ticket posts one message to each robot, signed exactly as each vendor defines it", async () => {
    for (const kind of ["DINGTALK", "WECOM", "FEISHU", "WEBHOOK"] as const) await addRobot(kind);
    const ticketId = await fileTicket("使用咨询", "控制台白屏");
    await run();
    expect(receiver.refusals).toEqual([]);
    for (const vendor of ["dingtalk", "wecom", "feishu", "webhook"] as const) expect(receiver.of(vendor).filter(mentions(ticketId))).toHaveLength(1);

    const [ding] = receiver.of("dingtalk");
    expect(ding!.body).toMatchObject({ msgtype: "markdown", markdown: { title: `客户(ID: 1100001)提交了新工单 #${ticketId}` } });
    expect((ding!.body.markdown as { text: string }).text).toContain("**控制台白屏**");
    const [wecom] = receiver.of("wecom");
    expect((wecom!.body.text as { content: string }).content).toContain("控制台白屏（使用咨询）");
    const [feishu] = receiver.of("feishu");
    expect(feishu!.body.msg_type).toBe("text");
    const [hook] = receiver.of("webhook");
    expect(hook!.headers["x-key-id"]).toMatch(/^chat-\d+$/);
    expect(hook!.body).toMatchObject({ type: "notifications", items: [{ kind: "ticket.created", ticketId, title: "控制台白屏", category: "使用咨询" }] });
  });

  it("filters: a robot hears only its events, categories and assignees", async () => {
    const filing = await db().category.findFirstOrThrow({ where: { name: "备案类问题" } });
    await addRobot("DINGTALK", { categoryIds: [filing.id] });
    await addRobot("WECOM", { kinds: ["ticket.memberReplied"], assigneeIds: [2] });
    const other = await fileTicket("使用咨询");
    const filed = await fileTicket("备案类问题");
    await asStaff(db()).console.accept({ ticketId: other });
    await asSuperAdmin(db()).console.accept({ ticketId: filed });
    await asMember(db()).portal.reply({ ticketId: other, body: "补充", attachmentIds: [] });
    await asMember(db()).portal.reply({ ticketId: filed, body: "补充", attachmentIds: [] });
    await run();
    expect(receiver.of("dingtalk").map((m) => [mentions(filed)(m), mentions(other)(m)])).toEqual([[true, false]]);
    // The WeCom robot takes member replies on 客服小王's (staff 2) tickets only.
    expect(receiver.of("wecom")).toHaveLength(1);
    expect(receiver.of("wecom").filter(mentions(other))).toHaveLength(1);
  });

  it("@-mentions the assignee by mobile on DingTalk (atMobiles) and WeCom (mentioned_mobile_list); Feishu gets no mention", async () => {
    await db().staff.update({ where: { id: 2 }, data: { mobile: "13900000002" } });
    for (const kind of ["DINGTALK", "WECOM", "FEISHU"] as const) await addRobot(kind, { kinds: ["ticket.memberReplied"] });
    const ticketId = await fileTicket();
    await asStaff(db()).console.accept({ ticketId });
    await asMember(db()).portal.reply({ ticketId, body: "请尽快", attachmentIds: [] });
    await run();
    const [ding] = receiver.of("dingtalk");
    expect(ding!.body.at).toEqual({ atMobiles: ["13900000002"], isAtAll: false });
    expect((ding!.body.markdown as { text: string }).text).toMatch(/@13900000002$/);
    expect((receiver.of("wecom")[0]!.body.text as { mentioned_mobile_list: string[] }).mentioned_mobile_list).toEqual(["13900000002"]);
    expect(receiver.of("feishu")[0]!.rawBody).not.toContain("13900000002");
  });

  it("a burst beyond DingTalk's 20 a minute is merged into a digest when the window frees — nothing dropped, the limit never crossed", async () => {
    for (const kind of ["DINGTALK", "WECOM", "FEISHU"] as const) await addRobot(kind, { kinds: ["ticket.created"] });
    const tickets: number[] = [];
    // 30 tickets, one at least every half second, delivered as they come.
    for (let i = 0; i < 30; i++) {
      tickets.push(await fileTicket("使用咨询", `突发工单 ${i}`));
      await fanOutNotifications(db(), deps);
      tickClock(500);
      await deliverDueOutbox(db(), delivery, { now: () => new Date(clock) });
    }
    await run(1000);
    expect(receiver.refusals).toEqual([]);
    for (const vendor of ["dingtalk", "wecom", "feishu"] as const) {
      const got = receiver.of(vendor);
      for (const id of tickets) expect(got.some(mentions(id)), `${vendor} lost ticket ${id}`).toBe(true);
    }
    const ding = receiver.of("dingtalk");
    const items = (m: { rawBody: string }) => (m.rawBody.match(/admin\/tickets\/\d+\)/g) ?? []).length;
    // One by one while the minute has room (20), then what was held back goes as a digest.
    expect(ding.slice(0, 20).map(items)).toEqual(Array(20).fill(1));
    expect(ding.length).toBeLessThan(30);
    expect(ding.slice(20).some((m) => (m.body.markdown as { text: string }).text.includes("工单通知（"))).toBe(true);
    expect(ding.map(items).reduce((a, b) => a + b, 0)).toBe(30);
    expect(maxInWindow(ding.map((m) => m.at), 60_000)).toBeLessThanOrEqual(20);
    // Feishu allows 5 a second and 100 a minute: news at most two a second passes one by one.
    const feishu = receiver.of("feishu");
    expect(feishu).toHaveLength(30);
    expect(maxInWindow(feishu.map((m) => m.at), 1000)).toBeLessThanOrEqual(5);
    // A row held back is not an attempt: nothing was dead-lettered or counted as failed.
    expect(await db().outboxMessage.count({ where: { kind: "NOTIFY_CHAT", status: "DEAD" } })).toBe(0);
  }, 180_000);

  it("news queued all at once goes out as digests within each vendor's size limit (WeCom: 2048 bytes)", async () => {
    await addRobot("WECOM", { kinds: ["ticket.created"] });
    const tickets: number[] = [];
    for (let i = 0; i < 25; i++) tickets.push(await fileTicket("使用咨询", `批量工单 ${i} ${"很长的标题".repeat(6)}`));
    await run();
    const got = receiver.of("wecom");
    expect(got.length).toBeGreaterThan(1);
    expect(got.length).toBeLessThan(25);
    for (const m of got) expect(Buffer.byteLength((m.body.text as { content: string }).content)).toBeLessThanOrEqual(2048);
    for (const id of tickets) expect(got.some(mentions(id))).toBe(true);
  }, 120_000);

  it("a robot with a wrong secret: the vendor's refusal dead-letters the message with its words; the super admins hear of it in the bell, not in that chat", async () => {
    const { id } = await addRobot("DINGTALK", { secret: "SECwrong" });
    const ticketId = await fileTicket();
    await run();
    const dead = await db().outboxMessage.findFirstOrThrow({ where: { kind: "NOTIFY_CHAT", ticketId } });
    expect(dead).toMatchObject({ status: "DEAD", lastError: "310000 sign not match" });
    expect((await db().chatChannel.findUniqueOrThrow({ where: { id } })).lastError).toBe("310000 sign not match");
    await w.drain();
    const bell = await admin().notifications.bell({ limit: 30 });
    expect(bell.items.some((i) => i.ticketId === ticketId && i.kind === "delivery.dead")).toBe(true);
    // No second chat row was queued about the chat's own dead letter.
    expect(await db().outboxMessage.count({ where: { kind: "NOTIFY_CHAT", ticketId } })).toBe(1);
  });

  it("发送测试: a signed test message now, or the vendor's refusal in the admin's language; only the super admin may", async () => {
    const good = await addRobot("FEISHU");
    expect(await admin().notificationChannels.testChat({ id: good.id })).toEqual({ sent: true });
    expect(receiver.of("feishu").at(-1)!.rawBody).toContain("测试消息");
    const bad = await addRobot("DINGTALK", { secret: "SECwrong" });
    await expect(admin().notificationChannels.testChat({ id: bad.id })).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE", message: "发送失败：310000 sign not match" });
    await expect(asStaff(db()).notificationChannels.testChat({ id: good.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("robot settings: the secret is write-only and required where the vendor signs; names are unique; URLs must be http(s)", async () => {
    const { id } = await addRobot("DINGTALK", { name: "运维群" });
    const [listed] = (await admin().notificationChannels.overview()).channels;
    expect(listed).toMatchObject({ id, name: "运维群", hasSecret: true });
    expect(JSON.stringify(listed)).not.toContain(receiver.secrets.dingtalk);
    await expect(addRobot("DINGTALK", { name: "运维群" })).rejects.toMatchObject({ code: "CONFLICT", message: "已有同名机器人" });
    await expect(addRobot("FEISHU", { secret: "" })).rejects.toMatchObject({ code: "BAD_REQUEST", message: "此类型的机器人需要填写密钥" });
    await expect(addRobot("WEBHOOK", { webhookUrl: "file:///etc/passwd" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(addRobot("DINGTALK", { kinds: ["ticket.replied"] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // Editing without a secret keeps the stored one: the robot still signs correctly.
    await admin().notificationChannels.updateChat({ id, name: "运维群", kind: "DINGTALK", webhookUrl: urls().DINGTALK, secret: "", enabled: true, locale: "zh-CN", kinds: ["ticket.created"], categoryIds: [], assigneeIds: [], mentionAssignee: false });
    expect(await admin().notificationChannels.testChat({ id })).toEqual({ sent: true });
    await admin().notificationChannels.deleteChat({ id });
    await expect(admin().notificationChannels.deleteChat({ id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
