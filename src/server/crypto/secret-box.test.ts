import { describe, expect, it } from "vitest";
import { createSecretBox, generateSecret } from "./secret-box";

const box = createSecretBox("an-instance-secret-of-sufficient-length");

describe("secret box (AES-256-GCM, HKDF key)", () => {
  it("round-trips and never stores the plaintext", () => {
    const secret = generateSecret();
    const sealed = box.seal(secret);
    expect(sealed).not.toContain(secret);
    expect(sealed.startsWith("v1.")).toBe(true);
    expect(box.open(sealed)).toBe(secret);
  });

  it("uses a fresh IV each time", () => {
    expect(box.seal("same")).not.toBe(box.seal("same"));
  });

  it("refuses tampered values and values sealed under another instance secret", () => {
    const sealed = box.seal("s3cret");
    const parts = sealed.split(".");
    const flipped = Buffer.from(parts[3]!, "base64url");
    flipped[0] = flipped[0]! ^ 1;
    expect(() => box.open([parts[0], parts[1], parts[2], flipped.toString("base64url")].join("."))).toThrow();
    expect(() => createSecretBox("another-instance-secret-xxxxxxxx").open(sealed)).toThrow();
    expect(() => box.open("plain-text")).toThrow("not a sealed value");
  });

  it("generates 256-bit URL-safe secrets", () => {
    const s = generateSecret();
    expect(s).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateSecret()).not.toBe(s);
  });
});
