import { z } from "zod";
import { ZId } from "../schemas.ts";

/** 排序: ascending, a whole number ≥ 0 (the manual's required field). */
export const ZSortOrder = z
  .number({ error: "categories.errors.sortOrderInvalid" })
  .int("categories.errors.sortOrderInvalid")
  .min(0, "categories.errors.sortOrderInvalid")
  .max(1_000_000, "categories.errors.sortOrderInvalid");

/**
 * A required number that a form may send as null when left empty: the user then reads the field's
 * own message (e.g. 请选择所属分组) instead of a type error.
 */
export function requiredNumber(schema: z.ZodNumber, message: string) {
  return z.union([schema, z.null()]).pipe(z.number({ error: message }));
}

/** A full ordering: every id exactly once, first = top. */
export const ZIdList = z.array(ZId).min(1).max(1000, "errors.tooManyItems");

/** Prisma's foreign-key violation: a row gained a reference between our check and our delete. */
export function isForeignKeyViolation(e: unknown): boolean {
  return (e as { code?: string } | null)?.code === "P2003";
}

/** Prisma's "record to update/delete does not exist". */
export function isRecordNotFound(e: unknown): boolean {
  return (e as { code?: string } | null)?.code === "P2025";
}

/** Whether `ordered` names exactly the rows in `current` (no stale, missing or repeated id). */
export function sameIds(current: readonly number[], ordered: readonly number[]): boolean {
  return current.length === ordered.length && new Set(ordered).size === ordered.length && ordered.every((id) => current.includes(id));
}
