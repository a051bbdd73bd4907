import { expect, test } from "@playwright/test";
import { MEMBER_STATE, STAFF_STATE } from "./helpers";

/** Search in the console queue and in 我的工单, on the demo data: ranked, highlighted, R7-scoped. */

test.describe("console search", () => {
  test.use({ storageState: STAFF_STATE });

  test("staff find a business ID whole, a word inside a conversation with its snippet, and a staff-only note marked as such", async ({ page }) => {
    await page.goto("/admin/tickets?status=all");
    const box = page.getByTestId("queue-search");
    await box.fill("VPS-10086");
    await box.press("Enter");
    const row = page.getByTestId("queue-row").filter({ hasText: "服务器无法远程连接" }).first();
    await expect(row).toBeVisible();
    await expect(row.getByTestId("search-hit")).toHaveText("VPS-10086");

    await box.fill("连接超时");
    await box.press("Enter");
    const hit = page.getByTestId("queue-row").filter({ hasText: "服务器无法远程连接" }).first();
    await expect(hit.getByTestId("search-snippet")).toContainText("SSH 连接超时");
    await expect(hit.getByTestId("search-hit")).toHaveText("连接超时");

    await box.fill("专员");
    await box.press("Enter");
    const noted = page.getByTestId("queue-row").filter({ hasText: "备案需要什么？" });
    await expect(noted.getByTestId("search-snippet")).toContainText("内部备注");
    await expect(page.getByTestId("queue-row")).toHaveCount(1);
  });
});

test.describe("member search", () => {
  test.use({ storageState: MEMBER_STATE });

  test("a member finds their ticket by a word of the public conversation, never by a staff-only note's word", async ({ page }) => {
    await page.goto("/tickets");
    const form = page.getByTestId("ticket-filter");
    await form.locator('input[name="q"]').fill("营业执照");
    await form.getByRole("button").click();
    const row = page.getByTestId("ticket-row").filter({ hasText: "备案需要什么？" });
    await expect(row.getByTestId("search-snippet")).toContainText("营业执照");
    await expect(row.getByTestId("search-hit")).toHaveText("营业执照");

    await page.goto(`/tickets?q=${encodeURIComponent("专员")}`);
    await expect(page.getByTestId("ticket-row")).toHaveCount(0);
    await expect(page.locator("body")).not.toContainText("转上级备案专员");
  });
});
