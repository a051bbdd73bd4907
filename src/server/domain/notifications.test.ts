import { describe, expect, it } from "vitest";
import {
  audiencesFor,
  CHAT_KINDS,
  CHAT_RATE_LIMITS,
  channelMayCarryDeadLetter,
  channelsFor,
  chatChannelMatches,
  isActor,
  kindsFor,
  nextSendAt,
  NOTIFICATION_KIND_NAMES,
  NOTIFICATION_KINDS,
  pruneSendLog,
  watchesCategory,
  type EventFacts,
} from "./notifications";
import { TICKET_ACTIONS } from "./ticket-lifecycle";

const base: EventFacts = {
  action: "staff.reply",
  actorKind: "STAFF",
  actorId: "1",
  fromStatus: "PROCESSING",
  toStatus: "REPLIED",
  fromEscalation: "NONE",
  toEscalation: "NONE",
  data: null,
  ticket: { memberId: 1100001, assigneeId: 2, categoryId: 7 },
  message: { visibility: "PUBLIC", authorKind: "STAFF" },
};
const facts = (over: Partial<EventFacts>): EventFacts => ({ ...base, ...over });

describe("who hears of what", () => {
  it("R7: a note, a system line or a staff-only entry never reaches the member, whatever the action says", () => {
    for (const action of TICKET_ACTIONS) {
      for (const message of [{ visibility: "STAFF_ONLY" as const, authorKind: "STAFF" as const }, { visibility: "STAFF_ONLY" as const, authorKind: "SYSTEM" as const }, { visibility: "PUBLIC" as const, authorKind: "SYSTEM" as const }]) {
        const told = audiencesFor(facts({ action, message })).filter((a) => a.to.type === "member");
        // Only the final close tells the member, and it quotes nothing (the fan-out names no message for it).
        expect(told.every((a) => a.kind === "ticket.finished"), `${action} with ${message.visibility} ${message.authorKind}`).toBe(true);
      }
    }
    expect(audiencesFor(facts({ action: "staff.note", message: { visibility: "STAFF_ONLY", authorKind: "STAFF" } }))).toEqual([]);
  });

  it("a public reply of staff or of 云技术客服 tells the member; the upstream's also tells the assignee", () => {
    expect(audiencesFor(base)).toEqual([{ kind: "ticket.replied", to: { type: "member", memberId: 1100001 } }]);
    expect(audiencesFor(facts({ action: "upstream.message", actorKind: "UPSTREAM_AGENT", message: { visibility: "PUBLIC", authorKind: "UPSTREAM_AGENT" } }))).toEqual([
      { kind: "ticket.replied", to: { type: "member", memberId: 1100001 } },
      { kind: "upstream.replied", to: { type: "staff", staffId: 2 } },
    ]);
    // A partner's ticket has no member of ours.
    expect(audiencesFor(facts({ ticket: { ...base.ticket, memberId: null } }))).toEqual([]);
  });

  it("news on a ticket nobody accepted goes to whoever watches its category", () => {
    const unassigned = { ...base.ticket, assigneeId: null };
    expect(audiencesFor(facts({ action: "member.reply", actorKind: "MEMBER", ticket: unassigned, message: { visibility: "PUBLIC", authorKind: "MEMBER" } }))).toEqual([
      { kind: "ticket.memberReplied", to: { type: "watchers", categoryId: 7 } },
    ]);
    expect(audiencesFor(facts({ action: "member.create", actorKind: "MEMBER", ticket: unassigned }))).toEqual([{ kind: "ticket.created", to: { type: "watchers", categoryId: 7 } }]);
    expect(audiencesFor(facts({ action: "partner.create", actorKind: "PARTNER", ticket: unassigned }))[0]!.kind).toBe("ticket.created");
  });

  it("returns and closes of the upstream tell the handler only when they changed something; a repeated close tells nobody", () => {
    expect(audiencesFor(facts({ action: "upstream.return", fromEscalation: "ESCALATED", toEscalation: "RETURNED", message: null }))).toEqual([{ kind: "upstream.returned", to: { type: "staff", staffId: 2 } }]);
    expect(audiencesFor(facts({ action: "upstream.return", fromEscalation: "RETURNED", toEscalation: "RETURNED", message: null }))).toEqual([]);
    expect(audiencesFor(facts({ action: "upstream.close", fromEscalation: "ESCALATED", toEscalation: "UPSTREAM_CLOSED", message: null }))[0]!.kind).toBe("upstream.closed");
    expect(audiencesFor(facts({ action: "staff.close", fromStatus: "REPLIED", toStatus: "COMPLETED", message: null }))).toEqual([{ kind: "ticket.finished", to: { type: "member", memberId: 1100001 } }]);
    expect(audiencesFor(facts({ action: "staff.close", fromStatus: "COMPLETED", toStatus: "COMPLETED", message: null }))).toEqual([]);
  });

  it("an assignment by a move tells the new assignee; a dead letter tells the super admins; accepts, syncs and escalations tell nobody", () => {
    expect(audiencesFor(facts({ action: "staff.move", data: { categoryId: null, assigneeId: 3 }, message: null }))).toEqual([{ kind: "ticket.assigned", to: { type: "staff", staffId: 3 } }]);
    expect(audiencesFor(facts({ action: "staff.move", data: { categoryId: 4, assigneeId: null }, message: null }))).toEqual([]);
    expect(audiencesFor(facts({ action: "delivery.dead", actorKind: "SYSTEM", message: null }))).toEqual([{ kind: "delivery.dead", to: { type: "superAdmins" } }]);
    for (const action of ["staff.accept", "staff.sync", "staff.escalate", "upstream.ack", "upstream.accept", "member.rate", "member.close"]) expect(audiencesFor(facts({ action, message: null }))).toEqual([]);
  });

  it("an SLA warning or breach tells the handler (the watchers while nobody accepted it); an auto-close reminder tells the member", () => {
    const sys = { actorKind: "SYSTEM" as const, actorId: null, message: null };
    expect(audiencesFor(facts({ action: "sla.warning", ...sys }))).toEqual([{ kind: "sla.warning", to: { type: "staff", staffId: 2 } }]);
    expect(audiencesFor(facts({ action: "sla.breached", ...sys, ticket: { ...base.ticket, assigneeId: null } }))).toEqual([
      { kind: "sla.breached", to: { type: "watchers", categoryId: 7 } },
    ]);
    expect(audiencesFor(facts({ action: "sla.autoCloseReminder", ...sys }))).toEqual([{ kind: "ticket.autoCloseReminder", to: { type: "member", memberId: 1100001 } }]);
    // A partner's ticket has no member of ours to remind.
    expect(audiencesFor(facts({ action: "sla.autoCloseReminder", ...sys, ticket: { ...base.ticket, memberId: null } }))).toEqual([]);
  });

  it("nobody is told of their own act", () => {
    expect(isActor(base, { kind: "STAFF", id: 1 })).toBe(true);
    expect(isActor(base, { kind: "STAFF", id: 2 })).toBe(false);
    expect(isActor(base, { kind: "MEMBER", id: 1 })).toBe(false);
  });
});

describe("preferences", () => {
  it("every kind has an audience and defaults; members choose among member kinds, staff among staff kinds; chats carry staff news only", () => {
    expect(kindsFor("member")).toEqual(["ticket.replied", "ticket.finished", "ticket.autoCloseReminder"]);
    expect([...kindsFor("member"), ...kindsFor("staff")].sort()).toEqual([...NOTIFICATION_KIND_NAMES].sort());
    expect(CHAT_KINDS).toEqual(kindsFor("staff"));
    // Members get mail by default (they are not in the console); staff opt in.
    for (const k of kindsFor("member")) expect(NOTIFICATION_KINDS[k].defaults).toEqual({ inApp: true, email: true });
    for (const k of kindsFor("staff")) expect(NOTIFICATION_KINDS[k].defaults).toEqual({ inApp: true, email: false });
  });

  it("a choice overrides the default for its kind only; null watch list means every category", () => {
    const s = { kinds: { "ticket.replied": { inApp: true, email: false } }, watchCategoryIds: null };
    expect(channelsFor(s, "ticket.replied")).toEqual({ inApp: true, email: false });
    expect(channelsFor(s, "ticket.finished")).toEqual({ inApp: true, email: true });
    expect(channelsFor(null, "ticket.created")).toEqual({ inApp: true, email: false });
    expect(watchesCategory(s, 9)).toBe(true);
    expect(watchesCategory({ kinds: {}, watchCategoryIds: [1, 2] }, 9)).toBe(false);
    expect(watchesCategory({ kinds: {}, watchCategoryIds: [] }, 1)).toBe(false);
  });

  it("a broken channel never announces its own dead letters", () => {
    expect(channelMayCarryDeadLetter("NOTIFY_EMAIL", "email")).toBe(false);
    expect(channelMayCarryDeadLetter("NOTIFY_EMAIL", "chat")).toBe(true);
    expect(channelMayCarryDeadLetter("NOTIFY_CHAT", "chat")).toBe(false);
    expect(channelMayCarryDeadLetter("UPSTREAM_REQUEST", "email")).toBe(true);
    expect(channelMayCarryDeadLetter(undefined, "chat")).toBe(true);
  });
});

describe("chat robots", () => {
  it("filters: kinds always, categories and assignees when set", () => {
    const f = { kinds: ["ticket.created"], categoryIds: [], assigneeIds: [] };
    expect(chatChannelMatches(f, "ticket.created", { categoryId: 1, assigneeId: null })).toBe(true);
    expect(chatChannelMatches(f, "ticket.memberReplied", { categoryId: 1, assigneeId: null })).toBe(false);
    expect(chatChannelMatches({ ...f, categoryIds: [2] }, "ticket.created", { categoryId: 1, assigneeId: null })).toBe(false);
    expect(chatChannelMatches({ ...f, assigneeIds: [5] }, "ticket.created", { categoryId: 1, assigneeId: null })).toBe(false);
    expect(chatChannelMatches({ ...f, assigneeIds: [5] }, "ticket.created", { categoryId: 1, assigneeId: 5 })).toBe(true);
  });

  it("DingTalk: the 21st message in a minute waits until the first leaves the window", () => {
    const w = CHAT_RATE_LIMITS.DINGTALK;
    const log = Array.from({ length: 20 }, (_, i) => 1_000 + i * 100);
    expect(nextSendAt(log.slice(0, 19), w, 3_000)).toBe(3_000);
    expect(nextSendAt(log, w, 3_000)).toBe(1_000 + 61_000);
    expect(nextSendAt(log, w, 62_001)).toBe(62_001);
    expect(nextSendAt([...log, 62_001], w, 62_050)).toBe(62_100);
  });

  it("Feishu: five a second and a hundred a minute, whichever is stricter", () => {
    const w = CHAT_RATE_LIMITS.FEISHU;
    expect(nextSendAt([0, 10, 20, 30, 40], w, 50)).toBe(1_100);
    const minute = Array.from({ length: 100 }, (_, i) => i * 500);
    expect(nextSendAt(minute, w, 50_000)).toBe(61_000);
    expect(pruneSendLog([...minute, 999_999], w, 70_000)).toEqual(minute.filter((t) => t > 70_000 - 61_000));
  });
});
