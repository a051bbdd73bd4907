import type { DbOrTx } from "../client.ts";

// Signatures of accepted protocol writes (see UsedSignature in schema.prisma).

/**
 * Records `signature`; false when it was recorded before (a replay). Raw SQL: every signed request
 * comes through here, and Prisma compiles a `createMany` anew on every call (it caches no plan
 * for it), which cost more than the insert.
 */
export async function recordSignatureOnce(db: DbOrTx, signature: string, now: Date): Promise<boolean> {
  const inserted = await db.$executeRaw`
    INSERT INTO "UsedSignature" ("signature", "seenAt") VALUES (${signature}, ${now}::timestamptz) ON CONFLICT DO NOTHING`;
  return inserted === 1;
}

/** Drops signatures seen before `before`; returns how many. */
export async function deleteSignaturesSeenBefore(db: DbOrTx, before: Date): Promise<number> {
  const { count } = await db.usedSignature.deleteMany({ where: { seenAt: { lt: before } } });
  return count;
}
