// The protocol's text rule (docs/UPSTREAM_PROTOCOL.md §2): strip and keep. Text a database cannot
// store — U+0000, and UTF-16 surrogates without their pair (JSON's "\ud800") — is never a reason
// to refuse a message, because a refused callback is a lost reply: U+0000 is removed and a lone
// surrogate becomes U+FFFD, in every string (keys too) of every body a door or a client reads.

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function storableText(text: string): string {
  return text.replace(UNSTORABLE, (c) => (c === "\u0000" ? "" : "\uFFFD"));
}

/** JSON.parse with every string made storable; throws like JSON.parse on malformed text. */
export function storableJson(text: string): unknown {
  return storableValue(JSON.parse(text));
}

function storableValue(value: unknown): unknown {
  if (typeof value === "string") return storableText(value);
  if (Array.isArray(value)) return value.map(storableValue);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k), storableValue(v)]));
  }
  return value;
}
