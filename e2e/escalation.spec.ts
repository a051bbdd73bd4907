import { expect, test, type Page } from "@playwright/test";
import { fileTicketAsMember, MEMBER_STATE, STAFF_STATE } from "./helpers";
import { startConfiguredPeer } from "./upstream-helpers";
import type { UpstreamPeer } from "../src/test/upstream-peer.ts";

// The whole story of DOMAIN.md R1–R8 in a browser, against the console's ticket page
// (/admin/tickets/<id>, built in parallel) and a protocol test peer running in this process.
// The member files a fresh 业务资源问题 ticket (an API category) about VPS-10086; that service has no
// recorded upstream, so it goes to the default upstream configured here.
let TICKET = 0;

test.use({ storageState: STAFF_STATE });

let peer: UpstreamPeer | undefined;
test.afterAll(async () => {
  await peer?.stop();
});

async function openTicket(page: Page) {
  await page.goto(`/admin/tickets/${TICKET}`);
}

/** The upstream's callbacks travel over real HTTP to the app; all must be accepted. */
async function flush(p: UpstreamPeer) {
  for (const status of await p.flushCallbacks()) expect(status).toBe(200);
}

test("accept → escalate (GUID) → upstream reply → return → escalate again → upstream closes (不可移交) → close; the member sees the close and never a staff-only line", async ({ page, browser }) => {
  test.setTimeout(120_000);
  // Until the console's ticket page is merged there is nothing to click; afterwards this runs in full.
  TICKET = await fileTicketAsMember(browser, { title: "服务器网络中断", body: "从今天早上开始无法连接。", categoryName: "业务资源问题", businessId: "VPS-10086" });
  peer = await startConfiguredPeer(page, "小鸟云", { isDefault: true });
  const p = peer;

  await openTicket(page);
  await page.getByTestId("action-accept").click();
  await page.getByTestId("action-escalate").click();
  await page.getByTestId("escalate-confirm").click(); // the dialog shows what the upstream receives
  // The click returns at once; the in-process worker delivers and the GUID replaces 转移中.
  // The peer's GUIDs are URL-safe ids (protocol §2): a real one, not just "something".
  await expect.poll(() => p.ticketByExternalId(String(TICKET))?.guid ?? "", { timeout: 20_000 }).toMatch(/^[A-Za-z0-9._~-]{8,100}$/);
  const guid = p.ticketByExternalId(String(TICKET))!.guid;
  await expect(async () => {
    await openTicket(page);
    await expect(page.getByText(`[GUID: ${guid}]`).first()).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByText(/被客服\[超级管理员\]转移到远程技术客服/).first()).toBeVisible();

  p.agentReply(guid, "已为您重启宿主机网络服务，请再试。");
  await flush(p);
  await openTicket(page);
  await expect(page.getByText("已为您重启宿主机网络服务，请再试。").first()).toBeVisible();
  await expect(page.getByText("云技术客服404907(ID: 404907)", { exact: true }).first()).toBeVisible();

  p.agentReturn(guid, "请客户确认后再提交");
  await flush(p);
  await openTicket(page);
  await expect(page.getByText(/被远程技术客服转移回合作商/).first()).toBeVisible();
  await page.getByTestId("action-escalate").click();
  await expect(page.getByTestId("escalate-dialog")).toContainText("上级已收到此前的消息");
  await page.getByTestId("escalate-confirm").click();
  // The command itself was taken (no conflict, no refusal): from here on it is the worker's delivery.
  await expect(page.getByTestId("escalate-dialog")).toBeHidden();
  await expect(page.getByTestId("conflict-banner").or(page.getByTestId("action-error"))).toHaveCount(0);
  await expect.poll(() => p.tickets.get(guid)?.state, { timeout: 20_000 }).toBe("OPEN");

  p.agentClose(guid, "该业务已到期释放");
  await flush(p);
  await openTicket(page);
  await expect(page.getByText("远程技术客服已关闭该工单，将不再接受该工单的转移请求。").first()).toBeVisible();
  await expect(page.getByText("不可移交").first()).toBeVisible();
  // R4: no way to escalate any more — the button is gone or disabled.
  const escalate = page.getByTestId("action-escalate");
  if ((await escalate.count()) > 0) await expect(escalate).toBeDisabled();

  await page.getByTestId("action-close").click();
  await page.getByTestId("action-close-yes").click(); // the console asks once, inline (确定 / 取消)
  await expect.poll(() => p.tickets.get(guid)?.state, { timeout: 20_000 }).toBe("FINISHED");
  await openTicket(page);
  await expect(page.getByText("不可移交").first()).toBeVisible();
  await expect(page.getByTestId("action-sync")).toBeVisible();

  const member = await browser.newContext({ storageState: MEMBER_STATE });
  const portal = await member.newPage();
  await portal.goto(`/tickets/${TICKET}`);
  await expect(portal.getByText(/您的工单于.*被客服关闭/).first()).toBeVisible();
  await expect(portal.getByText("已为您重启宿主机网络服务，请再试。").first()).toBeVisible();
  for (const staffOnly of [/转移到远程技术客服/, /远程技术客服已关闭该工单/, /转移回合作商/, /仅平台客服可见/]) {
    await expect(portal.getByText(staffOnly)).toHaveCount(0);
  }
  await member.close();
});
