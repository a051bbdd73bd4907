import { expect, test } from "@playwright/test";
import { loginAsMember, loginAsStaff, STAFF_STATE } from "./helpers";

const TIME = /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/;
const NOTE = "内部备注：客户是老用户，优先处理";
const REPLY = "您好，已为您重启实例，请再试一次。";

test.describe.serial("console: the ticket queue and the ticket page", () => {
  test.use({ storageState: STAFF_STATE });
  let ticketPath = "";

  test("staff finds the pending ticket under 待处理, accepts, notes, replies, moves and closes it", async ({ page }) => {
    await page.goto("/admin/tickets");
    await expect(page.getByTestId("tab-PENDING")).toHaveAttribute("aria-selected", "true");
    await expect(page.getByTestId("count-PENDING")).toHaveText(/^\d+$/);
    const row = page.getByTestId("queue-row").filter({ hasText: "服务器无法远程连接" });
    await row.getByRole("link", { name: "服务器无法远程连接" }).click();
    await expect(page).toHaveURL(/\/admin\/tickets\/\d+$/);
    ticketPath = new URL(page.url()).pathname;

    await expect(page.getByTestId("info-title")).toHaveText("服务器无法远程连接");
    await expect(page.getByTestId("info-category")).toHaveText("业务资源问题 [API]");
    await expect(page.getByTestId("info-assignee")).toHaveText("-");
    await expect(page.getByTestId("info-respondedAt")).toHaveText("-");

    // 接单 → 已接单, 接单客服 and 响应时间 appear.
    await page.getByTestId("action-accept").click();
    await expect(page.getByTestId("accepted-label")).toHaveText("已接单");
    await expect(page.getByTestId("action-accept")).toHaveCount(0);
    await expect(page.getByTestId("info-assignee")).toHaveText("超级管理员");
    await expect(page.getByTestId("info-respondedAt")).toHaveText(TIME);
    await expect(page.getByTestId("action-escalate")).toBeVisible();

    await page.getByTestId("reply-body").fill(NOTE);
    await page.getByTestId("note-submit").click();
    const note = page.getByTestId("message").filter({ hasText: NOTE });
    await expect(note.getByTestId("staff-only")).toHaveText("仅平台客服可见");
    await expect(note.getByTestId("message-author")).toHaveText("超级管理员(ID: 1)");

    await page.getByTestId("reply-body").fill(REPLY);
    await page.getByTestId("reply-submit").click();
    const reply = page.getByTestId("message").filter({ hasText: REPLY });
    await expect(reply).toHaveAttribute("data-staff-only", "false");
    await expect(page.getByTestId("reply-body")).toHaveValue("");

    await page.getByTestId("action-move").click();
    await page.getByTestId("move-form").locator('select[name="categoryId"]').selectOption({ label: "备案类问题 [API]" });
    await page.getByTestId("move-submit").click();
    await expect(page.getByTestId("info-category")).toHaveText("备案类问题 [API]");

    // 关闭工单 asks first.
    await page.getByTestId("action-close").click();
    await expect(page.getByTestId("action-close-confirm")).toBeVisible();
    await page.getByTestId("action-close-yes").click();
    await expect(page.getByTestId("info-status")).toContainText("已完成");
    await expect(page.getByTestId("info-finishedAt")).toHaveText(TIME);
    await expect(page.getByTestId("not-transferable")).toHaveText("不可移交");
    for (const id of ["action-accept", "action-move", "action-escalate", "action-close", "reply-submit", "note-submit"]) {
      await expect(page.getByTestId(id)).toHaveCount(0);
    }
    const closing = page.getByTestId("message").last();
    await expect(closing.getByTestId("message-body")).toHaveText(/^您的工单于\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}被客服关闭$/);

    // 操作记录: who and when, for each action.
    await expect(page.getByTestId("audit-event")).toHaveCount(5);
    await expect(page.getByTestId("audit-event").first()).toContainText("接单");
    await expect(page.getByTestId("audit-event").first()).toContainText("超级管理员(ID: 1)");

    // The queue's 已完成 tab now lists it.
    await page.goto("/admin/tickets?status=COMPLETED");
    await expect(page.getByTestId("queue-row").filter({ hasText: "服务器无法远程连接" })).toBeVisible();
  });

  // R7 through the member's own page: the reply and the close message, never the note.
  test("the member sees the reply and the close message, never the internal note", async ({ browser }) => {
    expect(ticketPath).not.toBe("");
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    await loginAsMember(page);
    const response = await page.goto(ticketPath.replace("/admin", ""));
    expect(response?.status()).toBe(200);
    await expect(page.getByText(REPLY)).toBeVisible();
    await expect(page.getByText(/您的工单于\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}被客服关闭/)).toBeVisible();
    await expect(page.getByText(NOTE)).toHaveCount(0);
    await expect(page.getByText("仅平台客服可见")).toHaveCount(0);
    await context.close();
  });

  test("the super admin creates a staff member; disabling them ends their session at once", async ({ page, browser }) => {
    await page.goto("/admin/staff");
    const form = page.getByTestId("staff-form");
    await form.locator('input[name="loginName"]').fill("e2e_kefu");
    await form.locator('input[name="displayName"]').fill("客服小李");
    await form.locator('input[name="password"]').fill("kefu-e2e-123");
    await form.getByRole("button").click();
    await expect(page.getByTestId("staff-e2e_kefu")).toContainText("客服小李");

    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const other = await context.newPage();
    await loginAsStaff(other, "e2e_kefu", "kefu-e2e-123");
    await expect(other.getByTestId("viewer-name")).toContainText("客服小李");

    await page.getByTestId("disable-e2e_kefu").click();
    await page.getByTestId("disable-e2e_kefu-yes").click();
    await expect(page.getByTestId("staff-e2e_kefu")).toContainText("禁用");
    await other.goto("/admin/tickets");
    await expect(other).toHaveURL(/\/admin\/login/);
    await context.close();
  });

  test("canned replies: staff save one and insert it into the reply box", async ({ page }) => {
    await page.goto("/admin/canned-replies");
    const form = page.getByTestId("canned-form");
    await form.locator('input[name="title"]').fill("问候");
    await form.locator('textarea[name="body"]').fill("您好，很高兴为您服务。");
    await form.getByRole("button", { name: "保存" }).click();
    await expect(page.getByTestId("canned-list")).toContainText("问候");

    await page.goto("/admin/tickets?status=all");
    await page.getByTestId("queue-row").filter({ hasText: "备案需要什么？" }).getByRole("link", { name: "备案需要什么？" }).click();
    await page.getByTestId("canned-picker").selectOption({ label: "问候" });
    await expect(page.getByTestId("reply-body")).toHaveValue("您好，很高兴为您服务。");
  });
});
