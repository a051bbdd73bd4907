import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { loginAsStaff } from "./helpers";

/** A signed-in super admin on one instance: a page for the console and tRPC over HTTP. */
export type StaffClient = { context: BrowserContext; page: Page; url: string };

export async function staffClient(browser: Browser, url: string): Promise<StaffClient> {
  const context = await browser.newContext({ baseURL: url, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const page = await context.newPage();
  page.on("dialog", (d) => void d.accept()); // confirm() of console actions
  await loginAsStaff(page);
  return { context, page, url };
}

type TrpcEnvelope<T> = { result?: { data?: { json?: T } }; error?: { json?: { message?: string } } };

/** Calls a procedure the way the console's tRPC client does (superjson, no batching). */
export async function trpc<T>(client: StaffClient, procedure: string, input?: unknown, kind: "query" | "mutation" = "mutation"): Promise<T> {
  const res =
    kind === "mutation"
      ? await client.page.request.post(`/api/trpc/${procedure}`, { data: { json: input ?? null } })
      : await client.page.request.get(`/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input ?? null }))}`);
  const body = (await res.json()) as TrpcEnvelope<T>;
  expect(res.ok(), `${procedure}: ${body.error?.json?.message ?? res.status()}`).toBe(true);
  return body.result!.data!.json as T;
}
