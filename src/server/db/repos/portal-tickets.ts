import { Prisma } from "../generated/client.ts";
import type { TicketStatus } from "../generated/enums.ts";
import type { DbOrTx } from "../client.ts";
import { headMatches, termsMatch, tierPage } from "./search.ts";

/**
 * The member portal's queries. Every read is scoped by `memberId` in the WHERE clause and every
 * conversation read filters `visibility = PUBLIC` in SQL (R7): a row a member must not see is
 * never loaded, so no later code can leak it.
 */

export type NewMemberTicket = {
  status: TicketStatus;
  memberId: number;
  categoryId: number;
  assigneeId: number | null;
  title: string;
  contactPhone: string | null;
  contactQq: string | null;
  businessId: string | null;
  businessIp: string | null;
  businessType: string | null;
  createdAt: Date;
};

export function insertMemberTicket(db: DbOrTx, data: NewMemberTicket) {
  return db.ticket.create({
    data: { ...data, updatedAt: data.createdAt, memberActivityAt: data.createdAt },
    select: { id: true, status: true, escalation: true },
  });
}

export function findMemberServiceByBusinessId(db: DbOrTx, memberId: number, businessId: string) {
  return db.memberService.findUnique({
    where: { memberId_businessId: { memberId, businessId } },
    select: { businessId: true, ip: true, type: true },
  });
}

export function countMemberServices(db: DbOrTx, memberId: number) {
  return db.memberService.count({ where: { memberId } });
}

export type MemberTicketRow = {
  id: number;
  title: string;
  categoryName: string;
  status: TicketStatus;
  createdAt: Date;
  /** The member-visible last activity (memberActivityAt): staff-only work does not move it. */
  updatedAt: Date;
  unread: boolean;
  businessId: string | null;
  businessIp: string | null;
  /** Search rank: 0 the ticket number, 1 heading hit, 2 conversation hit; 0 without a search. */
  tier: number;
};

export type MemberTicketPageQuery = {
  memberId: number;
  status?: TicketStatus;
  /** A ticket number (exact) and/or text, searched in the member's public terms only (R7). */
  search?: string;
  /** Keyset: the last row of the previous page. */
  after?: { updatedAt: Date; id: number; tier: number };
  limit: number;
};

/**
 * 我的工单, one page in one query: keyset on the member-visible activity (memberActivityAt desc,
 * id desc), which the index Ticket(memberId, memberActivityAt desc, id desc) serves; the category name comes in by join so no
 * per-row lookups happen. With a search, three ranked tiers (ticket number, heading, public
 * conversation), each in that order. Raw SQL because Prisma would fetch the relation in a second query.
 */
export async function listMemberTicketPage(db: DbOrTx, q: MemberTicketPageQuery): Promise<MemberTicketRow[]> {
  const base: Prisma.Sql[] = [Prisma.sql`t."memberId" = ${q.memberId}`];
  if (q.status) base.push(Prisma.sql`t."status" = ${q.status}::"TicketStatus"`);
  const asNumber = q.search && /^\d{1,9}$/.test(q.search) ? Number(q.search) : null;
  const isNumber = Prisma.sql`t."id" = ${asNumber ?? 0}`;
  const tiers: Prisma.Sql[][] = q.search
    ? [[isNumber], [headMatches(q.search), Prisma.sql`NOT ${isNumber}`], [termsMatch("member", q.search), Prisma.sql`NOT ${headMatches(q.search)}`, Prisma.sql`NOT ${isNumber}`]]
    : [[]];
  const after = q.after;
  const parts = tiers.flatMap((conds, tier) => {
    if (after && tier < after.tier) return [];
    const keyset = after && tier === after.tier ? [Prisma.sql`(t."memberActivityAt", t."id") < (${after.updatedAt}::timestamptz, ${after.id})`] : [];
    // A member's own tickets are few: every match of a search is read and sorted (fenced).
    return [
      tierPage(
        Prisma.sql`SELECT t."id", t."memberActivityAt" AS k, ${tier}::int AS tier FROM "Ticket" t`,
        Prisma.sql`WHERE ${Prisma.join([...base, ...conds, ...keyset], " AND ")}`,
        Prisma.sql`k DESC, id DESC`,
        q.limit,
        !q.search,
      ),
    ];
  });
  return db.$queryRaw<MemberTicketRow[]>`
    WITH page AS (SELECT id, tier FROM (${Prisma.join(parts, " UNION ALL ")}) u ORDER BY tier, k DESC, id DESC LIMIT ${q.limit})
    SELECT t."id", t."title", c."name" AS "categoryName", t."status"::text AS "status",
           t."createdAt", t."memberActivityAt" AS "updatedAt", t."businessId", t."businessIp", page.tier,
           (t."lastReplyAt" IS NOT NULL AND (t."memberReadAt" IS NULL OR t."lastReplyAt" > t."memberReadAt")) AS "unread"
      FROM page
      JOIN "Ticket" t ON t."id" = page.id
      JOIN "Category" c ON c."id" = t."categoryId"
     ORDER BY page.tier, t."memberActivityAt" DESC, t."id" DESC`;
}

const publicAttachmentSelect = { id: true, fileName: true, mimeType: true, size: true, storageKey: true } as const;

/**
 * One of the member's own tickets with what its page shows, or null — another member's ticket
 * and a missing one look the same (R7: no existence leak). Only PUBLIC entries are loaded, and
 * attachments only through those entries.
 */
export function findMemberTicketDetail(db: DbOrTx, memberId: number, ticketId: number) {
  return db.ticket.findFirst({
    where: { id: ticketId, memberId },
    select: {
      id: true,
      title: true,
      memberId: true,
      contactPhone: true,
      contactQq: true,
      createdAt: true,
      respondedAt: true,
      finishedAt: true,
      status: true,
      escalation: true,
      partnerState: true,
      assigneeId: true,
      rating: true,
      ratingComment: true,
      ratedAt: true,
      businessId: true,
      businessIp: true,
      businessType: true,
      memberVersion: true,
      category: { select: { name: true, type: true, submitToApi: true } },
      assignee: { select: { displayName: true } },
      messages: {
        where: { visibility: "PUBLIC" },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: {
          id: true,
          authorKind: true,
          staffId: true,
          agentId: true,
          agentName: true,
          visibility: true,
          body: true,
          systemCode: true,
          systemParams: true,
          createdAt: true,
          attachments: { select: publicAttachmentSelect, orderBy: { id: "asc" } },
        },
      },
    },
  });
}
export type MemberTicketDetailRow = NonNullable<Awaited<ReturnType<typeof findMemberTicketDetail>>>;

/** Opening a ticket: not a lifecycle action, so no version bump, no updatedAt, no audit. */
export async function markTicketReadByMember(db: DbOrTx, memberId: number, ticketId: number, at: Date) {
  await db.ticket.updateMany({ where: { id: ticketId, memberId }, data: { memberReadAt: at } });
}

