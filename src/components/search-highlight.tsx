/**
 * A search hit's text with its matches marked. The pieces come from the server as plain strings
 * and are rendered as React text (escaped): a ticket's text is never interpreted as HTML.
 */
export type HighlightPieces = readonly { text: string; hit: boolean }[];

export function Highlighted({ pieces }: { pieces: HighlightPieces }) {
  return (
    <>
      {pieces.map((p, i) =>
        p.hit ? (
          <mark key={i} data-testid="search-hit" className="rounded-sm bg-amber-200/80 px-0.5 text-inherit">
            {p.text}
          </mark>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  );
}

/** The matching snippet under a result's title; `staffOnlyLabel` marks text from a staff-only entry. */
export function SearchSnippet({ pieces, staffOnlyLabel }: { pieces: HighlightPieces | null; staffOnlyLabel?: string }) {
  if (!pieces) return null;
  return (
    <div data-testid="search-snippet" className="mt-0.5 line-clamp-2 text-xs text-slate-500">
      {staffOnlyLabel && <span className="mr-1 rounded bg-amber-100 px-1 text-amber-700">{staffOnlyLabel}</span>}
      <Highlighted pieces={pieces} />
    </div>
  );
}
