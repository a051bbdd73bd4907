import { describe, expect, it } from "vitest";
import { parseTrustProxy, resolveClientAddress } from "./client-address.mjs";

describe("client address: forwarded headers are believed only behind configured proxies (TRUST_PROXY)", () => {
  it("without TRUST_PROXY a client's X-Forwarded-For is ignored: rotating it does not change the address", () => {
    for (const forwardedFor of ["1.2.3.4", "5.6.7.8, 9.9.9.9", undefined]) {
      expect(resolveClientAddress({ socketAddress: "203.0.113.9", forwardedFor, trustProxy: 0 })).toBe("203.0.113.9");
    }
  });

  it("behind one proxy the address it appended is the client; what the client wrote before it is not believed", () => {
    // The client sent "X-Forwarded-For: 1.1.1.1"; the proxy (10.0.0.2) appended the real 198.51.100.4.
    expect(resolveClientAddress({ socketAddress: "10.0.0.2", forwardedFor: "1.1.1.1, 198.51.100.4", trustProxy: 1 })).toBe("198.51.100.4");
    expect(resolveClientAddress({ socketAddress: "10.0.0.2", forwardedFor: "198.51.100.4", trustProxy: 1 })).toBe("198.51.100.4");
  });

  it("behind two proxies the second entry from the right is the client; a short chain falls back to its first entry", () => {
    expect(resolveClientAddress({ socketAddress: "10.0.0.3", forwardedFor: "6.6.6.6, 198.51.100.5, 10.0.0.2", trustProxy: 2 })).toBe("198.51.100.5");
    expect(resolveClientAddress({ socketAddress: "10.0.0.3", forwardedFor: undefined, trustProxy: 2 })).toBe("10.0.0.3");
  });

  it("IPv4-mapped IPv6 peers read as IPv4; TRUST_PROXY must be a small number", () => {
    expect(resolveClientAddress({ socketAddress: "::ffff:127.0.0.1", forwardedFor: undefined, trustProxy: 0 })).toBe("127.0.0.1");
    expect(parseTrustProxy(undefined)).toBe(0);
    expect(parseTrustProxy("1")).toBe(1);
    expect(() => parseTrustProxy("yes")).toThrow(/TRUST_PROXY/);
  });
});
