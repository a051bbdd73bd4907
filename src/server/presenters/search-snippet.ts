/**
 * Marks where a search's units occur in a text, for the result list. Matching itself is the
 * database's (search_vector / search_query); this only finds the visible spans again, from the
 * units search_split() cut the query into. The result is plain text pieces with a hit flag,
 * rendered as React text: nothing of the ticket's text is ever interpreted as HTML.
 */

export type Highlight = { text: string; hit: boolean }[];

// What search_split() keeps inside a token (letters, digits, connectors), so a hit on 10.0.0.15
// is not reported inside 10.0.0.150.
const WORD = /[0-9a-z\u00df-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff]/;
const CONNECTOR = /[._@:-]/;
const CJK = /^[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/;

/** The text folded as the tokenizer folds it (NFKC, lower case), with each folded char's source index. */
function fold(text: string): { folded: string; from: number[] } {
  let folded = "";
  const from: number[] = [];
  let i = 0;
  for (const ch of text) {
    const f = ch.normalize("NFKC").toLowerCase();
    folded += f;
    for (let k = 0; k < f.length; k++) from.push(i);
    i += ch.length;
  }
  from.push(text.length);
  return { folded, from };
}

function isBoundary(s: string, at: number, step: 1 | -1, colonSplits: boolean): boolean {
  const c = s[at];
  if (c === undefined || !WORD.test(c)) {
    // A connector continues a token only when a word character follows it; ":" mostly splits
    // (IPv4:port, key:value) unless the unit itself holds one (IPv6, times).
    if (c !== undefined && CONNECTOR.test(c) && !(c === ":" && colonSplits)) {
      const next = s[at + step];
      return next === undefined || !WORD.test(next);
    }
    return true;
  }
  return false;
}

/** [start, end) ranges in `text` where a unit occurs (CJK runs anywhere, other tokens whole). */
function hitRanges(text: string, units: readonly string[]): [number, number][] {
  const { folded, from } = fold(text);
  const ranges: [number, number][] = [];
  for (const unit of new Set(units)) {
    if (!unit) continue;
    const cjk = CJK.test(unit);
    for (let at = folded.indexOf(unit); at >= 0; at = folded.indexOf(unit, at + 1)) {
      const end = at + unit.length;
      const colonSplits = !unit.includes(":");
      if (!cjk && !(isBoundary(folded, at - 1, -1, colonSplits) && isBoundary(folded, end, 1, colonSplits))) continue;
      ranges.push([from[at] ?? 0, from[end] ?? text.length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged.at(-1);
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

function pieces(text: string, ranges: [number, number][], start: number, end: number): Highlight {
  const out: Highlight = [];
  let at = start;
  for (const [a, b] of ranges) {
    if (b <= start || a >= end) continue;
    const s = Math.max(a, start);
    if (s > at) out.push({ text: text.slice(at, s), hit: false });
    out.push({ text: text.slice(s, Math.min(b, end)), hit: true });
    at = Math.min(b, end);
  }
  if (at < end) out.push({ text: text.slice(at, end), hit: false });
  return out;
}

/** The whole text with its hits marked (titles). */
export function highlight(text: string, units: readonly string[]): Highlight {
  return pieces(text, hitRanges(text, units), 0, text.length);
}

export function hasHit(h: Highlight): boolean {
  return h.some((p) => p.hit);
}

/**
 * About `width` characters around the first hit, on one line, with "…" where text was cut; null
 * when no unit is visible in the text.
 */
export function snippet(text: string, units: readonly string[], width = 90): Highlight | null {
  const flat = text.replace(/\s+/g, " ").trim();
  const ranges = hitRanges(flat, units);
  const first = ranges[0];
  if (!first) return null;
  const start = Math.max(0, Math.min(first[0] - Math.floor(width / 3), flat.length - width));
  const end = Math.min(flat.length, start + width);
  const out = pieces(flat, ranges, start, end);
  if (start > 0) out.unshift({ text: "…", hit: false });
  if (end < flat.length) out.push({ text: "…", hit: false });
  return out;
}
