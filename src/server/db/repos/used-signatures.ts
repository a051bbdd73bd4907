import type { DbOrTx } from "../client.ts";

// Signatures of accepted protocol writes (see UsedSignature in schema.prisma).

/** Records `signature`; false when it was recorded before (a replay). Prunes what can no longer match. */
export async function recordSignatureOnce(db: DbOrTx, signature: string, now: Date, forgetBefore: Date): Promise<boolean> {
  await db.usedSignature.deleteMany({ where: { seenAt: { lt: forgetBefore } } });
  const { count } = await db.usedSignature.createMany({ data: [{ signature, seenAt: now }], skipDuplicates: true });
  return count === 1;
}
