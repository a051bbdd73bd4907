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

export const headMatches = (text: string) => Prisma.sql`COALESCE(t."searchHead" @@ ${searchQuery(text)}, false)`;

export function termsMatch(scope: SearchScope, text: string): Prisma.Sql {
  const all = Prisma.sql`t."searchAll" @@ ${searchQuery(text)}`;
  if (scope === "staff") return all;
  // A superset test first (indexed), then the decision on the public terms only.
  return Prisma.sql`(${all} AND COALESCE(t."searchPublic", t."searchAll") @@ ${searchQuery(text)})`;
}

/** The query's units as the tokenizer cuts them (whole ops tokens, Latin words, CJK runs): what a snippet marks. */
export async function findQueryUnits(db: DbOrTx, text: string): Promise<string[]> {
  const [row] = await db.$queryRaw<{ units: string[] | null }[]>`SELECT search_split(${text}) AS units`;
  return row?.units ?? [];
}

export type SnippetSource = { ticketId: number; body: string; staffOnly: boolean };

/**
 * For each ticket, the newest entry of the viewer's scope whose own text matches (system lines are
 * not searched). One statement; each ticket's entries are read newest first and the read stops
 * at the first match.
 */
export function findSnippetSources(db: DbOrTx, scope: SearchScope, text: string, ticketIds: number[]): Promise<SnippetSource[]> {
  if (ticketIds.length === 0) return Promise.resolve([]);
  const visibility = scope === "member" ? Prisma.sql`AND m."visibility" = 'PUBLIC'` : Prisma.empty;
  return db.$queryRaw<SnippetSource[]>`
    SELECT x.id AS "ticketId", hit.body, hit."staffOnly"
      FROM unnest(${ticketIds}::int[]) AS x(id)
      JOIN LATERAL (
        SELECT m.body, (m."visibility" = 'STAFF_ONLY') AS "staffOnly"
          FROM "TicketMessage" m
         WHERE m."ticketId" = x.id AND m."authorKind" <> 'SYSTEM' ${visibility}
           AND search_vector(m.body) @@ ${searchQuery(text)}
         ORDER BY m."createdAt" DESC, m.id DESC
         LIMIT 1) hit ON true`;
}
