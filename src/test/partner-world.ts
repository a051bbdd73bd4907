import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { asSuperAdmin } from "./callers";
import type { Credentials } from "./protocol";
import type { TestDatabase } from "./db";
import { createSecretBox } from "@/server/crypto/secret-box";
import { LocalDiskBlobStore } from "@/server/storage/local-disk-store";
import { createRateLimits } from "@/server/rate-limits";
import type { ProtocolEnv } from "@/server/partners/partner-door";

/**
 * The instance secret of the test process. Set before anything reads the config (it is read
 * lazily), so the tRPC procedures and the handlers under test seal and open with the same key.
 */
export const TEST_AUTH_SECRET = "test-instance-secret-0123456789abcdef";
process.env.AUTH_SECRET ??= TEST_AUTH_SECRET;

export function protocolEnv(t: TestDatabase, overrides: Partial<ProtocolEnv> = {}): ProtocolEnv {
  return {
    db: t.prisma,
    box: createSecretBox(process.env.AUTH_SECRET!),
    store: new LocalDiskBlobStore(fs.mkdtempSync(path.join(os.tmpdir(), "relaydesk-files-"))),
    limits: createRateLimits(t.prisma, { points: { partner: 10_000 } }),
    changeSettleMs: 0,
    ...overrides,
  };
}

export type TestPartner = Credentials & { id: number };

/** A partner created the way the super admin does it; the secret is the one shown once. */
export async function createPartner(
  t: TestDatabase,
  name: string,
  opts: { allowedTypes?: ("BUSINESS_TECH" | "ICP_FILING" | "TRADEMARK" | "OTHER")[]; callbackUrl?: string } = {},
): Promise<TestPartner> {
  const { partner, secret } = await asSuperAdmin(t.prisma).partners.create({
    name,
    callbackUrl: opts.callbackUrl ?? "http://127.0.0.1:9/callbacks",
    enabled: true,
    allowedTypes: opts.allowedTypes ?? ["BUSINESS_TECH", "ICP_FILING", "OTHER"],
  });
  return { id: partner.id, partnerId: partner.partnerId, keyId: partner.keyId, secret };
}

let seq = 0;
/** A create body as a Relaydesk downstream would send it. */
export function createBody(externalId = `T${Date.now()}${++seq}`, type = "BUSINESS_TECH") {
  return {
    externalId,
    type,
    title: "服务器无法远程连接",
    messages: [
      {
        externalMessageId: `${externalId}-1`,
        author: { role: "member", name: "客户" },
        body: "您好，服务器从今天下午起无法远程连接。",
        createdAt: "2025-11-28T15:58:00+08:00",
      },
    ],
    member: { id: "1100001", phone: "13800138000" },
    business: { id: "20001", ip: "203.0.113.10", type: "云服务器" },
  };
}

/** Just what partner tickets need (one category per type a test sends), without the demo's scrypt work. */
export async function seedPartnerCategories(t: TestDatabase) {
  const group = await t.prisma.categoryGroup.create({ data: { name: "上级工单" } });
  for (const [i, type] of (["BUSINESS_TECH", "ICP_FILING", "OTHER"] as const).entries()) {
    await t.prisma.category.create({ data: { name: `分类${i}`, description: "-", groupId: group.id, type, submitToApi: true, sortOrder: i } });
  }
}
