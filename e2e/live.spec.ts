import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { loginAsMember, loginAsStaff, STAFF_STATE } from "./helpers";
import { startConfiguredPeer } from "./upstream-helpers";
import type { UpstreamPeer } from "../src/test/upstream-peer.ts";

// The live console with three people at once: staff A (超级管理员), staff B (客服小王) and the
// member, each in their own browser context. Nothing here reloads a page after it opened: every
// change must arrive over the live stream. The member is 李四 (1100002), so the replies here do
// not land in 张三's bell, which other specs count.

let peer: UpstreamPeer | undefined;
test.afterAll(async () => {
  await peer?.stop();
});

async function staffB(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await loginAsStaff(page, "kefu", "kefu123456");
  return page;
}

/** Files a ticket through the member's own browser session (the portal's API, as its form does). */
async function fileTicket(context: BrowserContext, categoryName: string, title: string, body: string): Promise<number> {
  const picker = await context.request.get(`/api/trpc/categories.listForNewTicket?input=${encodeURIComponent(JSON.stringify({ json: null }))}`);
  const groups = (await picker.json()).result.data.json.groups as { categories: { id: number; name: string }[] }[];
  const category = groups.flatMap((g) => g.categories).find((c) => c.name === categoryName)!;
  const res = await context.request.post("/api/trpc/portal.create", { data: { json: { categoryId: category.id, title, body, attachmentIds: [] } } });
  expect(res.ok()).toBe(true);
  return (await res.json()).result.data.json.ticketId as number;
}

const live = (page: Page) => expect(page.getByTestId("live-status")).toHaveAttribute("data-live", "on");
const pendingCount = async (page: Page) => Number((await page.getByTestId("count-PENDING").textContent())?.replace(/\D/g, ""));
const message = (page: Page, text: string) => page.getByTestId("message-body").filter({ hasText: text });

test("two staff and a member: a new ticket, presence, typing, a reply, the stale-reply guard and an upstream reply all arrive without reload", async ({ browser }) => {
  test.setTimeout(180_000);
  const aContext = await browser.newContext({ storageState: STAFF_STATE });
  const a = await aContext.newPage();
  const b = await staffB(browser);
  const memberContext = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const member = await memberContext.newPage();
  await loginAsMember(member, "1100002");
  peer = await startConfiguredPeer(a, "实时云", { isDefault: true });

  // Both staff watch 待处理.
  await a.goto("/admin/tickets");
  await b.goto("/admin/tickets");
  await Promise.all([live(a), live(b)]);
  await expect(a.getByTestId("count-PENDING")).toBeVisible();
  const before = [await pendingCount(a), await pendingCount(b)];

  // The member files a ticket: it appears in both queues and 待处理 counts it.
  const ticket = await fileTicket(memberContext, "备案类问题", "实时：备案进度查询", "提交三天了还没有进展。");
  const row = (page: Page) => page.locator(`[data-testid="queue-row"][data-ticket-id="${ticket}"]`);
  await expect(row(a)).toBeVisible();
  await expect(row(b)).toBeVisible();
  await expect.poll(() => pendingCount(a)).toBe(before[0]! + 1);
  await expect.poll(() => pendingCount(b)).toBe(before[1]! + 1);

  // A opens it: B sees A on the row, then on the ticket page.
  await a.goto(`/admin/tickets/${ticket}`);
  await live(a);
  await expect(row(b).getByTestId("queue-presence")).toContainText("超级管理员");
  await b.goto(`/admin/tickets/${ticket}`);
  await live(b);
  const aOnB = b.getByTestId("presence-person").filter({ hasText: "超级管理员" });
  await expect(aOnB).toBeVisible();
  await expect(a.getByTestId("presence-person").filter({ hasText: "客服小王" })).toBeVisible();

  // A starts typing: B sees 正在输入.
  await a.getByTestId("reply-body").fill("A：请检查一下防火墙设置。");
  await expect(aOnB).toHaveAttribute("data-typing", "true");
  await expect(aOnB).toContainText("正在输入");

  // The member is on the ticket too, with 我的工单 open in another tab.
  await member.goto(`/tickets/${ticket}`);
  await live(member);
  const myTickets = await memberContext.newPage();
  await myTickets.goto("/tickets");
  await live(myTickets);
  const myRow = myTickets.locator(`[data-testid="ticket-row"][data-ticket-id="${ticket}"]`);
  await expect(myRow.getByTestId("unread-marker")).toHaveCount(0);

  // B replies: A's page and the member's page show it; A's draft is untouched.
  await b.getByTestId("reply-body").fill("B：已为您重启服务，请再试。");
  await b.getByTestId("reply-submit").click();
  await expect(message(a, "B：已为您重启服务")).toBeVisible();
  await expect(message(member, "B：已为您重启服务")).toBeVisible();
  await expect(a.getByTestId("reply-body")).toHaveValue("A：请检查一下防火墙设置。");
  // 我的工单 shows the new status without reload (no unread marker: the ticket is open, so read).
  await expect(myRow).toContainText("已回复");

  // A's reply was written before B's: it is held, with B's message shown; "send anyway" sends it.
  await a.getByTestId("reply-submit").click();
  const held = a.getByTestId("held-reply");
  await expect(held).toBeVisible();
  await expect(held.getByTestId("held-new-message")).toContainText("B：已为您重启服务");
  await expect(message(b, "A：请检查一下防火墙")).toHaveCount(0);
  await a.getByTestId("send-anyway").click();
  await expect(held).toHaveCount(0);
  await expect(message(b, "A：请检查一下防火墙")).toBeVisible();
  await expect(message(member, "A：请检查一下防火墙")).toBeVisible();

  // The upstream (a protocol test peer) answers: both staff pages and the member's show it.
  const accept = a.getByTestId("action-accept");
  if (await accept.isVisible()) await accept.click();
  await a.getByTestId("action-escalate").click();
  await a.getByTestId("escalate-confirm").click();
  await expect.poll(() => peer!.ticketByExternalId(String(ticket))?.guid ?? "", { timeout: 20_000 }).not.toBe("");
  const guid = peer.ticketByExternalId(String(ticket))!.guid;
  await expect(a.getByText(`[GUID: ${guid}]`).first()).toBeVisible({ timeout: 20_000 });
  await expect(b.getByText(`[GUID: ${guid}]`).first()).toBeVisible({ timeout: 20_000 });
  peer.agentReply(guid, "云技术客服：宿主机网络已恢复。");
  for (const status of await peer.flushCallbacks()) expect(status).toBe(200);
  await expect(message(a, "云技术客服：宿主机网络已恢复")).toBeVisible();
  await expect(message(b, "云技术客服：宿主机网络已恢复")).toBeVisible();
  await expect(message(member, "云技术客服：宿主机网络已恢复")).toBeVisible();

  // A staff-only note never reaches the member's page.
  await b.getByTestId("reply-body").fill("内部：客户是老用户，优先处理。");
  await b.getByTestId("note-submit").click();
  await expect(message(a, "内部：客户是老用户")).toBeVisible();
  await member.waitForTimeout(1_000);
  await expect(member.getByText("内部：客户是老用户")).toHaveCount(0);

  // With the ticket's tab closed, a new reply puts the unread marker on 我的工单's row.
  await member.close();
  await b.getByTestId("reply-body").fill("B：再补充一句，请留意邮件。");
  await b.getByTestId("reply-submit").click();
  await expect(myRow.getByTestId("unread-marker")).toBeVisible();

  // B leaves: A's presence bar empties without a reload.
  await b.goto("/admin/tickets");
  await expect(a.getByTestId("presence-person").filter({ hasText: "客服小王" })).toHaveCount(0);

  await Promise.all([aContext.close(), b.context().close(), memberContext.close()]);
});
