import { validation } from "../errors.ts";
import { INT32_MAX } from "../schemas.ts";

/**
 * The one cursor codec for keyset pages (the queue, 我的工单, a conversation): the last row's
 * sort key and id — and, in a search, the rank tier it stopped in — opaque to the client
 * (base64url) so the encoding may change. A cursor that does not decode to a real timestamp and
 * an id the column can hold is a 400, never a query.
 */
export type KeysetCursor = { key: Date; id: number; tier: number };

// ±8.64e15 ms is the range of a JavaScript Date; PostgreSQL's timestamptz holds all of it.
const MAX_TIME_MS = 8_640_000_000_000_000;

export function encodeKeysetCursor(c: Omit<KeysetCursor, "tier"> & { tier?: number }): string {
  return Buffer.from(`${c.key.getTime()}.${c.id}${c.tier ? `.${c.tier}` : ""}`).toString("base64url");
}

export function decodeKeysetCursor(s: string, messageKey = "errors.badCursor"): KeysetCursor {
  const m = /^(\d{1,16})\.(\d{1,10})(?:\.([0-9]))?$/.exec(Buffer.from(s, "base64url").toString());
  const ms = m ? Number(m[1]) : NaN;
  const id = m ? Number(m[2]) : NaN;
  if (!(ms <= MAX_TIME_MS) || !(id >= 1 && id <= INT32_MAX)) throw validation(messageKey);
  return { key: new Date(ms), id, tier: Number(m?.[3] ?? 0) };
}
