import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { fileTicketAsMember, STAFF_STATE } from "./helpers";

/**
 * Service levels end to end on the built server: policies made on the console page, deadlines on
 * the ticket page and the queue, the worker's sweep, and the reports page with its CSV.
 */
const MIN = 60_000;

type Envelope<T> = { result?: { data?: { json?: T } }; error?: { json?: { message?: string } } };

test.describe.serial("SLA: deadlines on a business calendar, 即将超时 / 已超时, reports", () => {
  test.use({ storageState: STAFF_STATE });

  let oneMinuteTicket = 0;
  let filedAt = 0;

  test("a ticket filed in the evening before a holiday is due on the first working morning after it", async ({ page, browser }) => {
    const call = async <T,>(procedure: string, input: unknown): Promise<T> => {
      const res = await page.request.post(`/api/trpc/${procedure}`, { data: { json: input } });
      const body = (await res.json()) as Envelope<T>;
      expect(res.ok(), body.error?.json?.message).toBe(true);
      return body.result!.data!.json as T;
    };
    // A fixed-offset zone where it is now between 19:00 and 20:00 (an evening after work).
    const now = new Date();
    let offset = 19 - now.getUTCHours();
    if (offset > 14) offset -= 24;
    const zone = offset === 0 ? "Etc/GMT" : `Etc/GMT${offset > 0 ? "-" : "+"}${Math.abs(offset)}`; // POSIX sign
    const local = (ms: number) => new Date(ms + offset * 3600_000).toISOString().slice(0, 10);
    const today = local(now.getTime());
    const tomorrow = local(now.getTime() + 24 * 3600_000);
    const afterTomorrow = local(now.getTime() + 48 * 3600_000);
    const office = [{ start: 540, end: 720 }, { start: 810, end: 1080 }]; // 09:00–12:00, 13:30–18:00
    const { id: calendarId } = await call<{ id: number }>("sla.saveCalendar", { name: `节前 ${Date.now()}`, timeZone: zone, weekly: Array.from({ length: 7 }, () => office) });
    await call("sla.setDay", { calendarId, date: tomorrow, working: false, note: "节假日" });

    const options = await page.request.get(`/api/trpc/console.options?input=${encodeURIComponent(JSON.stringify({ json: null }))}`);
    const groups = ((await options.json()) as Envelope<{ groups: { categories: { id: number; name: string }[] }[] }>).result!.data!.json!.groups;
    const finance = groups.flatMap((g) => g.categories).find((c) => c.name === "财务与发票")!;
    await call("sla.savePolicy", { name: `节前策略 ${Date.now()}`, calendarId, categoryId: finance.id, firstResponseMinutes: 60, nextResponseMinutes: null, resolutionMinutes: null });

    const id = await fileTicketAsMember(browser, { title: "节前最后一张工单", body: "放假前提交，请节后处理", categoryName: "财务与发票" });
    await page.goto(`/admin/tickets/${id}`);
    // Due at 10:00 local on the day after the holiday, shown in the viewer's zone (Asia/Shanghai).
    const dueUtc = Date.parse(`${afterTomorrow}T10:00:00Z`) - offset * 3600_000;
    const shown = new Date(dueUtc + 8 * 3600_000).toISOString().replace("T", " ").slice(0, 19);
    await expect(page.getByTestId("sla-firstResponse").getByTestId("sla-due")).toHaveText(`截止 ${shown}`);
    expect(today).not.toBe(tomorrow);
  });

  test("the super admin sets a 1-minute first response on the SLA page", async ({ page }) => {
    await page.goto("/admin/sla");
    await expect(page.getByTestId("sla-title")).toHaveText("SLA 与工作日历");
    await page.getByTestId("sla-policy-add").click();
    const form = page.getByTestId("sla-policy-form");
    await form.getByTestId("sla-policy-name").fill("一分钟响应");
    await form.getByTestId("sla-policy-category").selectOption({ label: "使用咨询" });
    await form.getByTestId("sla-policy-calendar").selectOption({ label: "7×24" });
    await form.getByTestId("sla-policy-first").fill("1");
    await form.getByTestId("sla-policy-save").click();
    await expect(page.getByTestId("sla-policy-row").filter({ hasText: "一分钟响应" })).toContainText("使用咨询");
  });

  test("with a 1-minute policy the ticket turns 即将超时, then 已超时 in the queue", async ({ page, browser }) => {
    test.setTimeout(150_000); // it waits out the minute
    oneMinuteTicket = await fileTicketAsMember(browser, { title: "一分钟 SLA 工单", body: "请在一分钟内响应", categoryName: "使用咨询" });
    filedAt = Date.now();
    const row = () => page.locator(`[data-testid="queue-row"][data-ticket-id="${oneMinuteTicket}"]`);

    await page.goto("/admin/tickets?status=PENDING");
    await expect(row().getByTestId("sla-badge")).toHaveAttribute("data-sla", "OK");

    // 80 % of a minute: 48 s.
    await page.waitForTimeout(Math.max(0, filedAt + 50_000 - Date.now()));
    await page.goto("/admin/tickets?status=PENDING&sla=WARNING");
    await expect(row().getByTestId("sla-badge")).toHaveAttribute("data-sla", "WARNING");
    await expect(row()).toContainText("即将超时");

    await page.waitForTimeout(Math.max(0, filedAt + MIN + 2_000 - Date.now()));
    await page.goto("/admin/tickets?status=PENDING&sla=BREACHED");
    await expect(row().getByTestId("sla-badge")).toHaveAttribute("data-sla", "BREACHED");
    await expect(row()).toContainText("已超时");

    // The worker's sweep wrote the audit lines (one each), which the ticket page shows.
    await page.goto(`/admin/tickets/${oneMinuteTicket}`);
    await expect(page.getByTestId("audit-event").filter({ hasText: "SLA 已超时" })).toHaveCount(1, { timeout: 15_000 });
    await expect(page.getByTestId("audit-event").filter({ hasText: "SLA 即将超时" })).toHaveCount(1);
  });

  test("the reports page shows the ticket in its charts and table, and the CSV downloads", async ({ page }) => {
    await page.goto("/admin/reports");
    await expect(page.getByTestId("reports-title")).toHaveText("报表");
    await page.getByTestId("report-dimension").selectOption("category");
    await page.getByTestId("report-run").click();
    const line = page.getByTestId("report-row").filter({ hasText: "使用咨询" });
    await expect(line).toBeVisible();
    await expect(page.getByTestId("report-chart-volume")).toHaveAttribute("data-points", /使用咨询/);
    await expect(page.getByTestId("report-chart-volume").locator("canvas")).toBeVisible();

    const download = page.waitForEvent("download");
    await page.getByTestId("report-csv").click();
    const file = await (await download).path();
    const csv = fs.readFileSync(file, "utf8");
    expect(csv.startsWith("\uFEFF名称,工单数")).toBe(true);
    expect(csv).toMatch(/\r\n使用咨询,\d+,/);
    expect(csv).toContain("合计,");
  });
});
