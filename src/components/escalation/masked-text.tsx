/**
 * A text as the upstream receives it, with each masked token marked. The pieces are rendered as
 * React text (escaped): nothing here is interpreted as HTML.
 */
export type MaskedTextView = { text: string; masked: readonly { start: number; end: number; token: string; rule: string }[] };

export function MaskedText({ value }: { value: MaskedTextView }) {
  const parts: { text: string; masked: boolean }[] = [];
  let at = 0;
  for (const m of value.masked) {
    if (m.start > at) parts.push({ text: value.text.slice(at, m.start), masked: false });
    parts.push({ text: value.text.slice(m.start, m.end), masked: true });
    at = m.end;
  }
  if (at < value.text.length) parts.push({ text: value.text.slice(at), masked: false });
  return (
    <>
      {parts.map((p, i) =>
        p.masked ? (
          <mark key={i} data-testid="masked-token" className="rounded-sm bg-amber-200 px-0.5 text-amber-950">
            {p.text}
          </mark>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  );
}
