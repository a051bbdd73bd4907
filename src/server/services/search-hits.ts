import type { Db } from "../db/client.ts";
import { findQueryUnits, findSnippetSources, type SearchScope } from "../db/repos/search.ts";
import { hasHit, highlight, snippet, type Highlight } from "../presenters/search-snippet.ts";

/** What a search result shows beyond the row: the title's hits, and the text that matched. */
export type SearchHit = {
  title: Highlight;
  /** The newest matching entry (or the business fields that matched), around its first hit. */
  snippet: Highlight | null;
  /** The snippet comes from a staff-only entry (staff only ever get these). */
  staffOnly: boolean;
};

/**
 * Highlights for one page of search results: the title, and for the rest a snippet from the
 * heading's business fields or from the newest entry of the viewer's scope that matched. Two
 * statements per page, whatever its size.
 */
export async function searchHits(
  db: Db,
  scope: SearchScope,
  text: string,
  rows: readonly { id: number; title: string; businessId?: string | null; businessIp?: string | null }[],
): Promise<Map<number, SearchHit>> {
  const units = await findQueryUnits(db, text);
  const out = new Map<number, SearchHit>();
  const needBody: number[] = [];
  for (const r of rows) {
    const title = highlight(r.title, units);
    const fields = [r.businessId, r.businessIp].filter((x): x is string => !!x).join(" · ");
    const fromFields = !hasHit(title) && fields ? snippet(fields, units) : null;
    out.set(r.id, { title, snippet: fromFields, staffOnly: false });
    if (!hasHit(title) && !fromFields) needBody.push(r.id);
  }
  for (const src of await findSnippetSources(db, scope, text, needBody)) {
    const hit = out.get(src.ticketId);
    if (hit) out.set(src.ticketId, { ...hit, snippet: snippet(src.body, units), staffOnly: src.staffOnly });
  }
  return out;
}
