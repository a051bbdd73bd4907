import { Prisma } from "../generated/client.ts";
import type { TicketStatus } from "../generated/enums.ts";
import type { DbOrTx } from "../client.ts";

/**
 * The member portal's queries. Every read is scoped by `memberId` in the WHERE clause and every
 * conversation read filters `visibility = PUBLIC` in SQL (R7): a row a member must not see is
 * never loaded, so no later code can leak it.
 */

/** The category a new ticket names, with what R10 needs (its own and its group's switch). */
export function findCategoryForNewTicket(db: DbOrTx, id: number) {
  return db.category.findUnique({
    where: { id },
    select: { id: true, type: true, enabled: true, group: { select: { enabled: true } } },
  });
}

export type NewMemberTicket = {
  memberId: number;
  categoryId: number;
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
    data: { ...data, status: "PENDING", updatedAt: data.createdAt, memberActivityAt: data.createdAt },
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
};

export type MemberTicketPageQuery = {
  memberId: number;
  status?: TicketStatus;
  /** A ticket number (exact) or part of a title. */
  search?: string;
  /** Keyset: the last row of the previous page. */
  after?: { key: Date; id: number };
  limit: number;
};

/**
 * 我的工单, one page in one query: keyset on (memberActivityAt desc, id desc), which the index
 * Ticket(memberId, memberActivityAt desc, id desc) serves; the category name comes in by join so no
 * per-row lookups happen. Raw SQL because Prisma would fetch the relation in a second query.
 */
export async function listMemberTicketPage(db: DbOrTx, q: MemberTicketPageQuery): Promise<MemberTicketRow[]> {
  const conditions: Prisma.Sql[] = [Prisma.sql`t."memberId" = ${q.memberId}`];
  if (q.status) conditions.push(Prisma.sql`t."status" = ${q.status}::"TicketStatus"`);
  if (q.search) {
    const pattern = `%${q.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const asNumber = /^\d{1,9}$/.test(q.search) ? Number(q.search) : null;
    conditions.push(
      asNumber !== null
        ? Prisma.sql`(t."id" = ${asNumber} OR t."title" ILIKE ${pattern})`
        : Prisma.sql`t."title" ILIKE ${pattern}`,
    );
  }
  if (q.after) {
    conditions.push(Prisma.sql`(t."memberActivityAt", t."id") < (${q.after.key}::timestamptz, ${q.after.id})`);
  }
  return db.$queryRaw<MemberTicketRow[]>`
    SELECT t."id", t."title", c."name" AS "categoryName", t."status"::text AS "status",
           t."createdAt", t."memberActivityAt" AS "updatedAt",
           (t."lastReplyAt" IS NOT NULL AND (t."memberReadAt" IS NULL OR t."lastReplyAt" > t."memberReadAt")) AS "unread"
      FROM "Ticket" t
      JOIN "Category" c ON c."id" = t."categoryId"
     WHERE ${Prisma.join(conditions, " AND ")}
     ORDER BY t."memberActivityAt" DESC, t."id" DESC
     LIMIT ${q.limit}`;
}

const publicAttachmentSelect = { id: true, fileName: true, mimeType: true, size: true } as const;

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

export function findStaffNames(db: DbOrTx, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.staff.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true } });
}

/** Opening a ticket: not a lifecycle action, so no version bump, no updatedAt, no audit. */
export async function markTicketReadByMember(db: DbOrTx, memberId: number, ticketId: number, at: Date) {
  await db.ticket.updateMany({ where: { id: ticketId, memberId }, data: { memberReadAt: at } });
}

