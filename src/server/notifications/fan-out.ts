// The fan-out: audit rows → notifications. Runs in the worker after the change committed, never in
// the request. Each round leases pending TicketEvents under FOR UPDATE SKIP LOCKED and, in the same
// transaction, writes the in-app rows, queues mails and chat messages (outbox) and clears the rows'
// pending flag — so any number of workers tell everybody once, and a crash mid-round repeats the
// round, never half of it.
import type { Db, Tx } from "../db/client.ts";
import { inTransaction } from "../db/transaction.ts";
import {
  claimPendingEvents,
  enqueueOutboxRows,
  findActiveStaffForFanout,
  findFirstPublicMessages,
  findMembersForFanout,
  findMessagesForFanout,
  findPreferences,
  findTicketsForFanout,
  insertNotifications,
  markEventsFannedOut,
  type NewNotification,
  type NewOutboxRow,
  type PendingEvent,
} from "../db/repos/notifications.ts";
import { listEnabledChatChannels, type ChatChannelRow } from "../db/repos/notification-channels.ts";
import { memberFacingText, type MemberFacing } from "../services/sharing-service.ts";
import {
  audiencesFor,
  channelMayCarryDeadLetter,
  channelsFor,
  chatChannelMatches,
  DELIVERY_DEAD_ACTION,
  isActor,
  NOTIFICATION_KINDS,
  watchesCategory,
  type EventFacts,
  type NotificationKind,
  type NotificationSettings,
} from "../domain/notifications.ts";
import type { NotificationDeps } from "./deps.ts";
import { ruleChannelsOf } from "../domain/automation.ts";
import { resolveSmtp } from "./mailer.ts";
import { parseSettings } from "./preferences.ts";
import type { ChatItem } from "./chat/item.ts";
import { resolveLocale, translate, type Locale } from "@/i18n/messages";

const FANOUT_BATCH = 100;
const EXCERPT_CHARS = 200;

type Ticket = Awaited<ReturnType<typeof findTicketsForFanout>>[number];
type Message = { id: number; ticketId: number; authorKind: string; visibility: string; body: string; staffId: number | null; agentName: string | null };
type Person = { kind: "MEMBER" | "STAFF"; id: number; email: string | null; locale: Locale; settings: NotificationSettings | null; superAdmin: boolean };

const excerptOf = (text: string) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS - 1)}…` : flat;
};

/** The actor as the audience may read them: members see staff names and 云技术客服, never ids. */
function actorNameFor(e: PendingEvent, audience: "member" | "staff", locale: Locale): string | null {
  switch (e.actorKind) {
    case "STAFF":
      return e.actorName;
    case "MEMBER":
      return audience === "staff" ? `${translate(locale, "tickets.author.member")}${e.actorId ? `(ID: ${e.actorId})` : ""}` : null;
    case "UPSTREAM_AGENT":
      return audience === "staff" && e.actorId
        ? translate(locale, "tickets.author.upstreamAgentWithId", { id: e.actorId })
        : translate(locale, "tickets.author.upstreamAgent");
    case "PARTNER":
      return translate(locale, "tickets.author.partner", { name: e.actorName ?? "" });
    default:
      return null;
  }
}

/** What a notification quotes: the public message, never a note (audiencesFor checked it). */
function excerptFor(e: PendingEvent, message: Message | undefined, facing?: MemberFacing): string | null {
  if (e.action === DELIVERY_DEAD_ACTION) {
    const d = (e.data ?? {}) as { type?: string; error?: string };
    return excerptOf(`${d.type ?? ""}: ${d.error ?? ""}`);
  }
  if (message && message.visibility === "PUBLIC") return excerptOf(facing ? facing(e.ticketId, message.authorKind, message.body) : message.body);
  const reason = (e.data as { reason?: unknown } | null)?.reason;
  return typeof reason === "string" && reason ? excerptOf(reason) : null;
}

async function loadRound(tx: Tx, events: PendingEvent[]) {
  const ticketIds = [...new Set(events.map((e) => e.ticketId))];
  const messageIds = [...new Set(events.flatMap((e) => (e.messageId !== null ? [e.messageId] : [])))];
  const creates = events.filter((e) => e.messageId === null && (e.action === "member.create" || e.action === "partner.create")).map((e) => e.ticketId);
  const [tickets, messages, firsts, staff, channels] = await Promise.all([
    findTicketsForFanout(tx, ticketIds),
    findMessagesForFanout(tx, messageIds),
    findFirstPublicMessages(tx, creates),
    findActiveStaffForFanout(tx),
    listEnabledChatChannels(tx),
  ]);
  const memberIds = [...new Set(tickets.flatMap((t) => (t.memberId !== null ? [t.memberId] : [])))];
  const [members, memberPrefs, staffPrefs] = await Promise.all([
    findMembersForFanout(tx, memberIds),
    findPreferences(tx, "MEMBER", memberIds),
    findPreferences(tx, "STAFF", staff.map((s) => s.id)),
  ]);
  const prefs = (rows: { recipientId: number; settings: unknown }[]) => new Map(rows.map((r) => [r.recipientId, parseSettings(r.settings)]));
  const mPrefs = prefs(memberPrefs);
  const sPrefs = prefs(staffPrefs);
  return {
    tickets: new Map(tickets.map((t) => [t.id, t])),
    messages: new Map<number, Message>(messages.map((m) => [m.id, m])),
    firstMessages: new Map<number, Message>(firsts.map((m) => [m.ticketId, m])),
    members: new Map<number, Person>(
      members.map((m) => [m.id, { kind: "MEMBER", id: m.id, email: m.email, locale: resolveLocale(m.locale), settings: mPrefs.get(m.id) ?? null, superAdmin: false }]),
    ),
    staff: staff.map<Person>((s) => ({ kind: "STAFF", id: s.id, email: s.email, locale: resolveLocale(s.locale), settings: sPrefs.get(s.id) ?? null, superAdmin: s.role === "SUPER_ADMIN" })),
    channels,
  };
}
type Round = Awaited<ReturnType<typeof loadRound>>;

function factsOf(e: PendingEvent, ticket: Ticket, message: Message | undefined): EventFacts {
  return {
    action: e.action,
    actorKind: e.actorKind,
    actorId: e.actorId,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    fromEscalation: e.fromEscalation,
    toEscalation: e.toEscalation,
    data: e.data,
    ticket: { memberId: ticket.memberId, assigneeId: ticket.assigneeId, categoryId: ticket.categoryId },
    message: message ? { visibility: message.visibility as "PUBLIC" | "STAFF_ONLY", authorKind: message.authorKind as EventFacts["actorKind"] } : null,
  };
}

function recipientsOf(rule: ReturnType<typeof audiencesFor>[number]["to"], round: Round): Person[] {
  switch (rule.type) {
    case "member": {
      const m = round.members.get(rule.memberId);
      return m ? [m] : [];
    }
    case "staff":
      return round.staff.filter((s) => s.id === rule.staffId);
    case "watchers":
      return round.staff.filter((s) => watchesCategory(s.settings, rule.categoryId));
    case "superAdmins":
      return round.staff.filter((s) => s.superAdmin);
  }
}

/** One round; returns how many audit rows it fanned out (0 = nothing pending). */
export async function fanOutNotifications(db: Db, deps: NotificationDeps, limit = FANOUT_BATCH): Promise<number> {
  return inTransaction(db, async (tx) => {
    const events = await claimPendingEvents(tx, limit);
    if (events.length === 0) return 0;
    const round = await loadRound(tx, events);
    const facing = await memberFacingText(tx, events.map((e) => e.ticketId));
    const mailOn = (await resolveSmtp(tx, deps)) !== null;

    const rows: NewNotification[] = [];
    const wantsMail = new Map<string, { kind: NotificationKind; ticketId: number }>();
    const chat: NewOutboxRow[] = [];
    const keyOf = (eventId: number, kind: string, id: number) => `${eventId}:${kind}:${id}`;

    for (const e of events) {
      const ticket = round.tickets.get(e.ticketId);
      if (!ticket) continue;
      const message = e.messageId !== null ? round.messages.get(e.messageId) : round.firstMessages.get(e.ticketId);
      const facts = factsOf(e, ticket, message);
      const deadKind = e.action === DELIVERY_DEAD_ACTION ? (e.data as { outboxKind?: string } | null)?.outboxKind : undefined;
      const told = new Set<string>();
      const staffKinds = new Set<NotificationKind>();

      for (const { kind, to } of audiencesFor(facts)) {
        const audience = NOTIFICATION_KINDS[kind].audience;
        if (audience === "staff") staffKinds.add(kind);
        for (const person of recipientsOf(to, round)) {
          const id = `${person.kind}:${person.id}`;
          if (told.has(id) || isActor(facts, person)) continue;
          const choice = channelsFor(person.settings, kind);
          const mail = choice.email && mailOn && !!person.email && channelMayCarryDeadLetter(deadKind, "email");
          if (!choice.inApp && !mail) continue;
          told.add(id);
          rows.push({
            recipientKind: person.kind,
            recipientId: person.id,
            eventId: e.id,
            ticketId: ticket.id,
            kind,
            actorName: actorNameFor(e, audience, person.locale),
            ticketTitle: ticket.title,
            messageId: message && message.visibility === "PUBLIC" ? message.id : null,
            excerpt: excerptFor(e, message, audience === "member" ? facing : undefined),
            inApp: choice.inApp,
          });
          if (mail) wantsMail.set(keyOf(e.id, person.kind, person.id), { kind, ticketId: ticket.id });
        }
      }
      if (channelMayCarryDeadLetter(deadKind, "chat")) chat.push(...chatRowsFor(e, ticket, message, [...staffKinds], round.channels));
    }

    const inserted = await insertNotifications(tx, rows);
    const mails = inserted.flatMap<NewOutboxRow>((n) => {
      const wanted = wantsMail.get(keyOf(n.eventId, n.recipientKind, n.recipientId));
      if (!wanted) return [];
      // One person's mails go out in order (a reply before the close that followed it).
      const orderingKey = `email:${n.recipientKind.toLowerCase()}:${n.recipientId}`;
      return [{ kind: "NOTIFY_EMAIL", type: wanted.kind, ticketId: wanted.ticketId, orderingKey, payload: { notificationId: n.id } }];
    });
    await enqueueOutboxRows(tx, [...mails, ...chat]);
    await markEventsFannedOut(tx, events.map((e) => e.id));
    return events.length;
  });
}

/**
 * One chat message per (event, robot), for the first of the event's staff kinds the robot takes;
 * a robot an automation rule named takes the event's first staff kind whatever its own filters.
 */
function chatRowsFor(e: PendingEvent, ticket: Ticket, message: Message | undefined, kinds: NotificationKind[], channels: ChatChannelRow[]): NewOutboxRow[] {
  const out: NewOutboxRow[] = [];
  const named = ruleChannelsOf(e.data);
  for (const channel of channels) {
    const kind = named.includes(channel.id) ? kinds[0] : kinds.find((k) => chatChannelMatches(channel, k, ticket));
    if (!kind) continue;
    const locale = resolveLocale(channel.locale);
    const item: ChatItem = {
      channelId: channel.id,
      eventId: e.id,
      kind,
      ticketId: ticket.id,
      title: ticket.title,
      category: ticket.category.name,
      actor: actorNameFor(e, "staff", locale),
      excerpt: excerptFor(e, message),
      assigneeId: ticket.assigneeId,
      at: e.createdAt.toISOString(),
    };
    out.push({ kind: "NOTIFY_CHAT", type: kind, ticketId: ticket.id, orderingKey: `chat:${channel.id}`, payload: item });
  }
  return out;
}
