import type { Db } from "../db/client.ts";
import { findSnippetSources, type SearchScope } from "../db/repos/search.ts";
import { hasHit, highlight, snippet, type Highlight } from "../presenters/search-snippet.ts";
import { memberFacingText } from "./sharing-service.ts";

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
 * heading's business fields or from the newest entry of the viewer's scope that matched. One
 * statement per page, whatever its size.
 */
export async function searchHits(
  db: Db,
  scope: SearchScope,
  text: string,
  rows: readonly { id: number; title: string; tier: number; businessId?: string | null; businessIp?: string | null }[],
): Promise<Map<number, SearchHit>> {
  // Tier 2 matched in the conversation: those need an entry's text.
  const { units, sources } = await findSnippetSources(db, scope, text, rows.filter((r) => r.tier === 2).map((r) => r.id));
  // A member reads a vendor's words as the sharing policy masks them, snippets included.
  const facing = scope === "member" ? await memberFacingText(db, sources.map((s) => s.ticketId)) : null;
  const bodies = new Map(sources.map((s) => [s.ticketId, facing ? { ...s, body: facing(s.ticketId, s.authorKind, s.body) } : s]));
  const out = new Map<number, SearchHit>();
  for (const r of rows) {
    const title = highlight(r.title, units);
    const body = bodies.get(r.id);
    const fields = [r.businessId, r.businessIp].filter((x): x is string => !!x).join(" · ");
    const snip = body ? snippet(body.body, units) : !hasHit(title) && fields ? snippet(fields, units) : null;
    out.set(r.id, { title, snippet: snip, staffOnly: body?.staffOnly ?? false });
  }
  return out;
}
