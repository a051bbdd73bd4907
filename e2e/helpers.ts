import { expect, type BrowserContext, type Page } from "@playwright/test";

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

/**
 * Files a fresh ticket as member 1100001 (or the signed-in member of `as`) through the portal's own
 * API, so a spec never depends on what another spec did to the demo tickets. A member may file 10
 * tickets in 10 minutes: specs beyond the first few file as 李四 (1100002).
 */
export async function fileTicketAsMember(
  browser: import("@playwright/test").Browser,
  opts: { title: string; body: string; categoryName: string; businessId?: string; as?: import("@playwright/test").BrowserContext },
): Promise<number> {
  const context = opts.as ?? (await browser.newContext({ storageState: MEMBER_STATE, baseURL: `http://localhost:${process.env.E2E_PORT ?? 3210}` }));
  try {
    const picker = await context.request.get(`/api/trpc/categories.listForNewTicket?input=${encodeURIComponent(JSON.stringify({ json: null }))}`);
    const groups = (await picker.json()).result.data.json.groups as { categories: { id: number; name: string }[] }[];
    const category = groups.flatMap((g) => g.categories).find((c) => c.name === opts.categoryName);
    if (!category) throw new Error(`no open category named ${opts.categoryName}`);
    const res = await context.request.post("/api/trpc/portal.create", {
      data: { json: { categoryId: category.id, title: opts.title, body: opts.body, businessId: opts.businessId ?? "", attachmentIds: [] } },
    });
    if (!res.ok()) throw new Error(`portal.create answered ${res.status()}: ${await res.text()}`);
    return (await res.json()).result.data.json.ticketId as number;
  } finally {
    if (!opts.as) await context.close();
  }
}

/** A context on another process's address (specs that start their own instances), signed in as `as`. */
export async function signedIn(browser: import("@playwright/test").Browser, base: string, as: "staff" | "member"): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: base, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const page = await context.newPage();
  if (as === "staff") await loginAsStaff(page);
  else await loginAsMember(page);
  await page.close();
  return context;
}

/** A tRPC mutation through the context's cookies; anything but 2xx throws with the answer. */
export async function call<T>(context: BrowserContext, procedure: string, input: unknown): Promise<T> {
  const res = await context.request.post(`/api/trpc/${procedure}`, { data: { json: input } });
  if (!res.ok()) throw new Error(`${procedure} answered ${res.status()}: ${await res.text()}`);
  return (await res.json()).result.data.json as T;
}
