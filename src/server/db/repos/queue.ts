import { Prisma } from "../generated/client.ts";
import type { EscalationState, TicketStatus } from "../generated/enums.ts";
import type { DbOrTx } from "../client.ts";

/**
 * The console queue (工单管理) in SQL. Written for the indexes on "Ticket" (see schema.prisma):
 * every list is an ordered index scan that stops after one page, never a sort of the whole set.
 *
 * - (status | categoryId,status | assigneeId,status | escalation,status), then (updatedAt, id) DESC:
 *   a filter whose leading column has several values (a group's categories, "all statuses") is
 *   expanded into one branch per value combination, each an index range read with LIMIT, merged by
 *   UNION ALL + ORDER BY + LIMIT — PostgreSQL does not merge an IN-list over an ordered index itself.
 * - memberId, search: small candidate sets, one plain query.
 * - counts: the trigger-maintained "TicketCount" for the low-cardinality filters; a capped COUNT
 *   (LIMIT CAP+1 per status) once member / date / search narrow the set (see queueCountsCapped).
 */

export const ALL_STATUSES: readonly TicketStatus[] = ["PENDING", "PROCESSING", "REPLIED", "MEMBER_REPLIED", "COMPLETED"];
/** Shown as "10000+". */
export const COUNT_CAP = 10_000;
/**
 * Text search reads the titles of the SEARCH_WINDOW newest tickets and the bodies of the
 * SEARCH_WINDOW newest messages (both in primary-key order, i.e. physical order: cheap to read):
 * bounded work on any table size. Older text needs the ticket number or GUID (exact, indexed).
 * A pg_trgm / full-text index is the future fix (docs/PERFORMANCE.md).
 */
export const SEARCH_WINDOW = 5_000;
/** One pass over at most this many rows counts all five tabs; beyond it, per-status capped counts. */
export const ONE_PASS_LIMIT = 20_000;
/** Above this many branches one plain query (planner's choice) is cheaper than the merge. */
const MAX_BRANCHES = 40;

export type AssigneeFilter = { kind: "any" } | { kind: "staff"; id: number } | { kind: "unassigned" };

export type QueueSearch = {
  /** The text as typed, for exact matches: ticket number, GUIDs, partner ticket number. */
  exact: string;
  ticketId: number | null;
  /** ILIKE pattern (already escaped), or null when the text is too short to scan for. */
  pattern: string | null;
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
};

export type QueueSort = "updated" | "created";
export type QueueCursor = { key: Date; id: number };

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
  sortKey: Date;
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
  if (f.search) where.push(Prisma.sql`t.id IN (SELECT id FROM search_hits)`);
  return where;
}

function searchCte(s: QueueSearch): Prisma.Sql {
  const parts: Prisma.Sql[] = [
    // Ticket.guid is unique; UpstreamLink's and the partner number's indexes lead with the
    // connection / partner, so those go through the (few) connections and partners.
    Prisma.sql`SELECT id FROM "Ticket" WHERE guid = ${s.exact}`,
    Prisma.sql`SELECT l."ticketId" FROM "UpstreamConnection" c JOIN "UpstreamLink" l ON l."connectionId" = c.id AND l.guid = ${s.exact}`,
    Prisma.sql`SELECT t.id FROM "DownstreamPartner" p JOIN "Ticket" t ON t."partnerId" = p.id AND t."partnerTicketNo" = ${s.exact}`,
  ];
  if (s.ticketId !== null) parts.unshift(Prisma.sql`SELECT ${s.ticketId}::int AS id`);
  if (s.pattern !== null) {
    parts.push(
      Prisma.sql`SELECT id FROM (SELECT id, title FROM "Ticket" ORDER BY id DESC LIMIT ${SEARCH_WINDOW}) w WHERE title ILIKE ${s.pattern}`,
      Prisma.sql`SELECT "ticketId" FROM (SELECT "ticketId", body FROM "TicketMessage" ORDER BY id DESC LIMIT ${SEARCH_WINDOW}) m WHERE body ILIKE ${s.pattern}`,
    );
  }
  return Prisma.sql`search_hits AS (${Prisma.join(parts, " UNION ")})`;
}

const whereSql = (parts: Prisma.Sql[]) => (parts.length ? Prisma.sql`WHERE ${Prisma.join(parts, " AND ")}` : Prisma.empty);

/**
 * One branch per (leading-column value × status) when that lets every branch read an index in
 * order; a single query otherwise. Returns the extra equality per branch.
 */
function branches(f: QueueFilter, sort: QueueSort): Prisma.Sql[][] {
  if (sort !== "updated" || f.memberId !== null || f.search) return [[]];
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

export function buildQueueSql(f: QueueFilter, sort: QueueSort, cursor: QueueCursor | null, limit: number): Prisma.Sql {
  const col = sortColumn(sort);
  const base = conditions(f);
  if (cursor) base.push(Prisma.sql`(${col}, t.id) < (${cursor.key}::timestamptz, ${cursor.id})`);
  const plan = branches(f, sort);
  const single = plan.length === 1 ? (plan[0] ?? []) : null;
  const statusFilter = f.statuses && single?.length === 0 ? [Prisma.sql`t.status IN (${Prisma.join(f.statuses.map(status))})`] : [];
  const one = (extra: Prisma.Sql[]) =>
    Prisma.sql`SELECT t.id, ${col} AS k FROM "Ticket" t ${whereSql([...base, ...statusFilter, ...extra])} ORDER BY ${col} DESC, t.id DESC LIMIT ${limit}`;
  const page =
    single
      ? one(single)
      : Prisma.sql`SELECT id, k FROM (${Prisma.join(plan.map((b) => Prisma.sql`(${one(b)})`), " UNION ALL ")}) u ORDER BY k DESC, id DESC LIMIT ${limit}`;
  const withs = [...(f.search ? [searchCte(f.search)] : []), Prisma.sql`page AS (${page})`];
  return Prisma.sql`
    WITH ${Prisma.join(withs, ", ")}
    SELECT t.id, t.title, t.status::text AS status, t.escalation::text AS escalation, t."memberId", t."categoryId",
           c.name AS "categoryName", c.type::text AS "categoryType", c."submitToApi", g.name AS "groupName",
           t."assigneeId", s."displayName" AS "assigneeName", t."partnerId", p.name AS "partnerName",
           t."partnerTicketNo", t."partnerState"::text AS "partnerState", l.guid AS "upstreamGuid",
           (l.id IS NOT NULL) AS "hasUpstreamLink", t.rating, t.version, t."createdAt", t."updatedAt", page.k AS "sortKey"
      FROM page
      JOIN "Ticket" t ON t.id = page.id
      JOIN "Category" c ON c.id = t."categoryId"
      JOIN "CategoryGroup" g ON g.id = c."groupId"
      LEFT JOIN "Staff" s ON s.id = t."assigneeId"
      LEFT JOIN "DownstreamPartner" p ON p.id = t."partnerId"
      LEFT JOIN "UpstreamLink" l ON l."ticketId" = t.id
     ORDER BY page.k DESC, page.id DESC`;
}

/** One page (limit rows) of the queue, with everything the table shows: one statement. */
export function findQueuePage(db: DbOrTx, f: QueueFilter, sort: QueueSort, cursor: QueueCursor | null, limit: number) {
  return db.$queryRaw<QueueRow[]>(buildQueueSql(f, sort, cursor, limit));
}

/** The filters "TicketCount" can answer: everything but member, dates and search. */
export function countableFromTicketCount(f: QueueFilter): boolean {
  return f.memberId === null && !f.createdFrom && !f.createdTo && !f.search;
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

export function buildOnePassCountsSql(f: QueueFilter): Prisma.Sql {
  const withs = f.search ? Prisma.sql`WITH ${searchCte(f.search)} ` : Prisma.empty;
  return Prisma.sql`${withs}SELECT status::text AS status, count(*)::int AS n
    FROM (SELECT t.status FROM "Ticket" t ${whereSql(conditions(f))} LIMIT ${ONE_PASS_LIMIT}) x GROUP BY status`;
}

export function buildCappedCountsSql(f: QueueFilter): Prisma.Sql {
  const base = conditions(f);
  const per = ALL_STATUSES.map(
    (s) => Prisma.sql`(SELECT count(*) FROM (SELECT 1 FROM "Ticket" t ${whereSql([...base, Prisma.sql`t.status = ${status(s)}`])} LIMIT ${COUNT_CAP + 1}) x)::int AS ${Prisma.raw(`"${s}"`)}`,
  );
  const withs = f.search ? Prisma.sql`WITH ${searchCte(f.search)} ` : Prisma.empty;
  return Prisma.sql`${withs}SELECT ${Prisma.join(per, ", ")}`;
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
