import { expect, type Page } from "@playwright/test";

export const STAFF_STATE = "e2e/.auth/staff.json";
export const MEMBER_STATE = "e2e/.auth/member.json";

export async function loginAsMember(page: Page, login = "1100001", password = "member123456") {
  await page.goto("/login");
  await page.getByTestId("member-login-form").locator('input[name="login"]').fill(login);
  await page.getByTestId("member-login-form").locator('input[name="password"]').fill(password);
  await page.getByTestId("member-login-form").getByRole("button").click();
  await expect(page.getByTestId("viewer-name")).toContainText(login === "1100001" ? "1100001" : "");
}

export async function loginAsStaff(page: Page, login = "admin", password = "admin123456") {
  await page.goto("/admin/login");
  await page.getByTestId("staff-login-form").locator('input[name="login"]').fill(login);
  await page.getByTestId("staff-login-form").locator('input[name="password"]').fill(password);
  await page.getByTestId("staff-login-form").getByRole("button").click();
  await expect(page.getByTestId("console-nav")).toBeVisible();
}
