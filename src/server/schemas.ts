import { z } from "zod";

/**
 * The input primitives every door uses (tRPC procedures, upload and protocol handlers), so what
 * PostgreSQL cannot store is refused once, at the schema, with a sentence in the user's language
 * — never by the database as a 500. Messages name keys in src/messages/<locale>/errors.json.
 */

/** PostgreSQL `integer`: every id and version column. */
export const INT32_MAX = 2_147_483_647;

/** A row id (工单编号, 会员ID, …): a positive whole number that fits the column. */
export const ZId = z
  .number({ error: "errors.idInvalid" })
  .int("errors.idInvalid")
  .positive("errors.idInvalid")
  .max(INT32_MAX, "errors.idInvalid");

/** The compare-and-set version a page showed. */
export const ZVersion = z
  .number({ error: "errors.versionInvalid" })
  .int("errors.versionInvalid")
  .min(0, "errors.versionInvalid")
  .max(INT32_MAX, "errors.versionInvalid");

/** A list of ids; `max` bounds the work one request can ask for. */
export const zIdList = (max: number, tooMany = "errors.tooManyItems") => z.array(ZId).max(max, tooMany);

/** A page size. */
export const zPageSize = (max: number, fallback: number) =>
  z.number({ error: "errors.pageSizeInvalid" }).int("errors.pageSizeInvalid").min(1, "errors.pageSizeInvalid").max(max, "errors.pageSizeInvalid").default(fallback);

/** A whole number in [min, max] (minutes, days, percentages): the bounds keep it in its column. */
export const zWholeNumber = (min: number, max: number, message = "errors.numberOutOfRange") =>
  z.number({ error: message }).int(message).min(min, message).max(max, message);

/** A calendar day, YYYY-MM-DD. */
export const ZCalendarDate = z
  .string({ error: "errors.dateInvalid" })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "errors.dateInvalid")
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), "errors.dateInvalid");

// U+0000 is refused by PostgreSQL text and jsonb; an unpaired surrogate cannot be encoded in
// UTF-8 (the driver silently turns it into U+FFFD, so two different texts would be stored alike).
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/** Any string that reaches the database (or a hash: passwords too, for the surrogate reason). */
export const ZStorableString = z.string({ error: "errors.textInvalid" }).refine(isStorableText, "errors.textUnstorable");

type TextOptions = {
  /** Longest accepted value (after trimming), in UTF-16 units as the column counts them. */
  max: number;
  /** Message when longer than max. */
  tooLong?: string;
  /** At least this long after trimming (default 0: may be empty). */
  min?: number;
  /** Message when shorter than min. */
  required?: string;
  /** Trim surrounding white space first (default true). */
  trim?: boolean;
};

/** Free text: storable, trimmed, bounded. */
export function zText({ max, tooLong = "errors.textTooLong", min = 0, required = "errors.required", trim = true }: TextOptions) {
  // The length is checked before trimming too, so a megabyte of spaces is refused without work.
  const base = z.string({ error: "errors.textInvalid" }).max(max * 2 + 64, tooLong).refine(isStorableText, "errors.textUnstorable");
  const trimmed = trim ? base.trim() : base;
  return (min > 0 ? trimmed.min(min, required) : trimmed).max(max, tooLong);
}

/** An opaque keyset cursor (base64url of the last row's sort key). */
export const ZCursor = z
  .string({ error: "errors.badCursor" })
  .max(100, "errors.badCursor")
  .regex(/^[A-Za-z0-9_-]*$/, "errors.badCursor");

/**
 * Where a live stream resumes: the id of the last event the browser received (tRPC sends it back
 * as `lastEventId` on a reconnect). Absent on a first connection.
 */
export const ZLiveResume = z.object({
  lastEventId: z
    .string({ error: "errors.badCursor" })
    .regex(/^\d{1,10}$/, "errors.badCursor")
    .transform(Number)
    .refine((n) => n <= INT32_MAX, "errors.badCursor")
    .nullish(),
});
