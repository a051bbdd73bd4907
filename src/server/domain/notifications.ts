/**
 * Who hears of what (docs/NOTIFICATIONS.md). Notifications are a projection of the audit trail:
 * every ticket change writes a TicketEvent, and this table turns one into the people (and team
 * chats) to tell. Pure: the fan-out loads the facts, these functions decide.
 */

/** A person's channels: the bell (in-app) and e-mail. Team chats are configured per robot. */
export type ChannelChoice = { inApp: boolean; email: boolean };

type KindSpec = { audience: "member" | "staff"; defaults: ChannelChoice };

/** Every kind of notification, whom it is for, and what a person gets before choosing. */
export const NOTIFICATION_KINDS = {
  /** 客服 or 云技术客服 wrote a public reply on the member's ticket. */
  "ticket.replied": { audience: "member", defaults: { inApp: true, email: true } },
  /** The member's ticket was finished (关闭) by staff. */
  "ticket.finished": { audience: "member", defaults: { inApp: true, email: true } },
  /** A new ticket in a category the staff member watches. */
  "ticket.created": { audience: "staff", defaults: { inApp: true, email: false } },
  /** The member (or a partner for its member) replied on a ticket the staff member accepted. */
  "ticket.memberReplied": { audience: "staff", defaults: { inApp: true, email: false } },
  /** A ticket was assigned to the staff member by someone else (移动工单). */
  "ticket.assigned": { audience: "staff", defaults: { inApp: true, email: false } },
  "upstream.replied": { audience: "staff", defaults: { inApp: true, email: false } },
  "upstream.returned": { audience: "staff", defaults: { inApp: true, email: false } },
  "upstream.closed": { audience: "staff", defaults: { inApp: true, email: false } },
  /** The member's ticket waits for them and will be closed automatically soon (自动关闭提醒). */
  "ticket.autoCloseReminder": { audience: "member", defaults: { inApp: true, email: true } },
  /** A service-level deadline (ours or the upstream's) reached its warning threshold: 即将超时. */
  "sla.warning": { audience: "staff", defaults: { inApp: true, email: false } },
  /** A service-level deadline passed: 已超时. */
  "sla.breached": { audience: "staff", defaults: { inApp: true, email: false } },
  /** A delivery (upstream request, partner callback, mail, chat message) went to dead letters. */
  "delivery.dead": { audience: "staff", defaults: { inApp: true, email: false } },
} as const satisfies Record<string, KindSpec>;

export type NotificationKind = keyof typeof NOTIFICATION_KINDS;
export const NOTIFICATION_KIND_NAMES = Object.keys(NOTIFICATION_KINDS) as NotificationKind[];
export const kindsFor = (audience: "member" | "staff") => NOTIFICATION_KIND_NAMES.filter((k) => NOTIFICATION_KINDS[k].audience === audience);
/** What a team chat may carry: staff news only (a member's kinds are personal). */
export const CHAT_KINDS = kindsFor("staff");

export function isNotificationKind(value: string): value is NotificationKind {
  return Object.hasOwn(NOTIFICATION_KINDS, value);
}

/** The audit actions of the SLA sweep (written by the worker, not by a ticket command). */
export const SLA_ACTIONS = { WARNING: "sla.warning", BREACHED: "sla.breached", AUTO_CLOSE_REMINDER: "sla.autoCloseReminder" } as const;

/** The audit action of a dead letter (written by the outbox, not by a ticket command). */
export const DELIVERY_DEAD_ACTION = "delivery.dead";

/** The facts of one audit row the decision needs. */
export type EventFacts = {
  action: string;
  actorKind: "MEMBER" | "STAFF" | "UPSTREAM_AGENT" | "PARTNER" | "SYSTEM";
  actorId: string | null;
  fromStatus: string | null;
  toStatus: string | null;
  fromEscalation: string | null;
  toEscalation: string | null;
  data: unknown;
  ticket: { memberId: number | null; assigneeId: number | null; categoryId: number };
  /** The conversation entry the action wrote, when there is one. */
  message: { visibility: "PUBLIC" | "STAFF_ONLY"; authorKind: EventFacts["actorKind"] } | null;
};

export type RecipientRule =
  | { type: "member"; memberId: number }
  | { type: "staff"; staffId: number }
  /** Staff who watch the category (new tickets; news on a ticket nobody accepted). */
  | { type: "watchers"; categoryId: number }
  | { type: "superAdmins" };

export type Audience = { kind: NotificationKind; to: RecipientRule };

/** The member hears only of a public entry a person wrote on their side's behalf (R7). */
const isPublicReplyTo = (facts: EventFacts, authors: EventFacts["actorKind"][]) =>
  facts.message !== null && facts.message.visibility === "PUBLIC" && authors.includes(facts.message.authorKind);

/** The person handling the ticket, or — while nobody accepted it — whoever watches its category. */
const handler = (facts: EventFacts): RecipientRule =>
  facts.ticket.assigneeId !== null ? { type: "staff", staffId: facts.ticket.assigneeId } : { type: "watchers", categoryId: facts.ticket.categoryId };

const member = (facts: EventFacts): RecipientRule[] => (facts.ticket.memberId !== null ? [{ type: "member", memberId: facts.ticket.memberId }] : []);

/**
 * Who is told of one audit row, and as which kind. Notes, system lines, syncs, accepts and every
 * other action tell nobody. The fan-out drops the actor themself and applies preferences.
 */
export function audiencesFor(facts: EventFacts): Audience[] {
  const to = (kind: NotificationKind, rules: RecipientRule[]) => rules.map((rule) => ({ kind, to: rule }));
  switch (facts.action) {
    case "member.create":
    case "partner.create":
      // An automation rule may hand the new ticket to someone at once: they hear of it as theirs.
      return [
        ...to("ticket.assigned", facts.ticket.assigneeId !== null ? [{ type: "staff", staffId: facts.ticket.assigneeId }] : []),
        ...to("ticket.created", [{ type: "watchers", categoryId: facts.ticket.categoryId }]),
      ];
    case "staff.reply":
      return isPublicReplyTo(facts, ["STAFF"]) ? to("ticket.replied", member(facts)) : [];
    case "upstream.message":
      if (!isPublicReplyTo(facts, ["UPSTREAM_AGENT"])) return [];
      return [...to("ticket.replied", member(facts)), ...to("upstream.replied", [handler(facts)])];
    case "member.reply":
    case "partner.message":
      return isPublicReplyTo(facts, ["MEMBER", "PARTNER"]) ? to("ticket.memberReplied", [handler(facts)]) : [];
    case "staff.close":
      return facts.fromStatus !== facts.toStatus ? to("ticket.finished", member(facts)) : [];
    case "upstream.return":
      return facts.fromEscalation !== facts.toEscalation ? to("upstream.returned", [handler(facts)]) : [];
    case "upstream.close":
      return facts.fromEscalation !== facts.toEscalation ? to("upstream.closed", [handler(facts)]) : [];
    case "staff.move": {
      const assigneeId = (facts.data as { assigneeId?: unknown } | null)?.assigneeId;
      return typeof assigneeId === "number" ? to("ticket.assigned", [{ type: "staff", staffId: assigneeId }]) : [];
    }
    case SLA_ACTIONS.WARNING:
      return to("sla.warning", [handler(facts)]);
    case SLA_ACTIONS.BREACHED:
      return to("sla.breached", [handler(facts)]);
    case SLA_ACTIONS.AUTO_CLOSE_REMINDER:
      return to("ticket.autoCloseReminder", member(facts));
    case DELIVERY_DEAD_ACTION:
      return to("delivery.dead", [{ type: "superAdmins" }]);
    default:
      return [];
  }
}

/** Nobody is told of what they did themself. */
export function isActor(facts: Pick<EventFacts, "actorKind" | "actorId">, recipient: { kind: "MEMBER" | "STAFF"; id: number }): boolean {
  return facts.actorKind === recipient.kind && facts.actorId === String(recipient.id);
}

// ---------------------------------------------------------------------------------------------
// Preferences (per person: kinds × channels; staff also choose the categories they watch).

export type NotificationSettings = {
  kinds: Partial<Record<NotificationKind, ChannelChoice>>;
  /** Staff: categories whose new tickets they hear of; null = every category. */
  watchCategoryIds: number[] | null;
};

export const DEFAULT_SETTINGS: NotificationSettings = { kinds: {}, watchCategoryIds: null };

export function channelsFor(settings: NotificationSettings | null, kind: NotificationKind): ChannelChoice {
  return settings?.kinds[kind] ?? NOTIFICATION_KINDS[kind].defaults;
}

export function watchesCategory(settings: NotificationSettings | null, categoryId: number): boolean {
  const ids = settings?.watchCategoryIds ?? null;
  return ids === null || ids.includes(categoryId);
}

/**
 * A dead letter of a mail is not announced by mail, nor a chat message's in the chat: a broken
 * channel must not feed itself.
 */
export function channelMayCarryDeadLetter(deadKind: string | undefined, channel: "email" | "chat"): boolean {
  return !(channel === "email" ? deadKind === "NOTIFY_EMAIL" : deadKind === "NOTIFY_CHAT");
}

// ---------------------------------------------------------------------------------------------
// Team chat robots: filters and the vendors' rate limits.

export type ChatFilter = { kinds: string[]; categoryIds: number[]; assigneeIds: number[] };

export function chatChannelMatches(filter: ChatFilter, kind: NotificationKind, ticket: { categoryId: number; assigneeId: number | null }): boolean {
  if (!filter.kinds.includes(kind)) return false;
  if (filter.categoryIds.length > 0 && !filter.categoryIds.includes(ticket.categoryId)) return false;
  if (filter.assigneeIds.length > 0 && (ticket.assigneeId === null || !filter.assigneeIds.includes(ticket.assigneeId))) return false;
  return true;
}

export type RateWindow = { ms: number; max: number };

/**
 * The vendors' published limits, per robot: DingTalk 20 a minute (over it the robot is muted for
 * 10 minutes), Feishu 5 a second and 100 a minute, WeCom 20 a minute. Our generic webhook keeps
 * to one a second. A margin of a second on each window absorbs clock skew between us and them.
 */
export const CHAT_RATE_LIMITS: Record<"DINGTALK" | "WECOM" | "FEISHU" | "WEBHOOK", RateWindow[]> = {
  DINGTALK: [{ ms: 61_000, max: 20 }],
  WECOM: [{ ms: 61_000, max: 20 }],
  FEISHU: [
    { ms: 1_100, max: 5 },
    { ms: 61_000, max: 100 },
  ],
  WEBHOOK: [{ ms: 61_000, max: 60 }],
};

/** The send times still inside the longest window (what the channel row keeps). */
export function pruneSendLog(log: readonly number[], windows: readonly RateWindow[], now: number): number[] {
  const longest = Math.max(...windows.map((w) => w.ms));
  return log.filter((t) => t > now - longest && t <= now).sort((a, b) => a - b);
}

/** When the next message may go: `now` if every window has room, else the earliest time one frees up. */
export function nextSendAt(log: readonly number[], windows: readonly RateWindow[], now: number): number {
  let at = now;
  for (const w of windows) {
    const inWindow = log.filter((t) => t > now - w.ms && t <= now).sort((a, b) => a - b);
    if (inWindow.length >= w.max) {
      // The oldest send that must leave the window before one more fits.
      at = Math.max(at, inWindow[inWindow.length - w.max]! + w.ms);
    }
  }
  return at;
}
