import type { Db } from "../db/client.ts";
import { findTicketEvents } from "../db/repos/audit.ts";
import { findForwardedMessages } from "../db/repos/sharing.ts";
import { findConversationPage, findTicketDetail, type ConversationRow, type TicketDetailRow } from "../db/repos/ticket-detail.ts";
import { consoleControls } from "../domain/console-controls.ts";
import { isEscalationEligible } from "../domain/category-rules.ts";
import { notFound } from "../errors.ts";
import { presentMessage } from "../presenters/messages.ts";
import { snapshotOf } from "./ticket-command.ts";
import { decodeKeysetCursor, encodeKeysetCursor } from "./keyset-cursor.ts";
import { translate, type Locale } from "@/i18n/messages";
import { formatDateTime } from "@/lib/datetime";
import { isAwaitingUpstreamAck } from "../domain/upstream-link.ts";
import { SLA_ACTIONS } from "../domain/notifications.ts";
import { presentTicketSla } from "./sla-view.ts";

const SLA_AUDIT_ACTIONS: ReadonlySet<string> = new Set(Object.values(SLA_ACTIONS));

type View = { locale: Locale; timeZone: string };

/** 工单编号 as the manual writes it: `598 [GUID: 1556285580167838]`, 转移中 while unacknowledged. */
function ticketNumber(t: TicketDetailRow) {
  const guid = t.escalation !== "NONE" ? (t.upstream?.guid ?? null) : null;
  return {
    text: guid ? `${t.id} [GUID: ${guid}]` : String(t.id),
    guid,
    transferring: isAwaitingUpstreamAck({ escalation: t.escalation, link: t.upstream }),
  };
}

function basicInfo(t: TicketDetailRow, { locale, timeZone }: View) {
  const api = isEscalationEligible(t.category);
  const dash = (v: string | number | null | undefined) => (v === null || v === undefined || v === "" ? "-" : String(v));
  return {
    title: t.title,
    number: ticketNumber(t),
    category: `${t.category.name}${api ? " [API]" : ""}`,
    categoryId: t.category.id,
    group: t.category.group.name,
    memberId: dash(t.memberId),
    contactPhone: dash(t.contactPhone),
    contactQq: dash(t.contactQq),
    createdAt: formatDateTime(t.createdAt, timeZone),
    respondedAt: formatDateTime(t.respondedAt, timeZone),
    assignee: t.assignee?.displayName ?? "-",
    assigneeId: t.assigneeId,
    status: translate(locale, `tickets.status.${t.status}`),
    statusCode: t.status,
    escalation: t.escalation,
    finishedAt: formatDateTime(t.finishedAt, timeZone),
    rating: t.rating === null ? "-" : `${"★".repeat(t.rating)}${"☆".repeat(5 - t.rating)}${t.ratingComment ? ` ${t.ratingComment}` : ""}`,
    businessId: dash(t.businessId),
    businessIp: dash(t.businessIp),
    businessType: dash(t.businessType),
  };
}

function actorLine(e: { actorKind: string; actorId: string | null; actorName: string | null }, locale: Locale) {
  switch (e.actorKind) {
    case "STAFF":
      return `${e.actorName ?? translate(locale, "tickets.author.staff")}(ID: ${e.actorId ?? "-"})`;
    case "MEMBER":
      return `${translate(locale, "tickets.author.member")}${e.actorId ? `(ID: ${e.actorId})` : ""}`;
    case "UPSTREAM_AGENT":
      return e.actorId ? translate(locale, "tickets.author.upstreamAgentWithId", { id: e.actorId }) : translate(locale, "tickets.author.upstreamAgent");
    case "PARTNER":
      return translate(locale, "tickets.author.partner", { name: e.actorName ?? "" });
    default:
      return translate(locale, "tickets.author.system");
  }
}

const reasonOf = (data: unknown) => {
  const reason = (data as { reason?: unknown } | null)?.reason;
  return typeof reason === "string" ? reason : null;
};

/** A conversation page: this many messages at a time, the newest first (older ones on demand). */
export const CONVERSATION_PAGE = 50;
/** 操作记录 shows the newest actions; the whole trail stays in the database. */
export const AUDIT_TRAIL_LIMIT = 200;

type Forwarded = Map<number, { masked: boolean }>;

function presentConversation(rows: ConversationRow[], limit: number, { locale, timeZone }: View, forwarded: Forwarded) {
  const page = rows.slice(0, limit);
  const oldest = page.at(-1);
  return {
    // Shown oldest first, as the manual's 沟通记录 reads.
    messages: page.reverse().map((m) => {
      const shown = presentMessage({ ...m, staff: m.staffName ? { displayName: m.staffName } : null }, locale, timeZone, "staff");
      // 已转发 / 已转发（已脱敏）: the upstream accepted this entry (staff only: members never see this page).
      return { ...shown, createdAt: formatDateTime(m.createdAt, timeZone), forwarded: forwarded.get(m.id) ?? null };
    }),
    /** Where the next older page starts; null when the first message is shown. */
    olderCursor: rows.length > limit && oldest ? encodeKeysetCursor({ key: oldest.createdAt, id: oldest.id }) : null,
  };
}

/** 沟通记录: the page of messages before `cursor` (null = the newest). */
export async function getConversationPage(db: Db, ticketId: number, cursor: string | null | undefined, limit: number, view: View) {
  const before = cursor ? decodeKeysetCursor(cursor) : null;
  const [ticket, rows, forwarded] = await Promise.all([
    findTicketDetail(db, ticketId),
    findConversationPage(db, ticketId, before, limit + 1),
    findForwardedMessages(db, ticketId),
  ]);
  if (!ticket) throw notFound("ticket");
  return presentConversation(rows, limit, view, forwarded);
}

/** What the console shows on 工单信息: basic info, the 操作 controls, the newest 沟通记录 and 操作记录. */
export async function getTicketDetail(db: Db, ticketId: number, view: View, now: Date = new Date()) {
  const [ticket, conversation, events, forwarded] = await Promise.all([
    findTicketDetail(db, ticketId),
    findConversationPage(db, ticketId, null, CONVERSATION_PAGE + 1),
    findTicketEvents(db, ticketId, AUDIT_TRAIL_LIMIT),
    findForwardedMessages(db, ticketId),
  ]);
  if (!ticket) throw notFound("ticket");
  const { locale, timeZone } = view;
  const { messages, olderCursor } = presentConversation(conversation, CONVERSATION_PAGE, view, forwarded);
  return {
    id: ticket.id,
    /** Every mutation sends this back as expectedVersion. */
    version: ticket.version,
    info: basicInfo(ticket, view),
    partner: ticket.partner ? { name: ticket.partner.name, ticketNo: ticket.partnerTicketNo, state: ticket.partnerState, guid: ticket.guid } : null,
    upstream: ticket.upstream ? { connection: ticket.upstream.connection.name, state: ticket.upstream.state, lastSyncedAt: formatDateTime(ticket.upstream.lastSyncedAt, timeZone) } : null,
    controls: consoleControls(snapshotOf(ticket)),
    sla: presentTicketSla(ticket, now, timeZone),
    messages,
    olderCursor,
    events: events.reverse().map((e) => ({
      id: e.id,
      action: e.action,
      actor: actorLine(e, locale),
      at: formatDateTime(e.createdAt, timeZone),
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      fromEscalation: e.fromEscalation,
      toEscalation: e.toEscalation,
      /** The sweep's audit line (即将超时 / 已超时 …), written by the system in the manual's words. */
      detail: SLA_AUDIT_ACTIONS.has(e.action) ? reasonOf(e.data) : null,
    })),
  };
}
type TicketDetail = Awaited<ReturnType<typeof getTicketDetail>>;
