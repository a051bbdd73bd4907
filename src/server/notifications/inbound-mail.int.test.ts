import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asMember, asStaff, asSuperAdmin } from "@/test/callers";
import { SETUP_TIMEOUT_MS } from "@/test/escalation-fixture";
import { AUTH_SECRET, REPLY_DOMAIN, setUpNotifications, type NotificationWorld } from "@/test/notification-world";
import { rateLimitsFor } from "@/server/rate-limits";
import { insertInboundMail } from "@/server/db/repos/notification-channels";
import { startInboundListener, type InboundListener } from "./inbound-listener";
import { retryStoredMails } from "./inbound-mail";
import { replyAddress } from "./reply-token";

let w: NotificationWorld;
let listener: InboundListener;
beforeAll(async () => {
  w = await setUpNotifications();
  listener = await startInboundListener(w.t.prisma, w.deps, { host: "127.0.0.1", port: 0 });
}, SETUP_TIMEOUT_MS);
afterAll(async () => {
  await listener?.close();
  await w?.close();
});

const db = () => w.t.prisma;
const MEMBER_MAIL = "member@demo.relaydesk";
// A 1×1 PNG: a real image the file rules accept.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

/** A staff reply, so the member got a notification mail whose Reply-To we answer. */
async function ticketWithNotificationMail() {
  const category = await db().category.findFirstOrThrow({ where: { name: "使用咨询" } });
  const { ticketId } = await asMember(db()).portal.create({ categoryId: category.id, title: `邮件回复测试 ${Date.now()}`, body: "问题描述", contactPhone: "", contactQq: "", businessId: "", businessIp: "", businessType: "", attachmentIds: [] });
  await asStaff(db()).console.accept({ ticketId });
  await asStaff(db()).console.reply({ ticketId, body: "请提供截图", attachmentIds: [] });
  await w.drain();
  const mail = w.sink.to(MEMBER_MAIL).find((m) => m.parsed.subject?.includes(`#${ticketId}]`))!;
  return { ticketId, mail, replyTo: mail.parsed.replyTo!.value[0]!.address! };
}

type Sent = { accepted: boolean; code?: number; response: string };

/** Sends as a mail client would, straight to our listener. */
async function send(mail: { from: string; to: string; subject?: string; text: string; messageId?: string; date?: Date; headers?: Record<string, string>; attachments?: { filename: string; content: Buffer }[] }): Promise<Sent> {
  const transport = nodemailer.createTransport({ host: "127.0.0.1", port: listener.port, secure: false, ignoreTLS: true });
  try {
    const info = await transport.sendMail({ subject: "Re: 回复", date: new Date("2026-12-01T10:00:00Z"), ...mail });
    return { accepted: info.accepted.length > 0, response: info.response };
  } catch (e) {
    const err = e as { responseCode?: number; response?: string };
    return { accepted: false, code: err.responseCode, response: err.response ?? String(e) };
  } finally {
    transport.close();
  }
}

const messagesOf = (ticketId: number) => db().ticketMessage.findMany({ where: { ticketId, authorKind: "MEMBER" }, orderBy: { id: "asc" }, include: { attachments: true } });

const QUOTED = (ours: string) =>
  ["好的，截图见附件。", "谢谢！", "", "在 2026年12月1日 周二 10:00，Relaydesk <desk@example.test> 写道：", "> —— 请在此行以上回复 ——", "> 请提供截图", ours].join("\n");

describe(`reply by e-mail (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("answering the notification mail adds the member's reply to the ticket (quoted history cut, image kept); the staff member who accepted it hears of it", async () => {
    const { ticketId, replyTo } = await ticketWithNotificationMail();
    const sent = await send({ from: `张三 <${MEMBER_MAIL}>`, to: replyTo, text: QUOTED("> 查看工单：…"), messageId: "<r1@client.example>", attachments: [{ filename: "截图.png", content: PNG }] });
    expect(sent).toMatchObject({ accepted: true });
    expect(sent.response).toMatch(/^250 .*Reply added/);

    const [, reply] = await messagesOf(ticketId);
    expect(reply!.body).toBe("好的，截图见附件。\n谢谢！");
    expect(reply!.visibility).toBe("PUBLIC");
    expect(reply!.externalId).toMatch(/^mail:\d+$/);
    expect(reply!.attachments.map((a) => [a.fileName, a.mimeType, a.size])).toEqual([["截图.png", "image/png", PNG.length]]);
    expect((await db().ticket.findUniqueOrThrow({ where: { id: ticketId } })).status).toBe("MEMBER_REPLIED");
    // The member can download the file through the portal's authorizing route (owner = the member).
    expect(reply!.attachments[0]!.ownerKey).toBe("member:1100001");

    await w.drain();
    const bell = await asStaff(db()).notifications.bell({ limit: 20 });
    expect(bell.items.find((i) => i.ticketId === ticketId && i.kind === "ticket.memberReplied")).toMatchObject({ excerpt: "好的，截图见附件。 谢谢！" });
    const stored = await db().inboundMail.findFirstOrThrow({ where: { ticketId } });
    expect(stored).toMatchObject({ status: "APPLIED", fromAddress: MEMBER_MAIL, messageId: reply!.id });
    expect(await w.deps.files.get(stored.rawKey)).not.toBeNull();
  });

  it("the same mail twice becomes one message", async () => {
    const { ticketId, replyTo } = await ticketWithNotificationMail();
    const mail = { from: MEMBER_MAIL, to: replyTo, text: "只发一次的回复", messageId: "<dup@client.example>" };
    expect((await send(mail)).accepted).toBe(true);
    expect((await send(mail)).accepted).toBe(true);
    expect((await messagesOf(ticketId)).filter((m) => m.body === "只发一次的回复")).toHaveLength(1);
    expect(await db().inboundMail.count({ where: { ticketId } })).toBe(1);
    // A different mail reusing the Message-ID is not swallowed as a duplicate.
    expect((await send({ ...mail, text: "另一封，同一个 Message-ID" })).accepted).toBe(true);
    expect((await messagesOf(ticketId)).filter((m) => m.body === "另一封，同一个 Message-ID")).toHaveLength(1);
  });

  it("a sender who is not the ticket's member is refused (550), the mail is kept as refused, nothing is added", async () => {
    const { ticketId, replyTo } = await ticketWithNotificationMail();
    const before = (await messagesOf(ticketId)).length;
    const sent = await send({ from: "attacker@evil.example", to: replyTo, text: "我不是会员" });
    expect(sent).toMatchObject({ accepted: false, code: 550 });
    expect(sent.response).toContain("not the member");
    expect((await messagesOf(ticketId)).length).toBe(before);
    expect(await db().inboundMail.findFirstOrThrow({ where: { ticketId, fromAddress: "attacker@evil.example" } })).toMatchObject({ status: "REFUSED" });
    // Another member's address is refused the same way.
    expect(await send({ from: "member2@demo.relaydesk", to: replyTo, text: "李四" })).toMatchObject({ accepted: false, code: 550 });
  });

  it("a forged or unknown reply address is refused at RCPT TO: the listener is no open relay", async () => {
    const { ticketId } = await ticketWithNotificationMail();
    const forged = `reply+${ticketId}.1100001.${"0".repeat(24)}@${REPLY_DOMAIN}`;
    expect(await send({ from: MEMBER_MAIL, to: forged, text: "伪造" })).toMatchObject({ accepted: false, code: 550 });
    expect(await send({ from: MEMBER_MAIL, to: "someone@elsewhere.example", text: "转发" })).toMatchObject({ accepted: false, code: 550 });
    // A token for another member's ticket signed with another instance's key is refused too.
    const otherKey = replyAddress("another-instance-secret-0123456789abcdef", REPLY_DOMAIN, ticketId, 1100001);
    expect(await send({ from: MEMBER_MAIL, to: otherKey, text: "别的实例" })).toMatchObject({ accepted: false, code: 550 });
    expect(await db().inboundMail.count({ where: { ticketId } })).toBe(0);
  });

  it("attachments follow the portal's file rules: an image is kept, an executable or an oversized file is named in the text instead", async () => {
    const { ticketId, replyTo } = await ticketWithNotificationMail();
    const exe = Buffer.concat([Buffer.from("MZ"), Buffer.alloc(64)]);
    const big = Buffer.concat([PNG, Buffer.alloc(11 * 1024 * 1024)]);
    expect((await send({ from: MEMBER_MAIL, to: replyTo, text: "附件测试", attachments: [{ filename: "ok.png", content: PNG }, { filename: "tool.exe", content: exe }, { filename: "huge.png", content: big }] })).accepted).toBe(true);
    const reply = (await messagesOf(ticketId)).at(-1)!;
    expect(reply.attachments.map((a) => a.fileName)).toEqual(["ok.png"]);
    expect(reply.body).toBe("附件测试\n\n[附件未接收: tool.exe（不支持的文件类型）]\n[附件未接收: huge.png（超过 10 MB）]");
  });

  it("a finished ticket refuses a reply by mail (R5); an auto-reply is accepted and ignored, so no mail loop starts", async () => {
    const { ticketId, replyTo } = await ticketWithNotificationMail();
    expect((await send({ from: MEMBER_MAIL, to: replyTo, text: "我在休假", headers: { "Auto-Submitted": "auto-replied" } })).accepted).toBe(true);
    expect((await messagesOf(ticketId)).some((m) => m.body.includes("休假"))).toBe(false);
    await asSuperAdmin(db()).console.close({ ticketId });
    const sent = await send({ from: MEMBER_MAIL, to: replyTo, text: "关闭后的回复" });
    expect(sent).toMatchObject({ accepted: false, code: 550 });
    expect(sent.response).toContain("finished");
    expect((await messagesOf(ticketId)).some((m) => m.body === "关闭后的回复")).toBe(false);
  });

  it("the raw mail is stored before it is acknowledged: a reply that cannot be applied now is kept (451) and applied later by the worker", async () => {
    const { ticketId, replyTo } = await ticketWithNotificationMail();
    for (let i = 0; i < 40; i++) await rateLimitsFor(db()).take("reply", "member:1100001");
    try {
      const sent = await send({ from: MEMBER_MAIL, to: replyTo, text: "稍后才能处理的回复" });
      expect(sent).toMatchObject({ accepted: false, code: 451 });
      expect(await db().inboundMail.findFirstOrThrow({ where: { ticketId } })).toMatchObject({ status: "RECEIVED" });
    } finally {
      await db().rateLimit.deleteMany({ where: { key: { contains: "member:1100001" } } });
    }
    expect(await retryStoredMails(db(), w.deps, new Date(Date.now() + 61_000))).toBe(1);
    expect((await messagesOf(ticketId)).filter((m) => m.body === "稍后才能处理的回复")).toHaveLength(1);
    expect(await db().inboundMail.findFirstOrThrow({ where: { ticketId } })).toMatchObject({ status: "APPLIED" });
  });

  it("a stored mail the process never got to apply (a crash after the 250) is applied by the worker once", async () => {
    const { ticketId } = await ticketWithNotificationMail();
    const raw = Buffer.from(
      [`From: ${MEMBER_MAIL}`, `To: ${replyAddress(AUTH_SECRET, REPLY_DOMAIN, ticketId, 1100001)}`, "Subject: Re", "Message-ID: <crash@client.example>", "Content-Type: text/plain; charset=utf-8", "", "崩溃前收到的回复"].join("\r\n"),
    );
    await insertInboundMail(db(), { dedupeKey: `crash-${ticketId}`, messageIdHeader: "<crash@client.example>", fromAddress: MEMBER_MAIL, toAddress: "x", ticketId, memberId: 1100001, rawKey: await w.deps.files.put(raw), size: raw.length });
    await retryStoredMails(db(), w.deps, new Date(Date.now() + 61_000));
    await retryStoredMails(db(), w.deps, new Date(Date.now() + 61_000));
    expect((await messagesOf(ticketId)).filter((m) => m.body === "崩溃前收到的回复")).toHaveLength(1);
  });
});
