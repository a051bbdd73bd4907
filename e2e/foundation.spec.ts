import { expect, test } from "@playwright/test";
import { loginAsMember, loginAsStaff } from "./helpers";

test("a member signs in to the portal and cannot open the console (403 notice, no crash)", async ({ page }) => {
  await loginAsMember(page);
  await expect(page).toHaveURL(/\/tickets$/);
  await expect(page.getByTestId("viewer-name")).toContainText("张三");
  const response = await page.goto("/admin");
  expect(response?.status()).toBeLessThan(500);
  await expect(page).toHaveURL(/\/admin\/login\?forbidden=1/);
  await expect(page.getByTestId("forbidden-notice")).toContainText("403");
  await expect(page.getByTestId("forbidden-notice")).toContainText("无权访问");
});

test("staff sign in to the console; a wrong password gets a clear message", async ({ page }) => {
  await page.goto("/admin/login");
  const form = page.getByTestId("staff-login-form");
  await form.locator('input[name="login"]').fill("admin");
  await form.locator('input[name="password"]').fill("wrong-password");
  await form.getByRole("button").click();
  await expect(page.getByTestId("form-error")).toHaveText("账号或密码错误");
  await loginAsStaff(page);
  await expect(page.getByTestId("viewer-name")).toHaveText("超级管理员(ID: 1)");
});

test("anonymous visitors are sent to the right login page", async ({ page }) => {
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/admin\/login$/);
  await page.goto("/tickets");
  await expect(page).toHaveURL(/\/login$/);
});

test("the language switch turns the portal into English", async ({ page }) => {
  await loginAsMember(page);
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("link", { name: "My tickets" }).first()).toBeVisible();
  await page.getByRole("button", { name: "中文" }).click();
  await expect(page.getByRole("link", { name: "我的工单" }).first()).toBeVisible();
});

test("the health endpoint answers 200 with the database's state, uncached, without signing in", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(res.headers()["cache-control"]).toContain("no-store");
  expect(await res.json()).toMatchObject({ ready: true, database: { ok: true } });
});
