import { Prisma } from "../generated/client.ts";
import type { EscalationState, TicketStatus } from "../generated/enums.ts";
import type { DbOrTx } from "../client.ts";
import { headMatches, termsMatch, tierPage } from "./search.ts";

/**
 * The console queue (工单管理) in SQL. Written for the indexes on "Ticket" (see schema.prisma):
 * every list is an ordered index scan that stops after one page, never a sort of the whole set.
 *
 * - (status | categoryId,status | assigneeId,status | escalation,status), then (updatedAt, id) DESC:
 *   a filter whose leading column has several values (a group's categories, "all statuses") is
 *   expanded into one branch per value combination, each an index range read with LIMIT, merged by
 *   UNION ALL + ORDER BY + LIMIT — PostgreSQL does not merge an IN-list over an ordered index itself.
 * - memberId: a small candidate set, one plain query.
 * - search: three ranked tiers (exact ticket number / GUID, heading hit, conversation hit), each
 *   one query over the search terms' GIN indexes in recency order (repos/search.ts).
 * - counts: the trigger-maintained "TicketCount" for the low-cardinality filters; a capped COUNT
 *   (LIMIT CAP+1 per status) once member / date / search narrow the set (see queueCountsCapped).
 */

export const ALL_STATUSES: readonly TicketStatus[] = ["PENDING", "PROCESSING", "REPLIED", "MEMBER_REPLIED", "COMPLETED"];
/** Shown as "10000+". */
export const COUNT_CAP = 10_000;
/**
 * A search counts at most this many matching tickets, in one pass. A frequent term matches a large
 * share of a million tickets; intersecting that with each status costs seconds (GIN bitmaps of
 * hundreds of thousands of rows), so beyond the bound every tab shows a lower bound ("n+").
 */
export const SEARCH_COUNT_LIMIT = 1_000;
/** One pass over at most this many rows counts all five tabs; beyond it, per-status capped counts. */
export const ONE_PASS_LIMIT = 20_000;
/** Above this many branches one plain query (planner's choice) is cheaper than the merge. */
const MAX_BRANCHES = 40;

export type AssigneeFilter = { kind: "any" } | { kind: "staff"; id: number } | { kind: "unassigned" };

export type QueueSearch = {
  /** The text as typed, for exact matches: ticket number, GUIDs, partner ticket number. */
  exact: string;
  ticketId: number | null;
  /** Cut into terms in SQL by search_query(), the index's own tokenizer. */
  text: string;
  /** Frequent in headings / in all text (search.ts isDense): read newest first; else every match, sorted. */
  headDense: boolean;
  bodyDense: boolean;
};

export type QueueFilter = {
  statuses: readonly TicketStatus[] | null;
  categoryIds: readonly number[] | null;
  assignee: AssigneeFilter;
  escalation: EscalationState | null;
  memberId: number | null;
  createdFrom: Date | null;
  createdTo: Date | null;
  search: QueueSearch | null;
  /** 即将超时 / 已超时 at `now`, on the materialised nearest deadline (docs/SLA.md). */
  sla: { stage: "WARNING" | "BREACHED"; now: Date } | null;
};

export type QueueSort = "updated" | "created";
/** tier: the search rank of the row (0 exact, 1 heading, 2 conversation); 0 for plain lists. */
export type QueueCursor = { key: Date; id: number; tier: number };

export type QueueRow = {
  id: number;
  title: string;
  status: TicketStatus;
  escalation: EscalationState;
  memberId: number | null;
  categoryId: number;
  categoryName: string;
  categoryType: "NORMAL" | "BUSINESS_TECH" | "ICP_FILING" | "TRADEMARK" | "OTHER";
  submitToApi: boolean;
  groupName: string;
  assigneeId: number | null;
  assigneeName: string | null;
  partnerId: number | null;
  partnerName: string | null;
  partnerTicketNo: string | null;
  partnerState: "OPEN" | "RETURNED" | "CLOSED" | "FINISHED" | null;
  upstreamGuid: string | null;
  hasUpstreamLink: boolean;
  rating: number | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  businessId: string | null;
  businessIp: string | null;
  slaWarnAt: Date | null;
  slaDueAt: Date | null;
  sortKey: Date;
  tier: number;
};

const status = (s: TicketStatus) => Prisma.raw(`'${s}'::"TicketStatus"`); // from a fixed list: safe as a literal
const sortColumn = (sort: QueueSort) => Prisma.raw(sort === "updated" ? `t."updatedAt"` : `t."createdAt"`);

/** WHERE conditions shared by lists and capped counts (the statuses are applied by the caller). */
function conditions(f: QueueFilter): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  if (f.categoryIds) where.push(f.categoryIds.length ? Prisma.sql`t."categoryId" IN (${Prisma.join(f.categoryIds)})` : Prisma.sql`FALSE`);
  if (f.assignee.kind === "staff") where.push(Prisma.sql`t."assigneeId" = ${f.assignee.id}`);
  if (f.assignee.kind === "unassigned") where.push(Prisma.sql`t."assigneeId" IS NULL`);
  if (f.escalation) where.push(Prisma.sql`t."escalation" = ${Prisma.raw(`'${f.escalation}'::"EscalationState"`)}`);
  if (f.memberId !== null) where.push(Prisma.sql`t."memberId" = ${f.memberId}`);
  if (f.createdFrom) where.push(Prisma.sql`t."createdAt" >= ${f.createdFrom}::timestamptz`);
  if (f.createdTo) where.push(Prisma.sql`t."createdAt" < ${f.createdTo}::timestamptz`);
  if (f.sla?.stage === "BREACHED") where.push(Prisma.sql`t."slaDueAt" <= ${f.sla.now}::timestamptz`);
  if (f.sla?.stage === "WARNING") where.push(Prisma.sql`t."slaWarnAt" <= ${f.sla.now}::timestamptz AND t."slaDueAt" > ${f.sla.now}::timestamptz`);
  return where;
}

const inExact = Prisma.sql`t.id = ANY((SELECT ids FROM exact)::int[])`;

/** The exact matches, as one array (ticket number, GUID, upstream GUID, partner ticket number). */
function exactCte(s: QueueSearch): Prisma.Sql {
  const parts: Prisma.Sql[] = [
    // Ticket.guid is unique; UpstreamLink's and the partner number's indexes lead with the
    // connection / partner, so those go through the (few) connections and partners.
    Prisma.sql`SELECT id FROM "Ticket" WHERE guid = ${s.exact}`,
    Prisma.sql`SELECT l."ticketId" FROM "UpstreamConnection" c JOIN "UpstreamLink" l ON l."connectionId" = c.id AND l.guid = ${s.exact}`,
    Prisma.sql`SELECT t.id FROM "DownstreamPartner" p JOIN "Ticket" t ON t."partnerId" = p.id AND t."partnerTicketNo" = ${s.exact}`,
  ];
  if (s.ticketId !== null) parts.unshift(Prisma.sql`SELECT ${s.ticketId}::int AS id`);
  return Prisma.sql`exact AS MATERIALIZED (SELECT COALESCE(array_agg(DISTINCT id), '{}'::int[]) AS ids FROM (${Prisma.join(parts, " UNION ")}) e(id))`;
}

/** The search's ranked tiers, disjoint: each matching ticket is in exactly one. */
function searchTiers(s: QueueSearch): { conds: Prisma.Sql[]; dense: boolean }[] {
  return [
    { conds: [inExact], dense: false },
    { conds: [headMatches(s.text), Prisma.sql`NOT ${inExact}`], dense: s.headDense },
    { conds: [termsMatch("staff", s.text), Prisma.sql`NOT ${headMatches(s.text)}`, Prisma.sql`NOT ${inExact}`], dense: s.bodyDense },
  ];
}

const whereSql = (parts: Prisma.Sql[]) => (parts.length ? Prisma.sql`WHERE ${Prisma.join(parts, " AND ")}` : Prisma.empty);

/**
 * One branch per (leading-column value × status) when that lets every branch read an index in
 * order; a single query otherwise. Returns the extra equality per branch.
 */
function branches(f: QueueFilter, sort: QueueSort): Prisma.Sql[][] {
  // The SLA filters are narrow (a deadline index range): one plain query.
  if (sort !== "updated" || f.memberId !== null || f.search || f.sla) return [[]];
  const statuses = f.statuses ?? ALL_STATUSES;
  const statusConds = statuses.map((s) => Prisma.sql`t.status = ${status(s)}`);
  // The driving index: an assignee or a non-NONE escalation state (both narrow, one value each)
  // before categories; only a category list with neither needs one branch per category.
  const narrowLead = f.assignee.kind !== "any" || (f.escalation !== null && f.escalation !== "NONE");
  let lead: Prisma.Sql[] = [Prisma.empty];
  if (!narrowLead && f.categoryIds && f.categoryIds.length > 1) {
    lead = f.categoryIds.map((id) => Prisma.sql`t."categoryId" = ${id}`);
  }
  // No leading filter and no status: the (updatedAt, id) index alone is already in order.
  if (f.assignee.kind === "any" && !f.categoryIds && !f.escalation && !f.statuses) return [[]];
  if (lead.length * statusConds.length > MAX_BRANCHES) return [[]];
  return lead.flatMap((l) => statusConds.map((s) => (l === Prisma.empty ? [s] : [l, s])));
}

/**
 * Search results: tier by tier (exact, heading, conversation), newest first within a tier. Each
 * tier is an ordered read with its own LIMIT; the cursor carries the tier it stopped in.
 */
function searchPage(f: QueueFilter, s: QueueSearch, sort: QueueSort, cursor: QueueCursor | null, limit: number): Prisma.Sql {
  const col = sortColumn(sort);
  const base = conditions(f);
  if (f.statuses) base.push(Prisma.sql`t.status IN (${Prisma.join(f.statuses.map(status))})`);
  const parts = searchTiers(s).flatMap(({ conds, dense }, tier) => {
    if (cursor && tier < cursor.tier) return [];
    const after = cursor && tier === cursor.tier ? [Prisma.sql`(${col}, t.id) < (${cursor.key}::timestamptz, ${cursor.id})`] : [];
    return [
      tierPage(
        Prisma.sql`SELECT t.id, ${col} AS k, ${tier}::int AS tier FROM "Ticket" t`,
        whereSql([...base, ...conds, ...after]),
        Prisma.sql`k DESC, id DESC`,
        limit,
        dense,
      ),
    ];
  });
  return Prisma.sql`SELECT id, k, tier FROM (${Prisma.join(parts, " UNION ALL ")}) u ORDER BY tier, k DESC, id DESC LIMIT ${limit}`;
}

export function buildQueueSql(f: QueueFilter, sort: QueueSort, cursor: QueueCursor | null, limit: number): Prisma.Sql {
  const col = sortColumn(sort);
  let page: Prisma.Sql;
  if (f.search) {
    page = searchPage(f, f.search, sort, cursor, limit);
  } else {
    const base = conditions(f);
    if (cursor) base.push(Prisma.sql`(${col}, t.id) < (${cursor.key}::timestamptz, ${cursor.id})`);
    const plan = branches(f, sort);
    const single = plan.length === 1 ? (plan[0] ?? []) : null;
    const statusFilter = f.statuses && single?.length === 0 ? [Prisma.sql`t.status IN (${Prisma.join(f.statuses.map(status))})`] : [];
    const one = (extra: Prisma.Sql[]) =>
      Prisma.sql`SELECT t.id, ${col} AS k, 0 AS tier FROM "Ticket" t ${whereSql([...base, ...statusFilter, ...extra])} ORDER BY ${col} DESC, t.id DESC LIMIT ${limit}`;
    page = single
      ? one(single)
      : Prisma.sql`SELECT id, k, tier FROM (${Prisma.join(plan.map((b) => Prisma.sql`(${one(b)})`), " UNION ALL ")}) u ORDER BY k DESC, id DESC LIMIT ${limit}`;
  }
  const withs = [...(f.search ? [exactCte(f.search)] : []), Prisma.sql`page AS (${page})`];
  return Prisma.sql`
    WITH ${Prisma.join(withs, ", ")}
    SELECT t.id, t.title, t.status::text AS status, t.escalation::text AS escalation, t."memberId", t."categoryId",
           c.name AS "categoryName", c.type::text AS "categoryType", c."submitToApi", g.name AS "groupName",
           t."assigneeId", s."displayName" AS "assigneeName", t."partnerId", p.name AS "partnerName",
           t."partnerTicketNo", t."partnerState"::text AS "partnerState", l.guid AS "upstreamGuid",
           (l.id IS NOT NULL) AS "hasUpstreamLink", t.rating, t.version, t."createdAt", t."updatedAt",
           t."businessId", t."businessIp", t."slaWarnAt", t."slaDueAt", page.k AS "sortKey", page.tier
      FROM page
      JOIN "Ticket" t ON t.id = page.id
      JOIN "Category" c ON c.id = t."categoryId"
      JOIN "CategoryGroup" g ON g.id = c."groupId"
      LEFT JOIN "Staff" s ON s.id = t."assigneeId"
      LEFT JOIN "DownstreamPartner" p ON p.id = t."partnerId"
      LEFT JOIN "UpstreamLink" l ON l."ticketId" = t.id
     ORDER BY page.tier, page.k DESC, page.id DESC`;
}

/** One page (limit rows) of the queue, with everything the table shows: one statement. */
export function findQueuePage(db: DbOrTx, f: QueueFilter, sort: QueueSort, cursor: QueueCursor | null, limit: number) {
  return db.$queryRaw<QueueRow[]>(buildQueueSql(f, sort, cursor, limit));
}

/** The filters "TicketCount" can answer: everything but member, dates, search and SLA. */
export function countableFromTicketCount(f: QueueFilter): boolean {
  return f.memberId === null && !f.createdFrom && !f.createdTo && !f.search && !f.sla;
}

export function buildMaintainedCountsSql(f: QueueFilter): Prisma.Sql {
  const where: Prisma.Sql[] = [];
  if (f.categoryIds) where.push(f.categoryIds.length ? Prisma.sql`"categoryId" IN (${Prisma.join(f.categoryIds)})` : Prisma.sql`FALSE`);
  if (f.assignee.kind === "staff") where.push(Prisma.sql`"assigneeId" = ${f.assignee.id}`);
  if (f.assignee.kind === "unassigned") where.push(Prisma.sql`"assigneeId" = 0`);
  if (f.escalation) where.push(Prisma.sql`escalation = ${Prisma.raw(`'${f.escalation}'::"EscalationState"`)}`);
  return Prisma.sql`SELECT status::text AS status, SUM(n)::bigint AS n FROM "TicketCount" ${whereSql(where)} GROUP BY status`;
}

/** Per-status counts from the maintained table: a SUM over at most a few thousand rows. */
export async function queueCountsMaintained(db: DbOrTx, f: QueueFilter): Promise<Record<TicketStatus, number>> {
  const rows = await db.$queryRaw<{ status: TicketStatus; n: bigint }[]>(buildMaintainedCountsSql(f));
  const out = Object.fromEntries(ALL_STATUSES.map((s) => [s, 0])) as Record<TicketStatus, number>;
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}

/**
 * Per-status counts of at most `limit` rows of the filtered set. A search counts its exact hits and
 * its text matches (disjoint); the text part reads by id and stops at the bound when the terms are
 * frequent, and takes every match from the GIN index (fenced) when they are rare.
 */
export function buildOnePassCountsSql(f: QueueFilter, limit = f.search ? SEARCH_COUNT_LIMIT : ONE_PASS_LIMIT): Prisma.Sql {
  const base = conditions(f);
  if (!f.search) {
    return Prisma.sql`SELECT status::text AS status, count(*)::int AS n
      FROM (SELECT t.status FROM "Ticket" t ${whereSql(base)} LIMIT ${limit}) x GROUP BY status`;
  }
  const exact = Prisma.sql`(SELECT t.status FROM "Ticket" t ${whereSql([...base, inExact])})`;
  const textWhere = whereSql([...base, termsMatch("staff", f.search.text), Prisma.sql`NOT ${inExact}`]);
  const text = f.search.bodyDense
    ? Prisma.sql`(SELECT t.status FROM "Ticket" t ${textWhere} ORDER BY t.id DESC LIMIT ${limit})`
    : Prisma.sql`(SELECT status FROM (SELECT t.status FROM "Ticket" t ${textWhere} OFFSET 0) fenced LIMIT ${limit})`;
  return Prisma.sql`WITH ${exactCte(f.search)} SELECT status::text AS status, count(*)::int AS n
    FROM (SELECT status FROM (${exact} UNION ALL ${text}) u LIMIT ${limit}) x GROUP BY status`;
}

/** A search's counts: one bounded pass; `more` when the bound was reached (each count is then a lower bound). */
export async function queueCountsSearch(db: DbOrTx, f: QueueFilter): Promise<{ counts: Record<TicketStatus, number>; more: boolean }> {
  const rows = await db.$queryRaw<{ status: TicketStatus; n: number }[]>(buildOnePassCountsSql(f, SEARCH_COUNT_LIMIT));
  const counts = Object.fromEntries(ALL_STATUSES.map((s) => [s, 0])) as Record<TicketStatus, number>;
  for (const r of rows) counts[r.status] = r.n;
  return { counts, more: rows.reduce((sum, r) => sum + r.n, 0) >= SEARCH_COUNT_LIMIT };
}

/** Not for a search (queueCountsSearch). */
export function buildCappedCountsSql(f: QueueFilter): Prisma.Sql {
  const base = conditions(f);
  const per = ALL_STATUSES.map(
    (s) => Prisma.sql`(SELECT count(*) FROM (SELECT 1 FROM "Ticket" t ${whereSql([...base, Prisma.sql`t.status = ${status(s)}`])} LIMIT ${COUNT_CAP + 1}) x)::int AS ${Prisma.raw(`"${s}"`)}`,
  );
  return Prisma.sql`SELECT ${Prisma.join(per, ", ")}`;
}

/**
 * Counts up to COUNT_CAP + 1 per status (the caller shows COUNT_CAP+ beyond the cap). Usually one
 * pass: when the whole filtered set is under ONE_PASS_LIMIT rows, one scan counts every tab
 * exactly; only a larger set pays for five capped scans.
 */
export async function queueCountsCapped(db: DbOrTx, f: QueueFilter): Promise<Record<TicketStatus, number>> {
  const pass = await db.$queryRaw<{ status: TicketStatus; n: number }[]>(buildOnePassCountsSql(f));
  if (pass.reduce((sum, r) => sum + r.n, 0) < ONE_PASS_LIMIT) {
    const out = Object.fromEntries(ALL_STATUSES.map((s) => [s, 0])) as Record<TicketStatus, number>;
    for (const r of pass) out[r.status] = r.n;
    return out;
  }
  const [row] = await db.$queryRaw<Record<TicketStatus, number>[]>(buildCappedCountsSql(f));
  if (!row) throw new Error("capped counts returned no row");
  return row;
}

export function findCategoryIdsOfGroup(db: DbOrTx, groupId: number) {
  return db.category.findMany({ where: { groupId }, select: { id: true } }).then((rows) => rows.map((r) => r.id));
}

/** Filter options for the queue bar and the move dialog. */
export function findQueueOptions(db: DbOrTx) {
  return Promise.all([
    db.categoryGroup.findMany({
      orderBy: [{ sortOrder: "asc" }, { id: "asc" }],
      select: {
        id: true,
        name: true,
        categories: { orderBy: [{ sortOrder: "asc" }, { id: "asc" }], select: { id: true, name: true, type: true, submitToApi: true, enabled: true } },
      },
    }),
    db.staff.findMany({ where: { disabled: false }, orderBy: { id: "asc" }, select: { id: true, displayName: true } }),
  ]).then(([groups, staff]) => ({ groups, staff }));
}
