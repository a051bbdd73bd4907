import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, isCrossSiteWrite, strictTransportSecurity } from "./web-security";

const req = (method: string, url: string, headers: Record<string, string> = {}) => ({ method, url, headers: new Headers(headers) });

describe("Origin check on cookie-authenticated writes (CSRF)", () => {
  it("an upload from another site — even a same-site page on another port or subdomain — is refused", () => {
    expect(isCrossSiteWrite(req("POST", "http://desk.example.cn/api/uploads?purpose=attachment", { origin: "http://evil.example.cn", host: "desk.example.cn" }), undefined)).toBe(true);
    expect(isCrossSiteWrite(req("POST", "http://localhost:3000/api/uploads", { origin: "http://localhost:4000", host: "localhost:3000" }), undefined)).toBe(true);
    expect(isCrossSiteWrite(req("POST", "http://localhost:3000/api/auth/signout", { "sec-fetch-site": "same-site" }), undefined)).toBe(true);
  });

  it("our own pages, the public address behind a proxy, and non-browser clients pass", () => {
    expect(isCrossSiteWrite(req("POST", "http://localhost:3000/api/uploads", { origin: "http://localhost:3000", host: "localhost:3000" }), undefined)).toBe(false);
    expect(isCrossSiteWrite(req("POST", "http://10.0.0.5:3000/api/uploads", { origin: "https://desk.example.cn", host: "10.0.0.5:3000" }), "https://desk.example.cn")).toBe(false);
    expect(isCrossSiteWrite(req("POST", "http://localhost:3000/api/uploads", { "sec-fetch-site": "same-origin" }), undefined)).toBe(false);
    expect(isCrossSiteWrite(req("POST", "http://localhost:3000/api/uploads"), undefined)).toBe(false);
  });

  it("reads and the signed upstream protocol (no cookies, server to server) are not checked", () => {
    expect(isCrossSiteWrite(req("GET", "http://localhost:3000/api/files/attachments/1", { origin: "http://evil.cn" }), undefined)).toBe(false);
    expect(isCrossSiteWrite(req("POST", "http://localhost:3000/api/upstream/v1/tickets", { origin: "http://partner.cn" }), undefined)).toBe(false);
  });
});

describe("security headers", () => {
  it("the CSP allows scripts only from us or with the request's nonce; no framing, no plugins", () => {
    const csp = contentSecurityPolicy("abc123", { https: false, dev: false });
    expect(csp).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("upgrade-insecure-requests");
    expect(contentSecurityPolicy("n", { https: true, dev: false })).toContain("upgrade-insecure-requests");
  });

  it("HSTS is sent when the instance is served over https, never on plain http", () => {
    expect(strictTransportSecurity("https://desk.example.cn")).toBe("max-age=31536000; includeSubDomains");
    expect(strictTransportSecurity("http://localhost:3000")).toBeNull();
    expect(strictTransportSecurity(undefined)).toBeNull();
  });
});
