import { expect, test, type Page } from "@playwright/test";
import { STAFF_STATE } from "./helpers";

// The queue's filters form one compact toolbar: one row on a wide screen, wrapping (not stacking
// one control per line) on a narrow one.
test.use({ storageState: STAFF_STATE });

async function rows(page: Page) {
  // Controls of one line differ in height (a label around a date field, a button): a line is a
  // run of vertical centres less than 20 px apart.
  const centres = await page.getByTestId("queue-toolbar").evaluate((form) =>
    Array.from(form.children).map((c) => {
      const r = (c as HTMLElement).getBoundingClientRect();
      return r.top + r.height / 2;
    }),
  );
  const sorted = [...centres].sort((a, b) => a - b);
  const lines = sorted.filter((y, i) => i === 0 || y - sorted[i - 1]! > 20).length;
  return { controls: centres.length, rows: lines };
}

test("the queue's filters sit in one row on a wide screen and wrap into a few rows on a narrow one", async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 900 });
  await page.goto("/admin/tickets");
  const wide = await rows(page);
  expect(wide.controls).toBeGreaterThanOrEqual(10);
  expect(wide.rows).toBe(1);

  await page.setViewportSize({ width: 900, height: 900 });
  const narrow = await rows(page);
  expect(narrow.rows).toBeGreaterThan(1);
  expect(narrow.rows).toBeLessThanOrEqual(Math.ceil(narrow.controls / 2)); // wrapped, not one per line
});
