import { Prisma } from "../generated/client.ts";
import type { DbOrTx } from "../client.ts";

/**
 * Full-text search over a ticket's terms (docs/SEARCH.md). The terms are written by triggers with
 * the SQL tokenizer search_vector(); the query text is cut by search_query(), the same code, so
 * what is indexed and what is asked always agree. The text goes in as a parameter and
 * search_query() is IMMUTABLE: PostgreSQL folds it into a constant when planning, so the planner
 * sees the terms (and their frequencies) and picks the GIN index or an ordered walk.
 *
 *   "searchHead"   title + business ID + business IP (public)
 *   "searchAll"    heading + every non-system entry: what staff search (GIN index)
 *   "searchPublic" heading + public entries, NULL when that equals "searchAll" (R7: a member's
 *                  match is decided on it alone; "searchAll" is only the index's prefilter)
 */

/** Whose view of a ticket's text is searched. */
export type SearchScope = "staff" | "member";

export const searchQuery = (text: string) => Prisma.sql`search_query(${text})`;

export const headMatches = (text: string) => Prisma.sql`t."searchHead" @@ ${searchQuery(text)}`;

export function termsMatch(scope: SearchScope, text: string): Prisma.Sql {
  const all = Prisma.sql`t."searchAll" @@ ${searchQuery(text)}`;
  if (scope === "staff") return all;
  // A superset test first (indexed), then the decision on the public terms only.
  return Prisma.sql`(${all} AND COALESCE(t."searchPublic", t."searchAll") @@ ${searchQuery(text)})`;
}

/**
 * Whether a search is frequent enough that reading tickets newest first (or by id) and testing each
 * finds a page quickly. The alternative — every match from the GIN index — is right for rare
 * terms, and a walk for a rare term reads the whole table. PostgreSQL's own estimate is no guide:
 * it puts any term outside its most-common list at up to 0.5 % of rows, and multiplies the
 * frequencies of a phrase's bigrams as if they were independent. So the share is estimated here
 * from the column's statistics (most_common_elems): a phrase (one group of search_query) is as
 * frequent as its rarest lexeme, groups multiply, a lexeme outside the list counts as rare.
 * No statistics (a small or fresh table): rare, and sorting every match is cheap.
 */
const DENSE_SHARE = 0.006;

export async function findDensity(db: DbOrTx, text: string): Promise<{ headDense: boolean; bodyDense: boolean }> {
  // One statement: the query's groups and lexemes (from search_query's text form), each lexeme's
  // share in either column's most-common list (a prefix: the sum over the lexemes it covers).
  const rows = await db.$queryRaw<{ col: string; share: number | null }[]>`
    WITH lex AS (
           SELECT g.n AS grp, replace(m[1], '''''', '''') AS lexeme, m[2] IS NOT NULL AS prefix
             FROM unnest(string_to_array(search_query(${text})::text, ' & ')) WITH ORDINALITY AS g(txt, n),
                  regexp_matches(g.txt, '''((?:[^'']|'''')*)''(:\\*)?', 'g') AS m),
         stats AS (
           SELECT s.attname::text AS col, e.elem, e.freq::float8 AS freq
             FROM pg_stats s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS e(elem, freq)
            WHERE s.schemaname = current_schema() AND s.tablename = 'Ticket' AND s.attname IN ('searchHead', 'searchAll')),
         per_group AS (
           SELECT c.col, l.grp,
                  min(LEAST(1, COALESCE((SELECT sum(st.freq) FROM stats st
                                          WHERE st.col = c.col AND (st.elem = l.lexeme OR (l.prefix AND starts_with(st.elem, l.lexeme)))), 0))) AS share
             FROM lex l CROSS JOIN (VALUES ('searchHead'), ('searchAll')) AS c(col)
            GROUP BY c.col, l.grp)
    SELECT col, CASE WHEN bool_or(share = 0) THEN 0 ELSE exp(sum(ln(NULLIF(share, 0)))) END::float8 AS share
      FROM per_group GROUP BY col`;
  const share = (col: string) => rows.find((r) => r.col === col)?.share ?? 0;
  return { headDense: share("searchHead") >= DENSE_SHARE, bodyDense: share("searchAll") >= DENSE_SHARE };
}

export type SnippetSource = { ticketId: number; body: string; staffOnly: boolean; authorKind: string };

/**
 * The query's units as the tokenizer cuts them (whole ops tokens, Latin words, CJK runs: what a
 * snippet marks), and for each given ticket the newest entry of the viewer's scope whose own text
 * matches (system lines are not searched; each ticket's entries are read newest first and the read
 * stops at the first match). One statement.
 */
export async function findSnippetSources(db: DbOrTx, scope: SearchScope, text: string, ticketIds: number[]): Promise<{ units: string[]; sources: SnippetSource[] }> {
  const visibility = scope === "member" ? Prisma.sql`AND m."visibility" = 'PUBLIC'` : Prisma.empty;
  const [row] = await db.$queryRaw<{ units: string[] | null; sources: SnippetSource[] | null }[]>`
    SELECT search_split(${text}) AS units,
           (SELECT json_agg(json_build_object('ticketId', x.id, 'body', hit.body, 'staffOnly', hit."staffOnly", 'authorKind', hit."authorKind"))
              FROM unnest(${ticketIds}::int[]) AS x(id)
              JOIN LATERAL (
                SELECT m.body, (m."visibility" = 'STAFF_ONLY') AS "staffOnly", m."authorKind"
                  FROM "TicketMessage" m
                 WHERE m."ticketId" = x.id AND m."authorKind" <> 'SYSTEM' ${visibility}
                   AND search_vector(m.body) @@ ${searchQuery(text)}
                 ORDER BY m."createdAt" DESC, m.id DESC
                 LIMIT 1) hit ON true) AS sources`;
  return { units: row?.units ?? [], sources: row?.sources ?? [] };
}

/**
 * One tier's page: a dense tier is an ordered read that stops after `limit` rows; a sparse one is
 * fenced (OFFSET 0) so that the planner takes every match from the GIN index and sorts them,
 * instead of walking the recency index in search of matches that may not exist.
 */
export function tierPage(select: Prisma.Sql, where: Prisma.Sql, order: Prisma.Sql, limit: number, dense: boolean): Prisma.Sql {
  return dense
    ? Prisma.sql`(${select} ${where} ORDER BY ${order} LIMIT ${limit})`
    : Prisma.sql`(SELECT * FROM (${select} ${where} OFFSET 0) fenced ORDER BY ${order} LIMIT ${limit})`;
}
