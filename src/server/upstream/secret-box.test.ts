import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret } from "./secret-box";

const KEY = "k".repeat(40);

describe("secret box (AES-256-GCM, HKDF from AUTH_SECRET)", () => {
  it("round-trips, with a fresh IV each time so equal secrets do not look equal", () => {
    const a = encryptSecret(KEY, "demo-secret-123");
    const b = encryptSecret(KEY, "demo-secret-123");
    expect(a).not.toBe(b);
    expect(a).not.toContain("demo-secret-123");
    expect(decryptSecret(KEY, a)).toBe("demo-secret-123");
    expect(decryptSecret(KEY, b)).toBe("demo-secret-123");
  });

  it("refuses another instance's key and a tampered value", () => {
    const sealed = encryptSecret(KEY, "s3cret");
    expect(() => decryptSecret("other".repeat(10), sealed)).toThrow();
    const parts = sealed.split(".");
    const flipped = Buffer.from(parts[3]!, "base64url");
    flipped[0] = flipped[0]! ^ 1;
    expect(() => decryptSecret(KEY, [parts[0], parts[1], parts[2], flipped.toString("base64url")].join("."))).toThrow();
    expect(() => decryptSecret(KEY, "plain-text")).toThrow();
  });
});
