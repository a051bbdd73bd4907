import { deflateSync, crc32 } from "node:zlib";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { loginAsMember, STAFF_STATE } from "./helpers";

test.use({ storageState: STAFF_STATE });

/** A real 112×56 PNG (the manual's suggested icon size), one colour, made here. */
function makePng(width = 112, height = 56): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, Buffer.from([0x1f, 0x63, 0xd8]))]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", pixels), chunk("IEND", Buffer.alloc(0))]);
}

/** The member's picker through tRPC (superjson input `{"json":null}`). */
async function pickerNames(request: APIRequestContext): Promise<string[]> {
  const input = encodeURIComponent(JSON.stringify({ json: null }));
  const res = await request.get(`/api/trpc/categories.listForNewTicket?input=${input}`);
  expect(res.ok()).toBe(true);
  const body = (await res.json()) as { result: { data: { json: { groups: { categories: { name: string }[] }[] } } } };
  return body.result.data.json.groups.flatMap((g) => g.categories.map((c) => c.name));
}

test("staff manage groups and categories (R10); a disabled category leaves the member's picker", async ({ page, browser }) => {
  const suffix = Date.now().toString(36);
  const group = `E2E分组${suffix}`;
  const name = `域名问题${suffix}`;

  // 所属分组: create a group.
  await page.goto("/admin/categories/groups");
  const groupForm = page.getByTestId("group-create-form");
  await groupForm.locator('input[name="name"]').fill(group);
  await groupForm.getByRole("button", { name: "添加分组" }).click();
  await expect(page.getByTestId("group-row").filter({ hasText: group })).toBeVisible();

  // 添加分类: type 其他工单, 提交到API 是, with an icon.
  await page.goto("/admin/categories/new");
  await expect(page.getByText("温馨提醒：请按照对应要求添加工单分类。")).toBeVisible();
  const form = page.getByTestId("category-form");
  await form.locator('input[name="name"]').fill(name);
  await form.locator('textarea[name="description"]').fill("域名解析、过户、实名认证等问题");
  await form.locator('select[name="groupId"]').selectOption({ label: group });
  await form.locator('select[name="type"]').selectOption("OTHER");
  await form.getByTestId("submit-to-api-yes").check();
  await form.getByTestId("icon-input").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: makePng() });
  await expect(form.getByTestId("icon-preview")).toBeVisible();
  await form.locator('input[name="sortOrder"]').fill("20");
  await form.getByTestId("category-submit").click();

  await expect(page).toHaveURL(/\/admin\/categories$/);
  const row = page.getByTestId("category-row").filter({ hasText: name });
  await expect(row.getByTestId("category-name")).toHaveText(`${name} [API]`);
  await expect(row).toContainText("其他工单");
  await expect(row.locator("img")).toHaveJSProperty("naturalWidth", 112); // the icon is served back

  // R10: the demo already has a 业务技术工单 category (业务资源问题); a second one is refused.
  await page.goto("/admin/categories/new");
  await form.locator('input[name="name"]').fill(`第二个业务技术${suffix}`);
  await form.locator('textarea[name="description"]').fill("不应保存");
  await form.locator('select[name="groupId"]').selectOption({ label: group });
  await form.locator('select[name="type"]').selectOption("BUSINESS_TECH");
  await form.getByTestId("category-submit").click();
  await expect(page.getByTestId("form-error")).toContainText("业务技术工单和商务工单分别只能存在一个分类");
  await expect(page).toHaveURL(/\/admin\/categories\/new$/);

  // A member sees the new category while it is enabled …
  const memberContext = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const member = await memberContext.newPage();
  await loginAsMember(member);
  expect(await pickerNames(member.request)).toContain(name);

  // … staff disable it …
  await page.goto("/admin/categories");
  page.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: "禁用" }).click();
  await expect(row.getByTestId("category-status")).toHaveText("禁用");

  // … and it is gone from the member's picker, the demo's categories still there.
  const names = await pickerNames(member.request);
  expect(names).not.toContain(name);
  expect(names).toContain("业务资源问题");

  // Page-based check of the same: /tickets/new is built in parallel by the portal feature and is
  // verified after merge; until that page exists (404) only the tRPC assertion above applies.
  const newTicket = await member.goto("/tickets/new");
  if (newTicket?.status() === 404) {
    test.info().annotations.push({ type: "pending", description: "/tickets/new not built yet: picker checked through tRPC only" });
  } else {
    await expect(member.getByTestId("category-option").filter({ hasText: "业务资源问题" })).not.toHaveCount(0);
    await expect(member.getByTestId("category-option").filter({ hasText: name })).toHaveCount(0);
  }
  await memberContext.close();
});

test("a group with categories cannot be deleted, only disabled", async ({ page }) => {
  await page.goto("/admin/categories/groups");
  const row = page.getByTestId("group-row").filter({ hasText: "技术支持" });
  page.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: "删除" }).click();
  await expect(page.getByTestId("form-error")).toContainText("不能删除；可以将其禁用");
  await expect(row).toBeVisible();
});

test("uploads refuse what is not an allowed image, with a translated JSON error", async ({ page }) => {
  const res = await page.request.post("/api/uploads?purpose=icon", {
    multipart: { file: { name: "logo.svg", mimeType: "image/png", buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') } },
  });
  expect(res.status()).toBe(400);
  expect(await res.json()).toEqual({ error: { code: "VALIDATION", message: "ICON图标只支持 PNG、JPEG、WebP 格式" } });
  const big = await page.request.post("/api/uploads?purpose=icon", {
    multipart: { file: { name: "big.png", mimeType: "image/png", buffer: Buffer.concat([makePng(), Buffer.alloc(600 * 1024)]) } },
  });
  expect(big.status()).toBe(413);
});

test("an attachment uploads and downloads with its stored type and UTF-8 name", async ({ page }) => {
  const up = await page.request.post("/api/uploads?purpose=attachment", {
    multipart: { file: { name: "发票 2026.pdf", mimeType: "application/octet-stream", buffer: Buffer.from("%PDF-1.4\n%%EOF\n") } },
  });
  expect(up.status()).toBe(201);
  const file = (await up.json()) as { id: number; fileName: string; mimeType: string; size: number };
  expect(file).toMatchObject({ fileName: "发票 2026.pdf", mimeType: "application/pdf" });
  const res = await page.request.get(`/api/files/attachments/${file.id}`);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("application/pdf");
  expect(res.headers()["x-content-type-options"]).toBe("nosniff");
  expect(res.headers()["content-disposition"]).toContain("attachment;");
  expect(res.headers()["content-disposition"]).toContain("filename*=UTF-8''%E5%8F%91%E7%A5%A8%202026.pdf");
  expect((await page.request.get("/api/files/attachments/999999")).status()).toBe(404);
});
