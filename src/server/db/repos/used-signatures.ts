import type { DbOrTx } from "../client.ts";

// Signatures of accepted protocol writes (see UsedSignature in schema.prisma).

/** Records `signature`; false when it was recorded before (a replay). */
export async function recordSignatureOnce(db: DbOrTx, signature: string, now: Date): Promise<boolean> {
  const { count } = await db.usedSignature.createMany({ data: [{ signature, seenAt: now }], skipDuplicates: true });
  return count === 1;
}

/** Drops signatures seen before `before`; returns how many. */
export async function deleteSignaturesSeenBefore(db: DbOrTx, before: Date): Promise<number> {
  const { count } = await db.usedSignature.deleteMany({ where: { seenAt: { lt: before } } });
  return count;
}
