import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { loginAsMember, loginAsStaff, MEMBER_STATE } from "./helpers";

/** The member portal end to end; the done-when flow drives the staff side through `console.*`. */

test.use({ storageState: MEMBER_STATE });

// A 1×1 PNG: the smallest real image the upload route accepts.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

async function fileTicket(page: Page, opts: { title: string; body: string; attach?: boolean }): Promise<number> {
  await page.goto("/tickets/new");
  await page.getByTestId("category-option").filter({ hasText: "业务资源问题" }).click();
  await page.locator('input[name="title"]').fill(opts.title);
  await page.locator('textarea[name="body"]').fill(opts.body);
  // Contacts are prefilled from the profile.
  await expect(page.locator('input[name="contactPhone"]')).toHaveValue("13800138000");
  await page.getByTestId("business-select").selectOption("VPS-10086");
  if (opts.attach) {
    await page.getByTestId("attachment-input").setInputFiles({ name: "screenshot.png", mimeType: "image/png", buffer: PNG });
    await expect(page.getByTestId("attachment-item")).toContainText("screenshot.png");
  }
  await page.getByTestId("submit-ticket").click();
  await page.waitForURL(/\/tickets\/\d+$/);
  return Number(new URL(page.url()).pathname.split("/").pop());
}

/** tRPC over HTTP as the browser sends it (superjson body). */
function trpcPost(request: APIRequestContext, path: string, input: unknown) {
  return request.post(`/api/trpc/${path}`, { data: { json: input } });
}

async function staffPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await loginAsStaff(page);
  return page;
}

const status = (page: Page) => page.getByTestId("info-status");

test("member files a ticket, follows it in 我的工单, replies, closes it, rates it once, and cannot reply any more", async ({ page }) => {
  const title = `无法远程连接 ${Date.now()}`;
  const ticketId = await fileTicket(page, { title, body: "SSH 超时\n控制台显示运行中 <b>不是HTML</b>", attach: true });

  await expect(page.getByTestId("info-title")).toHaveText(title);
  await expect(page.getByTestId("info-number")).toHaveText(String(ticketId));
  await expect(page.getByTestId("info-category")).toHaveText("业务资源问题");
  await expect(page.getByTestId("info-memberId")).toHaveText("1100001");
  await expect(page.getByTestId("info-businessIp")).toHaveText("103.45.67.89");
  await expect(page.getByTestId("info-finishedAt")).toHaveText("-");
  await expect(status(page)).toHaveText("待处理");
  // Plain text: line breaks kept, markup shown as typed.
  await expect(page.getByTestId("message-body").first()).toHaveText("SSH 超时\n控制台显示运行中 <b>不是HTML</b>");
  await expect(page.getByTestId("message").first()).toContainText("客户");
  // The attachment is a thumbnail linking to the download route, which serves it to its owner.
  const link = page.getByTestId("attachment-link");
  await expect(link).toHaveAttribute("href", /^\/api\/files\/attachments\/\d+$/);
  const download = await page.request.get((await link.getAttribute("href"))!);
  expect(download.status()).toBe(200);
  expect(download.headers()["content-type"]).toContain("image/png");

  await page.goto("/tickets");
  const row = page.getByTestId("ticket-row").filter({ hasText: title });
  await expect(row).toContainText("业务资源问题");
  await expect(row.getByTestId("status-badge")).toHaveText("待处理");
  await page.goto(`/tickets?q=${ticketId}`);
  await expect(page.getByTestId("ticket-row")).toHaveCount(1);
  await page.getByTestId("ticket-row").getByRole("link").click();
  await page.waitForURL(`**/tickets/${ticketId}`);

  await page.locator('[data-testid="reply-form"] textarea').fill("补充：重启后仍然无法连接");
  await page.getByTestId("send-reply").click();
  await expect(page.getByTestId("message-body").last()).toHaveText("补充：重启后仍然无法连接");

  page.once("dialog", (d) => void d.accept());
  await page.getByTestId("close-ticket").click();
  await expect(status(page)).toHaveText("已完成");
  await expect(page.getByTestId("finished-notice")).toBeVisible();
  await expect(page.getByTestId("reply-form")).toHaveCount(0);
  await expect(page.getByTestId("message").last()).toContainText(/系统消息.*您的工单于.*被客户关闭/);

  await page.getByTestId("star-4").click();
  await page.locator('[data-testid="rating-form"] textarea').fill("处理及时");
  await page.getByTestId("submit-rating").click();
  await expect(page.getByTestId("info-rating")).toContainText("处理及时");
  await expect(page.getByTestId("rating-form")).toHaveCount(0);

  // R5: a direct call is refused too, and rating twice is refused.
  const reply = await trpcPost(page.request, "portal.reply", { ticketId, body: "还能回复吗", attachmentIds: [] });
  expect(reply.status()).toBe(412);
  expect(await reply.text()).toContain("工单已完成");
  const again = await trpcPost(page.request, "portal.rate", { ticketId, rating: 1, comment: "" });
  expect(again.status()).toBe(412);
});

test("a second member cannot open another member's ticket or its files by URL (404 page, no leak, no crash)", async ({ page, browser }) => {
  const title = `仅本人可见 ${Date.now()}`;
  const ticketId = await fileTicket(page, { title, body: "私密内容", attach: true });
  const fileHref = await page.getByTestId("attachment-link").first().getAttribute("href");

  const other = await (await browser.newContext({ storageState: { cookies: [], origins: [] } })).newPage();
  await loginAsMember(other, "1100002");
  await expect(other.getByTestId("viewer-name")).toContainText("1100002");
  const response = await other.goto(`/tickets/${ticketId}`);
  expect(response?.status()).toBe(404);
  await expect(other.getByTestId("ticket-not-found")).toContainText("工单不存在");
  await expect(other.getByText(title)).toHaveCount(0);
  // Same answer as a number that does not exist.
  expect((await other.goto("/tickets/99999999"))?.status()).toBe(404);
  const api = await other.request.get(`/api/trpc/portal.ticket?input=${encodeURIComponent(JSON.stringify({ json: { ticketId } }))}`);
  expect(api.status()).toBe(404);
  expect((await other.request.get(fileHref!)).status()).toBe(404);
  await other.context().close();
});

test("done-when: file with an attachment, staff reply, member reply, staff close → 已完成, rate, no more replies", async ({ page, browser }) => {
  const title = `附件工单 ${Date.now()}`;
  const ticketId = await fileTicket(page, { title, body: "请看截图", attach: true });
  await expect(page.getByTestId("attachment-link")).toHaveCount(1);

  await page.goto("/tickets");
  await expect(page.getByTestId("ticket-row").filter({ hasText: title })).toBeVisible();

  const staff = await staffPage(browser);
  const staffReply = await trpcPost(staff.request, "console.reply", { ticketId, body: "您好, 问题已收到。", attachmentIds: [] });
  expect(staffReply.ok()).toBe(true);

  await page.reload();
  const row = page.getByTestId("ticket-row").filter({ hasText: title });
  await expect(row.getByTestId("unread-marker")).toBeVisible();
  await row.getByRole("link").click();
  await expect(status(page)).toHaveText("已回复");
  await expect(page.getByTestId("message").filter({ hasText: "您好, 问题已收到。" })).toContainText("超级管理员");

  await page.locator('[data-testid="reply-form"] textarea').fill("好的，谢谢");
  await page.getByTestId("send-reply").click();
  await expect(status(page)).toHaveText("待回复");

  const staffClose = await trpcPost(staff.request, "console.close", { ticketId });
  expect(staffClose.ok()).toBe(true);
  await page.reload();
  await expect(status(page)).toHaveText("已完成");
  await expect(page.getByTestId("message").last()).toContainText(/您的工单于.*被客服关闭/);
  await expect(page.getByTestId("reply-form")).toHaveCount(0);

  await page.getByTestId("star-5").click();
  await page.getByTestId("submit-rating").click();
  await expect(page.getByTestId("info-rating")).toContainText("★");
  const reply = await trpcPost(page.request, "portal.reply", { ticketId, body: "再问一句", attachmentIds: [] });
  expect(reply.status()).toBe(412);
  await staff.context().close();
});
