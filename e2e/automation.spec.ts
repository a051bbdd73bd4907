import { expect, test } from "@playwright/test";
import { fileTicketAsMember, loginAsMember, STAFF_STATE } from "./helpers";

// 自动化规则 in the console: the super admin writes a rule; a matching filing lands in the rule's
// category, handed to its staff, with a staff-only line the member never sees.
test.use({ storageState: STAFF_STATE });

const KEYWORD = "自动化退款E2E";

test("a rule set in the console files a matching ticket in its category and hands it to its staff; the member sees only the ticket", async ({ page, browser }) => {
  await page.goto("/admin/automation");
  await expect(page.getByTestId("automation-title")).toHaveText("自动化规则");
  await page.getByTestId("automation-add").click();
  const form = page.getByTestId("automation-form");
  await form.getByTestId("automation-name").fill("退款转财务");
  await form.getByTestId("automation-save").click();
  // A rule that does nothing is refused with a sentence, and nothing is saved.
  await expect(form.getByTestId("form-error")).toHaveText("规则至少要做一件事：移动分类、分配客服或通知群机器人");
  await form.getByTestId("automation-keywords").fill(KEYWORD);
  await form.getByTestId("automation-move").selectOption({ label: "财务与发票" });
  await form.getByTestId("automation-staff").getByLabel("客服小王").check();
  await form.getByTestId("automation-save").click();
  const row = page.getByTestId("automation-rule").filter({ hasText: "退款转财务" });
  await expect(row).toContainText("提交工单时");
  await expect(row).toContainText(`标题或内容含 ${KEYWORD}`);
  await expect(row).toContainText("移动到 财务与发票；轮流分配给 客服小王");

  // As 李四 (1100002): 1100001's ten filings per ten minutes belong to the other specs.
  const member = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const portal = await member.newPage();
  await loginAsMember(portal, "1100002");
  const ticketId = await fileTicketAsMember(browser, { title: "申请退款", body: `请帮我办理${KEYWORD}`, categoryName: "使用咨询", as: member });
  await page.goto(`/admin/tickets/${ticketId}`);
  await expect(page.getByTestId("info-category")).toHaveText("财务与发票");
  await expect(page.getByTestId("info-assignee")).toContainText("客服小王");
  await expect(page.getByText(/被自动化规则\[退款转财务\]从\[使用咨询\]移动到\[财务与发票\]/)).toBeVisible();

  await portal.goto(`/tickets/${ticketId}`);
  await expect(portal.getByText(`请帮我办理${KEYWORD}`)).toBeVisible();
  await expect(portal.getByText(/自动化规则/)).toHaveCount(0);
  await member.close();

  // Clean-up: later specs' tickets are not touched by this rule.
  await page.goto("/admin/automation");
  await page.getByTestId("automation-rule").filter({ hasText: "退款转财务" }).getByRole("button").click();
  await page.getByTestId("automation-delete").click();
  await expect(page.getByText("尚无自动化规则")).toBeVisible();
});
