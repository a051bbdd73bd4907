import { describe, expect, it } from "vitest";
import { OFFICE_DAY, OFFICE_WEEK, ROUND_THE_CLOCK_WEEK, type BusinessCalendar, type WorkPeriod } from "./business-calendar";
import { CHINA_OFFICIAL_DAYS } from "./china-public-holidays";
import {
  RESOLUTION_CLOCK,
  advanceClocks,
  alertsDue,
  badgeOf,
  clocksOnCreate,
  nearestDeadline,
  nextCheckAt,
  type ClockPolicy,
  type SlaClocks,
  type SlaTargets,
  type UpstreamTargets,
} from "./sla";
import { TICKET_STATUSES, type TicketAction, type TicketState } from "./ticket-lifecycle";
import { autoCloseSchedule, lastPublicAnswerAfter, mayAutoClose } from "./auto-close";

const office: BusinessCalendar = {
  timeZone: "Asia/Shanghai",
  weekly: OFFICE_WEEK,
  overrides: new Map<string, readonly WorkPeriod[]>(CHINA_OFFICIAL_DAYS.map((d) => [d.date, d.working ? OFFICE_DAY : []])),
};
const always: BusinessCalendar = { timeZone: "Asia/Shanghai", weekly: ROUND_THE_CLOCK_WEEK, overrides: new Map() };
const cst = (local: string) => new Date(`${local}+08:00`);

const policy: ClockPolicy<SlaTargets> = {
  calendar: office,
  targets: { firstResponseMinutes: 60, nextResponseMinutes: 120, resolutionMinutes: 480, warnPercent: 80 },
};
const vendor: ClockPolicy<UpstreamTargets> = { calendar: always, targets: { ackMinutes: 30, resolutionMinutes: 240, warnPercent: 80 } };

const st = (status: TicketState["status"], escalation: TicketState["escalation"] = "NONE"): TicketState => ({ status, escalation, partnerState: null });

function step(clocks: SlaClocks, action: TicketAction, from: TicketState, to: TicketState, now: Date, createdAt: Date) {
  return advanceClocks({ action, from, to, now, createdAt, clocks, policy, upstream: vendor });
}

describe("SLA clocks", () => {
  const filed = cst("2026-04-03T19:00:00"); // Friday evening before 清明

  it("a ticket filed on a Friday evening before a holiday is due on the first working morning after it", () => {
    const c = clocksOnCreate(policy, filed);
    expect(c.firstResponse?.dueAt).toEqual(cst("2026-04-07T10:00:00"));
    expect(c.firstResponse?.warnAt).toEqual(cst("2026-04-07T09:48:00"));
    // 480 min: Tue 09:00–12:00 (180) + 13:30–18:00 (270) = 450, then Wed 09:30.
    expect(c.resolution?.dueAt).toEqual(cst("2026-04-08T09:30:00"));
  });

  it("the first staff action settles the first response and records its business minutes", () => {
    const c = clocksOnCreate(policy, filed);
    const r = step(c, "staff.accept", st("PENDING"), st("PROCESSING"), cst("2026-04-07T09:20:00"), filed);
    expect(r.clocks.firstResponse).toBeNull();
    expect(r.outcomes).toMatchObject({ firstResponseMinutes: 20, firstResponseMet: true });
    const late = step(c, "staff.reply", st("PENDING"), st("REPLIED"), cst("2026-04-07T10:01:00"), filed);
    expect(late.outcomes.firstResponseMet).toBe(false);
  });

  it("the resolution clock pauses while waiting for the member (已回复) and resumes when the member answers", () => {
    let c = clocksOnCreate(policy, filed);
    // Tue 09:00 → 10:00: staff reply, 60 minutes used, the clock stops.
    c = step(c, "staff.reply", st("PENDING"), st("REPLIED"), cst("2026-04-07T10:00:00"), filed).clocks;
    expect(c.resolution).toBeNull();
    expect(c.resolutionRunningSince).toBeNull();
    expect(c.resolutionUsedMinutes).toBe(60);
    // The member answers two working days later: the 420 minutes left start from then.
    c = step(c, "member.reply", st("REPLIED"), st("MEMBER_REPLIED"), cst("2026-04-09T09:00:00"), filed).clocks;
    expect(c.resolutionRunningSince).toEqual(cst("2026-04-09T09:00:00"));
    // 420 min from Thu 09:00: 180 before lunch, 240 after → 17:30.
    expect(c.resolution?.dueAt).toEqual(cst("2026-04-09T17:30:00"));
    expect(c.resolution?.startedAt).toEqual(filed);
    // The member's reply also owes a next response within 120 minutes (lunch excluded).
    expect(c.nextResponse?.dueAt).toEqual(cst("2026-04-09T11:00:00"));
    // Closing records the resolution minutes without the paused days.
    const done = step(c, "staff.close", st("MEMBER_REPLIED"), st("COMPLETED"), cst("2026-04-09T10:00:00"), filed);
    expect(done.outcomes).toMatchObject({ resolutionMinutes: 120, resolutionMet: true });
    expect(nearestDeadline(done.clocks)).toBeNull();
  });

  it("notes and moves leave every clock as it is", () => {
    const c = step(clocksOnCreate(policy, filed), "staff.accept", st("PENDING"), st("PROCESSING"), cst("2026-04-07T09:10:00"), filed).clocks;
    for (const action of ["staff.note", "staff.move"] as const) {
      expect(step(c, action, st("PROCESSING"), st("PROCESSING"), cst("2026-04-07T09:30:00"), filed).clocks).toEqual(c);
    }
  });

  it("the resolution clock's state is a row for every status", () => {
    expect(Object.keys(RESOLUTION_CLOCK).sort()).toEqual([...TICKET_STATUSES].sort());
    expect(RESOLUTION_CLOCK.REPLIED).toBe("paused");
  });

  it("the upstream clock runs while escalated and the upstream's acknowledgement and return settle it", () => {
    const t0 = cst("2026-04-07T09:05:00");
    let c = step(clocksOnCreate(policy, filed), "staff.accept", st("PENDING"), st("PROCESSING"), t0, filed).clocks;
    const esc = cst("2026-04-07T09:10:00");
    c = step(c, "staff.escalate", st("PROCESSING"), st("PROCESSING", "ESCALATED"), esc, filed).clocks;
    expect(c.upstreamEscalatedAt).toEqual(esc);
    expect(c.upstreamAck?.dueAt).toEqual(cst("2026-04-07T09:40:00")); // the vendor's 7×24 calendar
    expect(c.upstreamResolution?.dueAt).toEqual(cst("2026-04-07T13:10:00"));
    // Our own resolution keeps running for the member while escalated.
    expect(c.resolutionRunningSince).not.toBeNull();

    const ack = step(c, "upstream.ack", st("PROCESSING", "ESCALATED"), st("PROCESSING", "ESCALATED"), cst("2026-04-07T09:25:00"), filed);
    expect(ack.outcomes).toMatchObject({ upstreamAckMinutes: 15, upstreamAckMet: true });
    expect(ack.clocks.upstreamAck).toBeNull();
    const reply = step(ack.clocks, "upstream.message", st("PROCESSING", "ESCALATED"), st("REPLIED", "ESCALATED"), cst("2026-04-07T10:10:00"), filed);
    expect(reply.outcomes.upstreamFirstReplyMinutes).toBe(60);
    // Its reply makes us wait for the member, but the upstream still owes the resolution.
    expect(reply.clocks.upstreamResolution).not.toBeNull();
    const back = step(reply.clocks, "upstream.return", st("REPLIED", "ESCALATED"), st("REPLIED", "RETURNED"), cst("2026-04-07T14:10:00"), filed);
    expect(back.outcomes).toMatchObject({ upstreamSettleMinutes: 300, upstreamResolutionMet: false });
    expect(back.clocks.upstreamResolution).toBeNull();
    // A second escalation starts a new cycle.
    const again = step(back.clocks, "staff.escalate", st("MEMBER_REPLIED", "RETURNED"), st("MEMBER_REPLIED", "ESCALATED"), cst("2026-04-08T09:00:00"), filed);
    expect(again.clocks.upstreamAck?.startedAt).toEqual(cst("2026-04-08T09:00:00"));
  });

  it("our final close of an escalated ticket settles the upstream clocks too", () => {
    const esc = cst("2026-04-07T09:10:00");
    const c = step(clocksOnCreate(policy, filed), "staff.escalate", st("PROCESSING"), st("PROCESSING", "ESCALATED"), esc, filed).clocks;
    const r = step(c, "staff.close", st("PROCESSING", "ESCALATED"), st("COMPLETED", "ESCALATED"), cst("2026-04-07T09:20:00"), filed);
    expect(r.clocks.upstreamAck).toBeNull();
    expect(r.clocks.upstreamResolution).toBeNull();
    expect(r.outcomes).toMatchObject({ upstreamAckMet: true, upstreamSettleMinutes: 10 });
  });

  it("warnings come at 80 % and breaches at 100 %, each listed once per cycle; the sweep's next look is the next threshold", () => {
    const c = clocksOnCreate(policy, filed);
    expect(badgeOf(c.firstResponse, cst("2026-04-07T09:47:00"))).toBe("OK");
    expect(badgeOf(c.firstResponse, cst("2026-04-07T09:48:00"))).toBe("WARNING");
    expect(badgeOf(c.firstResponse, cst("2026-04-07T10:00:00"))).toBe("BREACHED");
    expect(alertsDue(c, cst("2026-04-07T09:50:00")).map((a) => `${a.clock}:${a.stage}`)).toEqual(["firstResponse:WARNING"]);
    expect(alertsDue(c, cst("2026-04-07T10:00:00")).map((a) => `${a.clock}:${a.stage}`)).toEqual(["firstResponse:WARNING", "firstResponse:BREACHED"]);
    expect(nextCheckAt(c, null)).toEqual(cst("2026-04-07T09:48:00"));
    expect(nextCheckAt(c, cst("2026-04-07T09:48:00"))).toEqual(cst("2026-04-07T10:00:00"));
  });

  it("without a policy no clock runs", () => {
    const c = clocksOnCreate(null, filed);
    expect(nearestDeadline(c)).toBeNull();
    expect(advanceClocks({ action: "staff.reply", from: st("PENDING"), to: st("REPLIED"), now: filed, createdAt: filed, clocks: c, policy: null, upstream: null }).clocks).toEqual(c);
  });
});

describe("auto-close", () => {
  const answered = cst("2026-06-01T10:00:00");

  it("is scheduled from the last public answer only while waiting for the member and not escalated", () => {
    expect(autoCloseSchedule(st("REPLIED"), answered, 3)).toEqual({ remindAt: cst("2026-06-03T10:00:00"), closeAt: cst("2026-06-04T10:00:00") });
    expect(autoCloseSchedule(st("REPLIED", "RETURNED"), answered, 3)).not.toBeNull();
    expect(autoCloseSchedule(st("REPLIED", "ESCALATED"), answered, 3)).toBeNull();
    expect(autoCloseSchedule(st("MEMBER_REPLIED"), answered, 3)).toBeNull();
    expect(autoCloseSchedule(st("REPLIED"), answered, null)).toBeNull(); // off by default
  });

  it("is keyed on the last public answer: a note keeps the time, a reply moves it", () => {
    expect(lastPublicAnswerAfter("staff.note", answered, cst("2026-06-02T10:00:00"))).toEqual(answered);
    expect(lastPublicAnswerAfter("staff.reply", answered, cst("2026-06-02T10:00:00"))).toEqual(cst("2026-06-02T10:00:00"));
  });

  it("never acts on an escalated ticket (every escalation state checked)", () => {
    const base = { partnerState: null, accepted: true, categoryEligible: true, rated: false, status: "REPLIED" as const };
    expect(mayAutoClose({ ...base, escalation: "ESCALATED" })).toBe(false);
    expect(mayAutoClose({ ...base, escalation: "NONE" })).toBe(true);
    expect(mayAutoClose({ ...base, escalation: "UPSTREAM_CLOSED" })).toBe(true);
    expect(mayAutoClose({ ...base, escalation: "NONE", partnerState: "OPEN" })).toBe(false);
  });
});
