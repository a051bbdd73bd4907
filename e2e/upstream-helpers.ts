import { expect, type Page } from "@playwright/test";
import { UpstreamPeer } from "../src/test/upstream-peer.ts";

/**
 * Starts a protocol test peer inside the Playwright process and configures it as an upstream
 * through the admin UI (上级资源), as a super admin would. Returns the peer with its callback URL
 * set to what the page shows, so the peer's callbacks reach the running app over real HTTP.
 */
export async function startConfiguredPeer(page: Page, name: string, opts: { isDefault?: boolean } = {}): Promise<UpstreamPeer> {
  const peer = new UpstreamPeer({ partnerId: `p-${Date.now()}`, keyId: "key-1", secret: "e2e-peer-secret-123456" });
  await peer.start();
  await page.goto("/admin/upstreams");
  await page.getByTestId("upstream-add").click();
  const form = page.getByTestId("upstream-form");
  await form.locator('input[name="name"]').fill(name);
  await form.locator('input[name="baseUrl"]').fill(peer.baseUrl);
  await form.locator('input[name="partnerId"]').fill(peer.partnerId);
  await form.locator('input[name="keyId"]').fill(peer.keyId);
  await form.locator('input[name="secret"]').fill(peer.secret);
  if (opts.isDefault) await form.locator('input[name="isDefault"]').check();
  await page.getByTestId("upstream-save").click();
  const row = page.locator('[data-testid^="upstream-"]', { has: page.getByTestId("upstream-name").getByText(name, { exact: true }) });
  await expect(row.getByTestId("upstream-callback-url")).toBeVisible();
  peer.callbackUrl = (await row.getByTestId("upstream-callback-url").textContent())!.trim();
  return peer;
}
