import { expect, test } from "@playwright/test";
import { STAFF_STATE } from "./helpers";
import { startConfiguredPeer } from "./upstream-helpers";
import type { UpstreamPeer } from "../src/test/upstream-peer.ts";

test.use({ storageState: STAFF_STATE });

let peer: UpstreamPeer | undefined;
test.afterAll(async () => {
  await peer?.stop();
});

test("the super admin configures an upstream, tests the connection, and never sees the secret again", async ({ page }) => {
  peer = await startConfiguredPeer(page, "阿帕云测试");
  const row = page.locator('[data-testid^="upstream-"]', { has: page.getByTestId("upstream-name").getByText("阿帕云测试", { exact: true }) });
  await expect(row.getByTestId("upstream-callback-url")).toHaveText(/\/api\/upstream\/v1\/callbacks\/\d+$/);
  await expect(page.locator("body")).not.toContainText(peer.secret);

  await row.getByTestId("upstream-test").click();
  await expect(row.getByTestId("upstream-test-result")).toHaveText("连接成功");
  // The periodic sync may call the peer too (limit=100): look for the test's own signed probe.
  expect(peer.log).toContainEqual(expect.objectContaining({ method: "GET", path: "/api/upstream/v1/tickets?limit=1", status: 200 }));

  // Editing shows an empty secret field; a wrong secret makes the test fail with the reason.
  await row.getByTestId("upstream-edit").click();
  const form = page.getByTestId("upstream-form");
  await expect(form.locator('input[name="secret"]')).toHaveValue("");
  await form.locator('input[name="secret"]').fill("wrong-secret-0000");
  await page.getByTestId("upstream-save").click();
  await row.getByTestId("upstream-test").click();
  await expect(row.getByTestId("upstream-test-result")).toHaveText("连接失败：GET /api/upstream/v1/tickets: HTTP 401 invalid_signature");

  await page.goto("/admin/deliveries");
  await expect(page.getByTestId("deliveries-pending")).toHaveText(/^\d+$/);
  await expect(page.getByText("阿帕云测试").first()).toBeVisible();
});

test("a bad address is refused with a sentence next to the field", async ({ page }) => {
  await page.goto("/admin/upstreams");
  await page.getByTestId("upstream-add").click();
  const form = page.getByTestId("upstream-form");
  await form.locator('input[name="name"]').fill("坏地址");
  await form.locator('input[name="baseUrl"]').fill("ftp://example");
  await form.locator('input[name="partnerId"]').fill("p1");
  await form.locator('input[name="keyId"]').fill("k1");
  await form.locator('input[name="secret"]').fill("12345678");
  await page.getByTestId("upstream-save").click();
  await expect(form.getByText("请输入 http:// 或 https:// 开头的地址")).toBeVisible();
});

test("共享策略: the super admin tries a block rule and a brand on sample text, then saves the policy", async ({ page }) => {
  await page.goto("/admin/upstreams");
  const row = page.locator('[data-testid^="upstream-"]', { has: page.getByTestId("upstream-name").getByText("阿帕云测试", { exact: true }) });
  await row.getByTestId("upstream-sharing").click();
  const form = page.getByTestId("sharing-form");
  await expect(form.getByTestId("sharing-shareMemberId")).not.toBeChecked(); // private by default
  await form.getByTestId("sharing-brand-terms").fill("云帆互联");
  const block = form.getByTestId("sharing-block");
  await block.getByRole("button", { name: "添加规则" }).click();
  await block.getByLabel("名称").fill("退款");
  await block.getByLabel("内容").fill("退款");
  await block.getByLabel("不能转移的原因").fill("退款问题由财务处理");
  await form.getByTestId("sharing-sample").fill("云帆互联客户 13812345678 申请退款");
  await form.getByTestId("sharing-try").click();
  const result = form.getByTestId("sharing-try-result");
  await expect(result).toContainText("[已隐藏品牌]客户 [已隐藏手机号] 申请退款");
  await expect(result).toContainText("命中屏蔽规则「退款」：退款问题由财务处理");
  await page.screenshot({ path: "test-results/sharing-policy.png", fullPage: true });
  await form.getByTestId("sharing-save").click();
  await expect(form).toHaveCount(0);
  await row.getByTestId("upstream-sharing").click();
  await expect(page.getByTestId("sharing-block").getByLabel("原因", { exact: false })).toHaveValue("退款问题由财务处理");
});
