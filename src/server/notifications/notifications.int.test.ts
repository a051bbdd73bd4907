import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asAnonymous, asMember, asStaff, asSuperAdmin } from "@/test/callers";
import { SETUP_TIMEOUT_MS } from "@/test/escalation-fixture";
import { AUTH_SECRET, REPLY_DOMAIN, setUpNotifications, type NotificationWorld } from "@/test/notification-world";
import { fanOutNotifications } from "./fan-out";
import { parseReplyAddress } from "./reply-token";
import { RETRY_POLICY } from "@/server/outbox/backoff";
import { deliverDueOutbox } from "@/server/outbox/dispatcher";

let w: NotificationWorld;
beforeAll(async () => {
  w = await setUpNotifications();
}, SETUP_TIMEOUT_MS);
afterAll(() => w?.close());

const db = () => w.t.prisma;
const MEMBER_MAIL = "member@demo.relaydesk";
const member = () => asMember(db());
const otherMember = () => asMember(db(), 1100002, "李四");
const admin = () => asSuperAdmin(db());
const kefu = () => asStaff(db());

let titles = 0;
async function fileTicket(as = member(), categoryName = "使用咨询") {
  const category = await db().category.findFirstOrThrow({ where: { name: categoryName } });
  const title = `控制台无法登录 ${++titles}-${Date.now()}`;
  const { ticketId } = await as.portal.create({ categoryId: category.id, title, body: "登录后一直转圈", contactPhone: "", contactQq: "", businessId: "", businessIp: "", businessType: "", attachmentIds: [] });
  return { ticketId, title };
}

const bellOf = async (caller: ReturnType<typeof member>, ticketId: number) => (await caller.notifications.bell({ limit: 50 })).items.filter((i) => i.ticketId === ticketId);
const mailsAbout = (to: string, ticketId: number) => w.sink.to(to).filter((m) => m.parsed.subject?.includes(`#${ticketId}]`));

describe(`notifications (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("a new ticket tells the staff who watch its category (the bell, not the member who filed it); a staff member watching other categories hears nothing", async () => {
    const other = await db().category.findFirstOrThrow({ where: { name: "财务与发票" } });
    const prefs = await kefu().notifications.preferences();
    await kefu().notifications.savePreferences({ kinds: prefs.kinds, watchCategoryIds: [other.id] });
    const { ticketId, title } = await fileTicket();
    await w.drain();

    const [entry] = await bellOf(admin(), ticketId);
    expect(entry).toMatchObject({ kind: "ticket.created", ticketTitle: title, read: false, href: `/admin/tickets/${ticketId}` });
    expect(entry!.headline).toBe(`客户(ID: 1100001)提交了新工单 #${ticketId}`);
    expect(entry!.excerpt).toBe("登录后一直转圈");
    expect(await bellOf(kefu(), ticketId)).toHaveLength(0);
    expect(await bellOf(member(), ticketId)).toHaveLength(0);
    // Staff mails are off by default: nothing was sent for the new ticket.
    expect(w.sink.mails.filter((m) => m.parsed.subject?.includes(`#${ticketId}]`))).toHaveLength(0);
    await kefu().notifications.savePreferences({ kinds: prefs.kinds, watchCategoryIds: null });
  });

  it("R7: an internal note tells the member nothing — no bell entry, no mail — while a public reply does", async () => {
    const { ticketId } = await fileTicket();
    await admin().console.accept({ ticketId });
    await w.drain();
    const before = w.sink.mails.length;
    await admin().console.note({ ticketId, body: "内部备注：客户是老用户，可优先处理", attachmentIds: [] });
    await w.drain();
    expect(await bellOf(member(), ticketId)).toHaveLength(0);
    expect(w.sink.mails.length).toBe(before);
    expect(await db().notification.count({ where: { ticketId, recipientKind: "MEMBER" } })).toBe(0);

    // Positive control: the same path with a public reply does tell the member.
    await admin().console.reply({ ticketId, body: "您好，已为您处理", attachmentIds: [] });
    await w.drain();
    expect(await bellOf(member(), ticketId)).toHaveLength(1);
  });

  it("a staff reply reaches the member's bell and mailbox: zh-CN subject and body with the reply, a link, a signed reply address — and never the note written beside it", async () => {
    const { ticketId, title } = await fileTicket();
    await admin().console.accept({ ticketId });
    await admin().console.note({ ticketId, body: "备注：不要告诉客户的内部信息XYZ", attachmentIds: [] });
    await admin().console.reply({ ticketId, body: "您好，请清除浏览器缓存后重试。\n如仍有问题请回复。", attachmentIds: [] });
    await w.drain();

    const bell = await member().notifications.bell({ limit: 10 });
    const mine = bell.items.filter((i) => i.ticketId === ticketId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ kind: "ticket.replied", headline: `超级管理员回复了您的工单 #${ticketId}`, href: `/tickets/${ticketId}`, read: false });
    expect(mine[0]!.excerpt).toBe("您好，请清除浏览器缓存后重试。 如仍有问题请回复。");
    expect(bell.unread).toBeGreaterThanOrEqual(1);

    const mails = mailsAbout(MEMBER_MAIL, ticketId);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!.parsed;
    expect(mails[0]!.to).toEqual([MEMBER_MAIL]);
    expect(mail.subject).toBe(`[工单 #${ticketId}] ${title} — 有新的回复`);
    expect(mail.text).toContain("张三，您好：");
    expect(mail.text).toContain("您好，请清除浏览器缓存后重试。\n如仍有问题请回复。");
    expect(mail.text).toContain(`查看工单：http://desk.example.test/tickets/${ticketId}`);
    expect(mail.html).toContain("您好，请清除浏览器缓存后重试。<br>如仍有问题请回复。");
    for (const part of [mail.text ?? "", String(mail.html), mails[0]!.raw.toString("utf8")]) {
      expect(part).not.toContain("XYZ");
      expect(part).not.toContain("内部信息");
    }
    const replyTo = mail.replyTo?.value[0]?.address ?? "";
    expect(replyTo).toMatch(new RegExp(`^reply\\+${ticketId}\\.1100001\\.[0-9a-f]{24}@${REPLY_DOMAIN.replace(/\./g, "\\.")}$`));
    expect(parseReplyAddress(AUTH_SECRET, replyTo, REPLY_DOMAIN)).toEqual({ ticketId, memberId: 1100001 });
    expect(mail.headers.get("auto-submitted")).toBe("auto-generated");
    expect(mail.references).toContain(`ticket-${ticketId}@example.test`);
  });

  it("the bell answers only its owner; mark read and mark all read change only the caller's rows", async () => {
    const { ticketId } = await fileTicket();
    await admin().console.accept({ ticketId });
    await admin().console.reply({ ticketId, body: "第一条回复", attachmentIds: [] });
    await admin().console.reply({ ticketId, body: "第二条回复", attachmentIds: [] });
    await w.drain();
    const items = await bellOf(member(), ticketId);
    expect(items).toHaveLength(2);
    await expect(asAnonymous(db()).notifications.bell({ limit: 10 })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    // Another member can neither see nor mark them.
    expect(await bellOf(otherMember(), ticketId)).toHaveLength(0);
    expect(await otherMember().notifications.markRead({ ids: items.map((i) => i.id) })).toEqual({ marked: 0 });

    const unreadBefore = (await member().notifications.bell({ limit: 1 })).unread;
    expect(await member().notifications.markRead({ ids: [items[0]!.id] })).toEqual({ marked: 1 });
    expect((await member().notifications.bell({ limit: 1 })).unread).toBe(unreadBefore - 1);
    await member().notifications.markAllRead();
    const after = await member().notifications.bell({ limit: 50 });
    expect(after.unread).toBe(0);
    expect(after.items.every((i) => i.read)).toBe(true);
    expect((await admin().notifications.bell({ limit: 1 })).unread).toBeGreaterThan(0);
  });

  it("keyset pages: the bell pages back through older notifications without repeats", async () => {
    const first = await member().notifications.bell({ limit: 2 });
    expect(first.nextBefore).not.toBeNull();
    const second = await member().notifications.bell({ limit: 2, before: first.nextBefore! });
    expect(second.items.length).toBeGreaterThan(0);
    expect(second.items.every((i) => i.id < first.items.at(-1)!.id)).toBe(true);
  });

  it("a member who turns e-mail off for replies still sees the bell and gets no mail; finishing the ticket still mails", async () => {
    const prefs = await member().notifications.preferences();
    expect(prefs.kinds.map((k) => k.kind)).toEqual(["ticket.replied", "ticket.finished", "ticket.autoCloseReminder"]);
    await member().notifications.savePreferences({ kinds: prefs.kinds.map((k) => (k.kind === "ticket.replied" ? { ...k, email: false } : k)) });
    try {
      const { ticketId, title } = await fileTicket();
      await admin().console.accept({ ticketId });
      await admin().console.reply({ ticketId, body: "无邮件的回复", attachmentIds: [] });
      await w.drain();
      expect(await bellOf(member(), ticketId)).toHaveLength(1);
      expect(mailsAbout(MEMBER_MAIL, ticketId)).toHaveLength(0);
      await admin().console.close({ ticketId });
      await w.drain();
      const mails = mailsAbout(MEMBER_MAIL, ticketId);
      expect(mails.map((m) => m.parsed.subject)).toEqual([`[工单 #${ticketId}] ${title} — 工单已完成`]);
      // A finished ticket takes no reply (R5): its mail offers no reply address.
      expect(mails[0]!.parsed.replyTo).toBeUndefined();
    } finally {
      await member().notifications.savePreferences({ kinds: prefs.kinds });
    }
  });

  it("a staff member may not choose a member's kinds, nor a member staff kinds", async () => {
    await expect(member().notifications.savePreferences({ kinds: [{ kind: "ticket.created", inApp: true, email: true }] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(kefu().notifications.savePreferences({ kinds: [{ kind: "ticket.replied", inApp: true, email: true }] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(kefu().notifications.savePreferences({ kinds: [{ kind: "no.such", inApp: true, email: true }] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("the member's reply tells the staff member who accepted the ticket (bell, and mail when they chose it) — nobody else, not the member", async () => {
    await kefu().notifications.savePreferences({
      kinds: [{ kind: "ticket.memberReplied", inApp: true, email: true }],
      watchCategoryIds: null,
      contact: { email: "kefu@example.test", mobile: "13900000002", locale: "" },
    });
    const { ticketId } = await fileTicket();
    await kefu().console.accept({ ticketId });
    await w.drain();
    await member().portal.reply({ ticketId, body: "还是不行", attachmentIds: [] });
    await w.drain();
    const [entry] = await bellOf(kefu(), ticketId);
    expect(entry).toMatchObject({ kind: "ticket.memberReplied", headline: `客户(ID: 1100001)回复了工单 #${ticketId}`, excerpt: "还是不行" });
    expect((await bellOf(admin(), ticketId)).filter((i) => i.kind === "ticket.memberReplied")).toHaveLength(0);
    expect((await bellOf(member(), ticketId))).toHaveLength(0);
    const [mail] = mailsAbout("kefu@example.test", ticketId);
    expect(mail!.parsed.text).toContain(`/admin/tickets/${ticketId}`);
    expect(mail!.parsed.replyTo).toBeUndefined();
  });

  it("several workers fanning out at once tell each person once", async () => {
    const tickets = [];
    for (let i = 0; i < 4; i++) {
      const t = await fileTicket(otherMember());
      await admin().console.accept({ ticketId: t.ticketId });
      await admin().console.reply({ ticketId: t.ticketId, body: `并发回复 ${i}`, attachmentIds: [] });
      tickets.push(t.ticketId);
    }
    await Promise.all([fanOutNotifications(db(), w.deps, 3), fanOutNotifications(db(), w.deps, 3), fanOutNotifications(db(), w.deps, 3), fanOutNotifications(db(), w.deps, 3)]);
    await w.drain();
    for (const ticketId of tickets) {
      expect(await db().notification.count({ where: { ticketId, recipientKind: "MEMBER", kind: "ticket.replied" } })).toBe(1);
      expect(await db().outboxMessage.count({ where: { ticketId, kind: "NOTIFY_EMAIL", type: "ticket.replied" } })).toBe(1);
      expect(mailsAbout("member2@demo.relaydesk", ticketId)).toHaveLength(1);
    }
    expect(await db().ticketEvent.count({ where: { notifyPending: true } })).toBe(0);
  });

  it("English mails for a member who reads English", async () => {
    await db().member.update({ where: { id: 1100001 }, data: { locale: "en" } });
    try {
      const { ticketId, title } = await fileTicket();
      await admin().console.accept({ ticketId });
      await admin().console.reply({ ticketId, body: "Please retry now.", attachmentIds: [] });
      await w.drain();
      const [mail] = mailsAbout(MEMBER_MAIL, ticketId);
      expect(mail!.parsed.subject).toBe(`[Ticket #${ticketId}] ${title} — New reply`);
      expect(mail!.parsed.text).toContain("Hello 张三,");
      expect(mail!.parsed.text).toContain("Please retry now.");
    } finally {
      await db().member.update({ where: { id: 1100001 }, data: { locale: null } });
    }
  });

  it("a mail the recipient's server refuses for good is dead-lettered; the super admins hear of it in the bell, never by another mail", async () => {
    w.sink.refuse.add("member2@demo.relaydesk");
    await admin().notifications.savePreferences({ kinds: [{ kind: "delivery.dead", inApp: true, email: true }], watchCategoryIds: null, contact: { email: "admin@example.test", mobile: "", locale: "" } });
    try {
      const { ticketId } = await fileTicket(otherMember());
      await admin().console.accept({ ticketId });
      await admin().console.reply({ ticketId, body: "您好", attachmentIds: [] });
      await w.drain();
      const dead = await db().outboxMessage.findFirstOrThrow({ where: { ticketId, kind: "NOTIFY_EMAIL" } });
      expect(dead).toMatchObject({ status: "DEAD", attempts: 1 });
      expect(dead.lastError).toMatch(/^SMTP 550/);
      const [entry] = (await bellOf(admin(), ticketId)).filter((i) => i.kind === "delivery.dead");
      expect(entry!.headline).toBe(`工单 #${ticketId} 的一次投递失败，已转入死信`);
      expect(entry!.excerpt).toContain("ticket.replied");
      expect(mailsAbout("admin@example.test", ticketId)).toHaveLength(0);
      expect((await admin().deliveries.overview()).dead.some((d) => d.id === dead.id)).toBe(true);
    } finally {
      w.sink.refuse.clear();
    }
  });

  it("no SMTP server reachable: the mail is retried with backoff, not lost, and goes out once it is back", async () => {
    const { ticketId } = await fileTicket();
    await admin().console.accept({ ticketId });
    await admin().console.reply({ ticketId, body: "服务器恢复后发送", attachmentIds: [] });
    await w.sink.stop();
    try {
      await w.drain();
      const row = await db().outboxMessage.findFirstOrThrow({ where: { ticketId, kind: "NOTIFY_EMAIL" } });
      expect(row).toMatchObject({ status: "PENDING", attempts: 1 });
      expect(row.lastError).toMatch(/^SMTP/);
    } finally {
      await w.sink.start();
      const port = w.sink.port;
      await db().mailSettings.update({ where: { id: 1 }, data: { port } });
    }
    await deliverDueOutbox(db(), w.delivery, { now: () => new Date(Date.now() + RETRY_POLICY.baseMs + 1000) });
    expect(mailsAbout(MEMBER_MAIL, ticketId)).toHaveLength(1);
  });

  it("发送测试邮件: the super admin's test mail arrives through the settings in force; staff may not send one; bad addresses are a clear 400", async () => {
    expect(await admin().notificationChannels.testMail({ to: "ops@example.test" })).toEqual({ sentTo: "ops@example.test" });
    const [mail] = w.sink.to("ops@example.test");
    expect(mail!.parsed.subject).toBe("Relaydesk 工单系统 测试邮件");
    await expect(kefu().notificationChannels.testMail({ to: "ops@example.test" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(admin().notificationChannels.testMail({ to: "not-an-address" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const overview = await admin().notificationChannels.overview();
    expect(overview.smtp).toMatchObject({ source: "console", settings: { host: "127.0.0.1", security: "none", hasPassword: false } });
  });
});
