import { expect, test } from "@playwright/test";
import { fileTicketAsMember, loginAsMember, MEMBER_STATE, STAFF_STATE } from "./helpers";

// The web doors as an attacker would try them from outside, against the real server.

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);

test.describe("as the member", () => {
  test.use({ storageState: MEMBER_STATE });

  test("pages carry a nonce-based CSP and a Permissions-Policy, and still run their scripts (no CSP violation)", async ({ page }) => {
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to (execute|load)/i.test(m.text())) violations.push(m.text());
    });
    const response = await page.goto("/tickets");
    const csp = response?.headers()["content-security-policy"] ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response?.headers()["permissions-policy"]).toContain("camera=()");
    // A script-driven action works: the new-ticket form (client component) opens and validates.
    await page.getByRole("link", { name: "提交工单" }).first().click();
    await expect(page).toHaveURL(/\/tickets\/new/);
    await page.reload();
    const nonce = /'nonce-([^']+)'/.exec((await page.request.get("/tickets")).headers()["content-security-policy"] ?? "")?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9+/_=-]{16,}$/); // at least 96 bits, base64
    expect(violations).toEqual([]);
  });

  test("tRPC answers with personal data are not cacheable: Cache-Control private, no-store", async ({ page }) => {
    const res = await page.request.get(`/api/trpc/account.profile?input=${encodeURIComponent(JSON.stringify({ json: null }))}`);
    expect(res.status()).toBe(200);
    expect(res.headers()["cache-control"]).toBe("private, no-store");
  });

  test("the session is the cookie alone: its token sent as a Bearer header, with no cookie, signs nobody in", async ({ page, playwright, baseURL }) => {
    const input = `input=${encodeURIComponent(JSON.stringify({ json: null }))}`;
    expect((await page.request.get(`/api/trpc/account.profile?${input}`)).status()).toBe(200);
    const token = (await page.context().cookies()).find((c) => c.name.endsWith("next-auth.session-token"))?.value;
    expect(token).toBeTruthy();
    const bare = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    try {
      expect((await bare.get(`/api/trpc/account.profile?${input}`)).status()).toBe(401);
      const res = await bare.get(`/api/trpc/account.profile?${input}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status()).toBe(401);
    } finally {
      await bare.dispose();
    }
  });

  test("an upload from another site with the member's cookie is refused (Origin check); from our own page it is stored", async ({ page, baseURL }) => {
    await page.goto("/tickets");
    const file = { name: "shot.png", mimeType: "image/png", buffer: PNG };
    const evil = await page.request.post("/api/uploads?purpose=attachment", { multipart: { file }, headers: { origin: "http://localhost:9999" } });
    expect(evil.status()).toBe(403);
    expect((await evil.json()).error.message).toBe("拒绝来自其他网站的请求");
    const sameSite = await page.request.post("/api/uploads?purpose=attachment", { multipart: { file }, headers: { "sec-fetch-site": "same-site" } });
    expect(sameSite.status()).toBe(403);
    const own = await page.request.post("/api/uploads?purpose=attachment", { multipart: { file }, headers: { origin: baseURL! } });
    expect(own.status()).toBe(201);
  });

  test("the member portal does not ship the admin console's texts; the console does", async ({ page, browser }) => {
    const portal = await (await page.request.get("/tickets")).text();
    for (const consoleOnly of ["加载更早的消息", "插入预设回复…"]) expect(portal).not.toContain(consoleOnly);
    const staff = await browser.newContext({ storageState: STAFF_STATE });
    try {
      const consolePage = await (await staff.request.get("/admin/tickets")).text();
      expect(consolePage).toContain("加载更早的消息");
    } finally {
      await staff.close();
    }
  });
});

test("rotating X-Forwarded-For does not escape the sign-in throttle (the server trusts no client header)", async ({ browser }) => {
  const results: string[] = [];
  for (let i = 0; i < 7; i++) {
    const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": `203.0.113.${i + 1}` } });
    const page = await context.newPage();
    await page.goto("/login");
    const form = page.getByTestId("member-login-form");
    await form.locator('input[name="login"]').fill("nobody-xff@example.cn");
    await form.locator('input[name="password"]').fill(`guess-${i}`);
    await form.getByRole("button").click();
    await expect(page.getByTestId("form-error")).toBeVisible();
    results.push((await page.getByTestId("form-error").textContent()) ?? "");
    await context.close();
  }
  expect(results.slice(0, 5).every((r) => r === "账号或密码错误")).toBe(true);
  expect(results.at(-1)).not.toBe("账号或密码错误");
});

test("signing out ends the session everywhere: a copied session cookie no longer opens the portal", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await loginAsMember(page, "1100002");
  const copied = await context.storageState();
  const thief = await browser.newContext({ storageState: copied });
  await thief.newPage().then((p) => p.goto("/tickets"));
  expect(thief.pages()[0]!.url()).toMatch(/\/tickets$/);

  await page.getByTestId("sign-out").click();
  await expect(page).toHaveURL(/\/login/);
  const again = await thief.newPage();
  await again.goto("/tickets");
  await expect(again).toHaveURL(/\/login$/);
  await thief.close();
  await context.close();
});

test.describe("as staff", () => {
  test.use({ storageState: STAFF_STATE });

  test("a long conversation opens with its newest page; 加载更早的消息 brings the older ones", async ({ page, browser }) => {
    const ticketId = await fileTicketAsMember(browser, { title: "很长的对话", body: "第一条消息", categoryName: "使用咨询" });
    for (let i = 1; i <= 55; i++) {
      const res = await page.request.post("/api/trpc/console.note", { data: { json: { ticketId, body: `备注 ${i}`, attachmentIds: [] } } });
      expect(res.ok()).toBe(true);
    }
    await page.goto(`/admin/tickets/${ticketId}`);
    const messages = page.getByTestId("conversation").getByTestId("message");
    await expect(messages).toHaveCount(50);
    await expect(messages.last()).toContainText("备注 55");
    await expect(page.getByText("第一条消息")).toHaveCount(0);
    await page.getByTestId("load-older").click();
    await expect(messages).toHaveCount(56);
    await expect(messages.first()).toContainText("第一条消息");
    await expect(page.getByTestId("load-older")).toHaveCount(0);
  });
});
