import { validation } from "../errors.ts";

/**
 * The one keyset cursor of every list: (sort key, id) of the last row shown, plus the search rank
 * it stopped in. Opaque to clients (base64url), so the encoding may change.
 */
export type ListCursor = { key: Date; id: number; tier: number };

export function encodeCursor(c: ListCursor): string {
  return Buffer.from(`${c.key.getTime()}.${c.id}.${c.tier}`).toString("base64url");
}

/** `messageKey`: the list's own "reload the list" text. */
export function decodeCursor(s: string, messageKey: string): ListCursor {
  const m = /^(\d{1,15})\.(\d{1,10})(?:\.([0-9]))?$/.exec(Buffer.from(s, "base64url").toString());
  if (!m) throw validation(messageKey);
  return { key: new Date(Number(m[1])), id: Number(m[2]), tier: Number(m[3] ?? 0) };
}
