import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LocalDiskBlobStore } from "./local-disk-store";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "relaydesk-blobs-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("local disk blob store", () => {
  const store = new LocalDiskBlobStore(root);

  it("stores by sha256, once, and reads the same bytes back", async () => {
    const bytes = new TextEncoder().encode("工单附件");
    const key = await store.put(bytes);
    expect(key).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(await store.put(bytes)).toBe(key);
    expect(fs.readdirSync(path.join(root, key.slice(0, 2)))).toEqual([key]);
    expect(await store.get(key)).toEqual(bytes);
    expect(await store.exists(key)).toBe(true);
  });

  it("answers null for unknown or malformed keys (never a path outside the store)", async () => {
    expect(await store.get("0".repeat(64))).toBeNull();
    expect(await store.get("../../etc/passwd")).toBeNull();
    expect(await store.exists("../x")).toBe(false);
  });
});
