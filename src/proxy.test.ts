import { afterEach, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { proxy } from "./proxy";

const original = process.env.PUBLIC_URL;
afterEach(() => {
  process.env.PUBLIC_URL = original;
});

describe("the proxy in front of every request", () => {
  it("a page gets a fresh nonce in its CSP (and in the request, where Next reads it), Permissions-Policy, and HSTS over https", () => {
    process.env.PUBLIC_URL = "https://desk.example.cn";
    const a = proxy(new NextRequest("https://desk.example.cn/tickets"));
    const b = proxy(new NextRequest("https://desk.example.cn/tickets"));
    const nonce = /'nonce-([^']+)'/.exec(a.headers.get("content-security-policy") ?? "")?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9+/_=-]{16,}$/); // at least 96 bits, base64
    expect(b.headers.get("content-security-policy")).not.toContain(nonce!);
    expect(a.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
    expect(a.headers.get("permissions-policy")).toContain("camera=()");
    expect(a.headers.get("strict-transport-security")).toContain("max-age=");
  });

  it("a cross-site upload with the member's cookie is refused with 403 in the member's language", async () => {
    process.env.PUBLIC_URL = "http://localhost:3000";
    const res = proxy(
      new NextRequest("http://localhost:3000/api/uploads?purpose=attachment", {
        method: "POST",
        headers: { origin: "http://localhost:8080", host: "localhost:3000", cookie: "locale=en; next-auth.session-token=x" },
      }),
    );
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { code: "FORBIDDEN", message: "Requests from other sites are refused" } });
    const same = proxy(new NextRequest("http://localhost:3000/api/uploads", { method: "POST", headers: { origin: "http://localhost:3000", host: "localhost:3000" } }));
    expect(same.status).toBe(200);
    expect(same.headers.get("strict-transport-security")).toBeNull();
  });
});
