import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser } from "@playwright/test";
import { MEMBER_STATE, STAFF_STATE } from "./helpers";

// An axe-core scan (WCAG 2 A/AA + best practices) of every page, for both roles and both
// languages: no serious or critical violation. The demo's ticket 1 belongs to member 1100001.

const PORT = Number(process.env.E2E_PORT ?? 3210);
const PAGES = {
  anonymous: ["/login", "/register", "/admin/login"],
  member: ["/tickets", "/tickets/new", "/tickets/1", "/profile"],
  staff: [
    "/admin",
    "/admin/tickets",
    "/admin/tickets/1",
    "/admin/categories",
    "/admin/categories/groups",
    "/admin/canned-replies",
    "/admin/staff",
    "/admin/upstreams",
    "/admin/partners",
    "/admin/deliveries",
    "/admin/notification-channels",
    "/admin/notifications",
  ],
} as const;
const STATE = { anonymous: undefined, member: MEMBER_STATE, staff: STAFF_STATE } as const;

async function scan(browser: Browser, role: keyof typeof PAGES, locale: "zh-CN" | "en") {
  const context = await browser.newContext({ storageState: STATE[role] ?? { cookies: [], origins: [] }, locale });
  await context.addCookies([{ name: "locale", value: locale, url: `http://localhost:${PORT}` }]);
  const page = await context.newPage();
  const found: string[] = [];
  for (const path of PAGES[role]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle").catch(() => {});
    const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
    for (const v of violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
      found.push(`${locale} ${path}: ${v.id} (${v.impact}) ×${v.nodes.length}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
    }
  }
  await context.close();
  return found;
}

for (const role of ["anonymous", "member", "staff"] as const) {
  for (const locale of ["zh-CN", "en"] as const) {
    test(`axe: no serious or critical violation on the ${role} pages (${locale})`, async ({ browser }) => {
      test.setTimeout(120_000);
      expect(await scan(browser, role, locale)).toEqual([]);
    });
  }
}
