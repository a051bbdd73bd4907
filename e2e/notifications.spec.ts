import nodemailer from "nodemailer";
import { expect, test, type Page } from "@playwright/test";
import { MailSink } from "../src/test/mail-sink";
import { RobotReceiver } from "../src/test/robot-receiver";
import { fileTicketAsMember, loginAsMember, STAFF_STATE } from "./helpers";

/**
 * Notifications end to end, against the real server: a real SMTP server (MailSink) receives our
 * mails, the reply goes back to the server's own inbound SMTP listener (MAIL_INBOUND_PORT), and a
 * DingTalk-style receiver checks the robot's signature as DingTalk defines it.
 */
const PORT = Number(process.env.E2E_PORT ?? 3210);
const INBOUND_PORT = PORT + 2000; // playwright.config.ts starts the server's listener there
const MEMBER_MAIL = "member@demo.relaydesk";
const NOTE = "内部备注：此客户需要加急，勿对外";
const REPLY = "您好，已为您重置控制台登录状态，请再试。";
const ANSWER = "可以登录了，谢谢！";

const sink = new MailSink();
const robot = new RobotReceiver();

test.describe.serial("notifications: bell, mail and reply by mail, team chat robot", () => {
  test.use({ storageState: STAFF_STATE });

  test.beforeAll(async () => {
    await sink.start();
    await robot.start();
  });
  test.afterAll(async () => {
    await sink.stop();
    await robot.stop();
  });

  let ticketId = 0;

  test("the super admin points outgoing mail at an SMTP server, sends a test mail, and adds a DingTalk robot that passes 发送测试", async ({ page }) => {
    page.on("dialog", (d) => void d.accept());
    await page.goto("/admin/notification-channels");
    await expect(page.getByTestId("notification-channels-title")).toHaveText("通知渠道");
    await expect(page.getByTestId("inbound-listener")).toContainText(`端口 ${INBOUND_PORT}`);
    const smtp = page.getByTestId("smtp-form");
    await smtp.locator('input[name="host"]').fill("127.0.0.1");
    await smtp.locator('input[name="port"]').fill(String(sink.port));
    await smtp.locator('select[name="security"]').selectOption("none");
    await smtp.locator('input[name="fromAddress"]').fill("desk@relaydesk.test");
    await smtp.locator('input[name="fromName"]').fill("Relaydesk");
    await page.getByTestId("smtp-save").click();
    await expect(page.getByTestId("smtp-notice")).toHaveText("邮件设置已保存");
    await expect(page.getByTestId("smtp-source")).toHaveText("后台设置");
    await page.locator('input[name="testTo"]').fill("ops@relaydesk.test");
    await page.getByTestId("smtp-test").click();
    await expect(page.getByTestId("smtp-notice")).toHaveText("测试邮件已发送到 ops@relaydesk.test");
    expect(sink.to("ops@relaydesk.test")[0]?.parsed.subject).toBe("Relaydesk 工单系统 测试邮件");

    await page.getByTestId("chat-add").click();
    const form = page.getByTestId("chat-form");
    await form.locator('input[name="name"]').fill("运维钉钉群");
    await form.locator('select[name="kind"]').selectOption("DINGTALK");
    await form.locator('input[name="webhookUrl"]').fill(`${robot.baseUrl}/robot/send?access_token=e2e`);
    await form.locator('input[name="secret"]').fill(robot.secrets.dingtalk);
    await expect(form.locator('input[name="kind-ticket.created"]')).toBeChecked();
    await page.getByTestId("chat-save").click();
    const channel = page.locator('[data-testid^="chat-channel-"]').filter({ hasText: "运维钉钉群" });
    await channel.getByTestId("chat-test").click();
    await expect(channel.getByTestId("chat-notice")).toHaveText("测试消息已发送");
    expect(robot.refusals).toEqual([]);
  });

  test("a new ticket posts one signed message to the DingTalk robot", async ({ browser }) => {
    ticketId = await fileTicketAsMember(browser, { title: `控制台登录失败 ${Date.now()}`, body: "登录后一直转圈", categoryName: "使用咨询" });
    await expect.poll(() => robot.of("dingtalk").filter((m) => m.rawBody.includes(`/admin/tickets/${ticketId}`)).length, { timeout: 30_000 }).toBe(1);
    const [message] = robot.of("dingtalk").filter((m) => m.rawBody.includes(`/admin/tickets/${ticketId}`));
    // The receiver answered errcode 0 only because timestamp and sign matched DingTalk's definition.
    expect(new URL(message!.url).searchParams.get("sign")).toMatch(/^[A-Za-z0-9+/]{43}=$/); // base64 of an HMAC-SHA256
    expect(message!.body).toMatchObject({ msgtype: "markdown", markdown: { title: `客户(ID: 1100001)提交了新工单 #${ticketId}` } });
    expect(robot.refusals).toEqual([]);
  });

  test("staff note and reply → the member's bell shows 1 and the SMTP server holds a zh-CN mail with the reply and without the note; answering it adds the reply, which the staff bell announces", async ({ page, browser }) => {
    test.setTimeout(180_000); // two browsers, the bell's polling and the worker's rounds
    // The member starts from a read bell (earlier specs replied on their tickets too).
    const memberContext = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const member = await memberContext.newPage();
    await loginAsMember(member);
    await member.goto("/tickets");
    await member.getByTestId("notification-bell").click();
    const markAll = member.getByTestId("notification-mark-all");
    // The unread count can arrive after the panel opens (全部已读 is disabled until then): retry
    // the click until the bell shows nothing unread.
    await expect(async () => {
      if (await markAll.isEnabled()) await markAll.click();
      await expect(member.getByTestId("notification-unread")).toHaveCount(0, { timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    await member.getByTestId("notification-bell").click(); // closes the panel

    await page.goto(`/admin/tickets/${ticketId}`);
    await page.getByTestId("action-accept").click();
    await expect(page.getByTestId("accepted-label")).toHaveText("已接单");
    await page.getByTestId("reply-body").fill(NOTE);
    await page.getByTestId("note-submit").click();
    await expect(page.getByTestId("message").filter({ hasText: NOTE })).toBeVisible();
    await page.getByTestId("reply-body").fill(REPLY);
    await page.getByTestId("reply-submit").click();
    await expect(page.getByTestId("message").filter({ hasText: REPLY })).toBeVisible();

    // The bell polls; one notification, for the reply — the note told the member nothing.
    await expect(member.getByTestId("notification-unread")).toHaveText("1", { timeout: 30_000 });
    await member.getByTestId("notification-bell").click();
    const item = member.getByTestId("notification-item").first();
    await expect(item.getByTestId("notification-headline")).toHaveText(`超级管理员回复了您的工单 #${ticketId}`);
    await expect(item.getByTestId("notification-excerpt")).toHaveText(REPLY);
    await expect(member.getByTestId("notification-panel")).not.toContainText(NOTE);

    await expect.poll(() => sink.to(MEMBER_MAIL).filter((m) => m.parsed.subject?.includes(`#${ticketId}]`)).length, { timeout: 30_000 }).toBe(1);
    const mail = sink.to(MEMBER_MAIL).find((m) => m.parsed.subject?.includes(`#${ticketId}]`))!;
    expect(mail.parsed.subject).toMatch(new RegExp(`^\\[工单 #${ticketId}\\] 控制台登录失败 \\d+ — 有新的回复$`));
    expect(mail.parsed.text).toContain("张三，您好：");
    expect(mail.parsed.text).toContain(REPLY);
    expect(mail.raw.toString("utf8")).not.toContain("勿对外");
    expect(mail.parsed.text).not.toContain(NOTE);
    expect(String(mail.parsed.html)).not.toContain(NOTE);
    const replyTo = mail.parsed.replyTo!.value[0]!.address!;
    expect(replyTo).toMatch(/^reply\+\d+\.1100001\.[0-9a-f]{24}@reply\.relaydesk\.test$/);

    // Opening the notification goes to the ticket and marks it read.
    await item.click();
    await member.waitForURL(`**/tickets/${ticketId}`);
    await expect(member.getByTestId("notification-unread")).toHaveCount(0);
    await memberContext.close();

    // The member answers from their mail client, quoting the notification below the answer.
    const transport = nodemailer.createTransport({ host: "127.0.0.1", port: INBOUND_PORT, secure: false, ignoreTLS: true });
    const quoted = (mail.parsed.text ?? "").split("\n").map((l) => `> ${l}`).join("\n");
    const info = await transport.sendMail({
      from: `张三 <${MEMBER_MAIL}>`,
      to: replyTo,
      subject: `Re: ${mail.parsed.subject}`,
      text: `${ANSWER}\n\n在 2026年12月1日 10:00，Relaydesk <desk@relaydesk.test> 写道：\n${quoted}`,
      inReplyTo: mail.parsed.messageId,
    });
    transport.close();
    expect(info.response).toMatch(/^250 /);

    await page.reload();
    await expect(page.getByTestId("message").filter({ hasText: ANSWER })).toBeVisible();
    await expect(page.getByTestId("message").filter({ hasText: ANSWER })).not.toContainText("写道");
    await expectStaffBell(page, `客户(ID: 1100001)回复了工单 #${ticketId}`);
  });

  test("clean-up: mail off and robot removed, so later specs are not mailed into a closed server", async ({ page }) => {
    page.on("dialog", (d) => void d.accept());
    await page.goto("/admin/notification-channels");
    const smtp = page.getByTestId("smtp-form");
    await smtp.locator('input[name="enabled"]').uncheck();
    await page.getByTestId("smtp-save").click();
    await expect(page.getByTestId("smtp-notice")).toHaveText("邮件设置已保存");
    const channel = page.locator('[data-testid^="chat-channel-"]').filter({ hasText: "运维钉钉群" });
    await channel.getByRole("button", { name: "✕" }).click();
    await expect(channel).toHaveCount(0);
  });
});

async function expectStaffBell(page: Page, headline: string) {
  await expect(async () => {
    await page.reload();
    await page.getByTestId("notification-bell").click();
    await expect(page.getByTestId("notification-headline").filter({ hasText: headline })).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
}
