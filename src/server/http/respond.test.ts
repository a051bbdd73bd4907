import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { contentDisposition, errorResponse, requestLocale } from "./respond";

describe("HTTP responses", () => {
  it("Content-Disposition carries the UTF-8 name (RFC 5987) and a safe ASCII fallback", () => {
    expect(contentDisposition("attachment", "发票 (1).pdf")).toBe(
      `attachment; filename="__ (1).pdf"; filename*=UTF-8''%E5%8F%91%E7%A5%A8%20%281%29.pdf`,
    );
    expect(contentDisposition("inline", 'a"b\r\n.png')).toBe(`inline; filename="a_b__.png"; filename*=UTF-8''a%22b%0D%0A.png`);
  });

  it("errors are JSON { error: { code, message } } in the cookie's language", async () => {
    const zh = errorResponse(new AppError("NOT_FOUND", "errors.notFound.attachment"), "zh-CN", "test");
    expect(zh.status).toBe(404);
    expect(await zh.json()).toEqual({ error: { code: "NOT_FOUND", message: "附件不存在" } });
    const req = new Request("http://x/", { headers: { cookie: "tz=Asia%2FShanghai; locale=en" } });
    expect(requestLocale(req)).toBe("en");
    expect(requestLocale(new Request("http://x/"))).toBe("zh-CN");
    const internal = errorResponse(new Error("secret detail"), "zh-CN", "test");
    expect(internal.status).toBe(500);
    expect(JSON.stringify(await internal.json())).not.toContain("secret");
  });
});
