import type { Db } from "../db/client.ts";
import {
  findMemberTicketDetail,
  listMemberTicketPage,
  markTicketReadByMember,
  type MemberTicketDetailRow,
} from "../db/repos/portal-tickets.ts";
import { findStaffNames } from "../db/repos/staff-names.ts";
import { availableActions, isFinished, type TicketSnapshot } from "../domain/ticket-lifecycle.ts";
import { isEscalationEligible } from "../domain/category-rules.ts";
import { notFound } from "../errors.ts";
import { decodeKeysetCursor, encodeKeysetCursor } from "./keyset-cursor.ts";
import { presentMessage } from "../presenters/messages.ts";
import type { MemberViewer } from "../viewer.ts";
import type { MemberTicketListInput } from "./member-ticket-inputs.ts";
import type { Locale } from "@/i18n/messages";
import { searchHits } from "./search-hits.ts";
import { memberFacingText } from "./sharing-service.ts";

/** What the portal reads. Scoping (own tickets, public entries) lives in the repository's SQL. */

/** 我的工单: one page, newest activity first, with the unread marker; a search ranks and highlights. */
export async function listMyTickets(db: Db, viewer: MemberViewer, input: MemberTicketListInput) {
  const cursor = input.cursor ? decodeKeysetCursor(input.cursor, "portal.errors.badCursor") : undefined;
  const rows = await listMemberTicketPage(db, {
    memberId: viewer.memberId,
    status: input.status,
    search: input.search || undefined,
    after: cursor ? { updatedAt: cursor.key, id: cursor.id, tier: cursor.tier } : undefined,
    limit: input.limit + 1, // one extra row says whether another page exists
  });
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  const hits = input.search ? await searchHits(db, "member", input.search, page) : null;
  const items = page.map(({ businessId: _id, businessIp: _ip, tier: _tier, ...row }) => ({
    ...row,
    search: hits?.get(row.id) ?? null,
  }));
  const nextCursor = rows.length > input.limit && last ? encodeKeysetCursor({ key: last.updatedAt, id: last.id, tier: last.tier }) : null;
  return { items, nextCursor };
}

function memberSnapshot(t: MemberTicketDetailRow): TicketSnapshot {
  return {
    status: t.status,
    escalation: t.escalation,
    partnerState: t.partnerState,
    accepted: t.assigneeId !== null,
    categoryEligible: isEscalationEligible(t.category),
    rated: t.rating !== null,
  };
}

/**
 * The ticket page (工单信息): the fields a member may see — no GUID, escalation state or staff
 * ids — the public conversation, and which buttons to show. Opening it clears the unread marker.
 */
export async function openMyTicket(db: Db, viewer: MemberViewer, ticketId: number, view: { locale: Locale; timeZone: string }) {
  const t = await findMemberTicketDetail(db, viewer.memberId, ticketId);
  if (!t) throw notFound("ticket");
  const staffIds = [...new Set(t.messages.flatMap((m) => (m.staffId === null ? [] : [m.staffId])))];
  const [names, facing] = await Promise.all([
    findStaffNames(db, staffIds).then((rows) => new Map(rows.map((s) => [s.id, s.displayName]))),
    memberFacingText(db, [t.id]),
  ]);
  await markTicketReadByMember(db, viewer.memberId, t.id, new Date());

  const actions = availableActions(memberSnapshot(t), "member");
  return {
    id: t.id,
    title: t.title,
    categoryName: t.category.name,
    memberId: t.memberId,
    contactPhone: t.contactPhone,
    contactQq: t.contactQq,
    createdAt: t.createdAt,
    respondedAt: t.respondedAt,
    assigneeName: t.assignee?.displayName ?? null,
    status: t.status,
    finishedAt: t.finishedAt,
    rating: t.rating,
    ratingComment: t.ratingComment,
    ratedAt: t.ratedAt,
    businessId: t.businessId,
    businessIp: t.businessIp,
    businessType: t.businessType,
    /** The member-visible version: what the member's close sends back (staff-only work leaves it). */
    version: t.memberVersion,
    /** 已完成: the page says the ticket is finished (the domain's definition, not the page's). */
    finished: isFinished(t),
    can: {
      reply: actions.includes("member.reply"),
      close: actions.includes("member.close"),
      rate: actions.includes("member.rate"),
    },
    messages: t.messages.map((m) => {
      const staffName = m.staffId === null ? undefined : names.get(m.staffId);
      // Only PUBLIC rows were loaded, so the staff-only flag carries nothing for a member.
      const { staffOnly: _alwaysFalse, ...shown } = presentMessage(
        { ...m, staff: staffName ? { displayName: staffName } : null },
        view.locale,
        view.timeZone,
        "member",
      );
      return { ...shown, body: facing(t.id, m.authorKind, shown.body) };
    }),
  };
}
type MemberTicketView = Awaited<ReturnType<typeof openMyTicket>>;

