import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isEscalationEligible } from "./category-rules";
import {
  allSnapshots,
  ESCALATION_STATES,
  REASON_CODES,
  RULE_DESCRIPTIONS,
  RULE_IDS,
  TICKET_ACTIONS,
  TICKET_STATUSES,
  UPSTREAM_TICKET_STATES,
  availableActions,
  canMoveTo,
  decide,
  isFinished,
  type Decision,
  type TicketAction,
  type TicketSnapshot,
  type TicketState,
} from "./ticket-lifecycle";

/**
 * The lead's decisions written out plainly, one branch per sentence, without looking at the
 * table. If the table and this disagree on any cell, one of them misread the decisions.
 */
function oracle(action: TicketAction, s: TicketSnapshot): Decision {
  const { status, escalation, partnerState } = s;
  const done = status === "COMPLETED";
  const partner = partnerState !== null;
  const allow = (change: Partial<TicketState> = {}): Decision => {
    const next = { status, escalation, partnerState, ...change };
    const noop = next.status === status && next.escalation === escalation && next.partnerState === partnerState;
    return { ok: true, next, noop };
  };
  const refuse = (rule: string, reason: string) => ({ ok: false, rule, reason }) as Decision;

  switch (action) {
    case "member.reply":
      if (partner) return refuse("LIFECYCLE", "NOT_MEMBER_TICKET");
      if (done) return refuse("R5", "TICKET_FINISHED");
      return allow({ status: status === "PENDING" ? "PENDING" : "MEMBER_REPLIED" });
    case "member.close":
      if (partner) return refuse("LIFECYCLE", "NOT_MEMBER_TICKET");
      if (done) return refuse("R5", "TICKET_FINISHED");
      if (escalation === "ESCALATED") return refuse("R5", "ESCALATED_MEMBER_CANNOT_CLOSE");
      return allow({ status: "COMPLETED" });
    case "member.rate":
      if (partner) return refuse("LIFECYCLE", "NOT_MEMBER_TICKET");
      if (!done) return refuse("LIFECYCLE", "NOT_FINISHED");
      if (s.rated) return refuse("LIFECYCLE", "ALREADY_RATED");
      return allow();
    case "staff.accept":
      if (done) return refuse("R5", "TICKET_FINISHED");
      if (s.accepted) return refuse("LIFECYCLE", "ALREADY_ACCEPTED");
      return allow({ status: status === "PENDING" ? "PROCESSING" : status });
    case "staff.reply":
      if (done) return refuse("R5", "TICKET_FINISHED");
      return allow({ status: "REPLIED" });
    case "staff.note":
    case "staff.move":
      if (done) return refuse("R5", "TICKET_FINISHED");
      return allow();
    case "staff.escalate":
      if (partner) return refuse("LIFECYCLE", "PARTNER_TICKET_NOT_ESCALATABLE");
      if (done) return refuse("R5", "TICKET_FINISHED");
      if (escalation === "UPSTREAM_CLOSED") return refuse("R4", "UPSTREAM_CLOSED");
      if (escalation === "ESCALATED") return refuse("LIFECYCLE", "ALREADY_ESCALATED");
      if (!s.categoryEligible) return refuse("R1", "CATEGORY_NOT_API");
      if (!s.accepted) return refuse("R2", "NOT_ACCEPTED");
      return allow({ escalation: "ESCALATED" });
    case "staff.sync":
      if (escalation === "NONE") return refuse("R8", "NOT_ESCALATED");
      return allow();
    case "staff.close":
      if (partner) return refuse("R5", "PARTNER_CLOSES_FOR_GOOD");
      if (done) return refuse("R5", "TICKET_FINISHED");
      return allow({ status: "COMPLETED" });
    case "staff.returnToPartner":
      if (!partner) return refuse("LIFECYCLE", "NOT_PARTNER_TICKET");
      if (done || partnerState === "FINISHED") return refuse("R5", "TICKET_FINISHED");
      if (partnerState === "RETURNED") return refuse("R4", "PARTNER_RETURNED");
      if (partnerState === "CLOSED") return refuse("R4", "PARTNER_CLOSED");
      return allow({ partnerState: "RETURNED", status: "REPLIED" });
    case "staff.closeUpstreamSide":
      if (!partner) return refuse("LIFECYCLE", "NOT_PARTNER_TICKET");
      if (partnerState === "FINISHED") return refuse("R5", "TICKET_FINISHED");
      if (partnerState === "CLOSED") return refuse("R4", "PARTNER_CLOSED");
      return allow({ partnerState: "CLOSED", status: "COMPLETED" });
    case "upstream.ack":
      if (escalation === "NONE") return refuse("LIFECYCLE", "NOT_ESCALATED");
      if (escalation !== "ESCALATED") return refuse("LIFECYCLE", "NOT_AWAITING_ACK");
      return allow();
    case "upstream.message":
      if (escalation === "NONE") return refuse("LIFECYCLE", "NOT_ESCALATED");
      return allow({ status: done ? "COMPLETED" : "REPLIED" });
    case "upstream.accept":
      if (escalation === "NONE") return refuse("LIFECYCLE", "NOT_ESCALATED");
      return allow();
    case "upstream.return":
      if (escalation === "NONE") return refuse("LIFECYCLE", "NOT_ESCALATED");
      return allow({ escalation: escalation === "ESCALATED" ? "RETURNED" : escalation });
    case "upstream.close":
      if (escalation === "NONE") return refuse("LIFECYCLE", "NOT_ESCALATED");
      return allow({ escalation: "UPSTREAM_CLOSED" });
    case "partner.message":
      if (!partner) return refuse("LIFECYCLE", "NOT_PARTNER_TICKET");
      if (partnerState === "FINISHED") return refuse("R5", "TICKET_FINISHED");
      if (partnerState === "CLOSED") return refuse("R4", "PARTNER_CLOSED");
      return allow({ status: status === "PENDING" ? "PENDING" : "MEMBER_REPLIED" });
    case "partner.escalate":
      if (!partner) return refuse("LIFECYCLE", "NOT_PARTNER_TICKET");
      if (partnerState === "FINISHED") return refuse("R5", "TICKET_FINISHED");
      if (partnerState === "CLOSED") return refuse("R4", "UPSTREAM_CLOSED");
      if (partnerState === "OPEN") return allow();
      return allow({ partnerState: "OPEN", status: "MEMBER_REPLIED" });
    case "partner.close":
      if (!partner) return refuse("LIFECYCLE", "NOT_PARTNER_TICKET");
      if (partnerState === "FINISHED") return allow();
      return allow({ partnerState: "FINISHED", status: "COMPLETED" });
  }
}


/** A ticket one of our members filed, accepted, in an API category. */
function memberTicket(over: Partial<TicketSnapshot> = {}): TicketSnapshot {
  return {
    status: "PROCESSING",
    escalation: "NONE",
    partnerState: null,
    accepted: true,
    categoryEligible: true,
    rated: false,
    ...over,
  };
}

/** Applies an allowed action, failing the test with the refusal if it was refused. */
function apply(s: TicketSnapshot, action: TicketAction): TicketSnapshot {
  const d = decide(action, s);
  if (!d.ok) throw new Error(`${action} refused: ${d.rule} ${d.reason}`);
  return {
    ...s,
    ...d.next,
    accepted: s.accepted || action === "staff.accept",
    rated: s.rated || action === "member.rate",
  };
}

describe("every cell of the table agrees with the plain oracle", () => {
  const cells = allSnapshots();

  it("covers the whole space: 800 snapshots × 20 actions", () => {
    expect(cells).toHaveLength(5 * 4 * 5 * 2 * 2 * 2);
    expect(TICKET_ACTIONS).toHaveLength(20);
  });

  it.each(TICKET_ACTIONS)("%s", (action) => {
    const mismatches = cells
      .map((s) => ({ s, got: decide(action, s), want: oracle(action, s) }))
      .filter(({ got, want }) => JSON.stringify(got) !== JSON.stringify(want));
    expect(mismatches).toEqual([]);
  });
});

describe("the rules", () => {
  it("R1: a NORMAL or non-API category cannot be escalated", () => {
    expect(isEscalationEligible({ type: "NORMAL", submitToApi: true })).toBe(false);
    expect(isEscalationEligible({ type: "ICP_FILING", submitToApi: false })).toBe(false);
    expect(isEscalationEligible({ type: "ICP_FILING", submitToApi: true })).toBe(true);

    const normal = memberTicket({ categoryEligible: false });
    expect(decide("staff.escalate", normal)).toEqual({ ok: false, rule: "R1", reason: "CATEGORY_NOT_API" });
    expect(availableActions(normal, "staff")).not.toContain("staff.escalate");
  });

  it("R2: staff must accept a ticket before escalating it; accepting moves PENDING to PROCESSING once", () => {
    const filed = memberTicket({ status: "PENDING", accepted: false });
    expect(decide("staff.escalate", filed)).toEqual({ ok: false, rule: "R2", reason: "NOT_ACCEPTED" });

    const accepted = apply(filed, "staff.accept");
    expect(accepted.status).toBe("PROCESSING");
    expect(decide("staff.accept", accepted)).toEqual({ ok: false, rule: "LIFECYCLE", reason: "ALREADY_ACCEPTED" });
    expect(apply(accepted, "staff.escalate").escalation).toBe("ESCALATED");
  });

  it("R2: a ticket answered before anyone accepted it keeps its status when accepted", () => {
    const answered = apply(memberTicket({ status: "PENDING", accepted: false }), "staff.reply");
    expect(decide("staff.accept", answered)).toMatchObject({ ok: true, noop: true, next: { status: "REPLIED" } });
  });

  it("R3: after escalation member, staff and upstream all write to the same ticket", () => {
    let t = apply(memberTicket(), "staff.escalate");
    t = apply(t, "upstream.ack");
    t = apply(t, "upstream.message");
    expect(t.status).toBe("REPLIED");
    t = apply(t, "member.reply");
    expect(t.status).toBe("MEMBER_REPLIED");
    t = apply(t, "staff.reply");
    t = apply(t, "staff.note");
    expect(t).toMatchObject({ status: "REPLIED", escalation: "ESCALATED" });
  });

  it("R4: a returned ticket may be escalated again", () => {
    const returned = apply(apply(memberTicket(), "staff.escalate"), "upstream.return");
    expect(returned.escalation).toBe("RETURNED");
    expect(apply(returned, "staff.escalate").escalation).toBe("ESCALATED");
  });

  it("R4: after the upstream closed its side, escalate is refused; a late return does not reopen it", () => {
    const closed = apply(apply(memberTicket(), "staff.escalate"), "upstream.close");
    expect(closed).toMatchObject({ escalation: "UPSTREAM_CLOSED", status: "PROCESSING" });
    expect(decide("staff.escalate", closed)).toEqual({ ok: false, rule: "R4", reason: "UPSTREAM_CLOSED" });
    expect(decide("upstream.return", closed)).toMatchObject({ ok: true, noop: true, next: { escalation: "UPSTREAM_CLOSED" } });
    // Closing its side is not the final close (R5): the ticket is still ours to finish.
    expect(availableActions(closed, "staff")).toContain("staff.close");
  });

  it("R4: as the upstream we hand a partner's ticket back or close our side; the partner may re-escalate only a returned one", () => {
    const received: TicketSnapshot = memberTicket({ partnerState: "OPEN", status: "MEMBER_REPLIED" });
    const returned = apply(received, "staff.returnToPartner");
    expect(returned).toMatchObject({ partnerState: "RETURNED", status: "REPLIED" });
    expect(decide("staff.returnToPartner", returned)).toEqual({ ok: false, rule: "R4", reason: "PARTNER_RETURNED" });
    expect(apply(returned, "partner.escalate")).toMatchObject({ partnerState: "OPEN", status: "MEMBER_REPLIED" });

    const closed = apply(received, "staff.closeUpstreamSide");
    expect(closed).toMatchObject({ partnerState: "CLOSED", status: "COMPLETED" });
    expect(decide("partner.escalate", closed)).toEqual({ ok: false, rule: "R4", reason: "UPSTREAM_CLOSED" });
    expect(decide("partner.message", closed)).toEqual({ ok: false, rule: "R4", reason: "PARTNER_CLOSED" });
  });

  it("R5: while the upstream holds a ticket only staff may close it", () => {
    const escalated = apply(memberTicket(), "staff.escalate");
    expect(decide("member.close", escalated)).toEqual({ ok: false, rule: "R5", reason: "ESCALATED_MEMBER_CANNOT_CLOSE" });
    expect(apply(escalated, "staff.close")).toMatchObject({ status: "COMPLETED", escalation: "ESCALATED" });
    expect(apply(apply(escalated, "upstream.return"), "member.close").status).toBe("COMPLETED");
  });

  it("R5: after the final close nobody acts but sync", () => {
    const finished = apply(apply(memberTicket(), "staff.escalate"), "staff.close");
    expect(isFinished(finished)).toBe(true);
    expect(availableActions(finished, "staff")).toEqual(["staff.sync"]); // the console's 不可移交 + 同步工单
    for (const action of ["staff.reply", "staff.escalate", "staff.move", "member.reply", "member.close"] as const) {
      expect(decide(action, finished)).toEqual({ ok: false, rule: "R5", reason: "TICKET_FINISHED" });
    }
    // A late upstream message is kept but reopens nothing; the member may still rate.
    expect(decide("upstream.message", finished)).toMatchObject({ ok: true, noop: true, next: { status: "COMPLETED" } });
    expect(availableActions(finished, "member")).toEqual(["member.rate"]);
  });

  it("R5: the partner's close finishes its ticket and repeating it changes nothing", () => {
    const finished = apply(memberTicket({ partnerState: "RETURNED", status: "REPLIED" }), "partner.close");
    expect(finished).toMatchObject({ partnerState: "FINISHED", status: "COMPLETED" });
    expect(decide("partner.close", finished)).toMatchObject({ ok: true, noop: true });
    expect(decide("partner.message", finished)).toEqual({ ok: false, rule: "R5", reason: "TICKET_FINISHED" });
    expect(availableActions(finished, "staff")).toEqual([]);
  });

  it("R8: applying the same upstream change twice changes nothing", () => {
    const returned = apply(apply(memberTicket(), "staff.escalate"), "upstream.return");
    expect(decide("upstream.return", returned)).toMatchObject({ ok: true, noop: true });
    const closed = apply(returned, "upstream.close");
    expect(decide("upstream.close", closed)).toMatchObject({ ok: true, noop: true });
    expect(decide("staff.sync", closed)).toMatchObject({ ok: true, noop: true });
    expect(decide("staff.sync", memberTicket())).toEqual({ ok: false, rule: "R8", reason: "NOT_ESCALATED" });
  });

  it("R9: a move that makes an escalated ticket ineligible is refused", () => {
    const escalated = apply(memberTicket(), "staff.escalate");
    expect(canMoveTo(escalated, false)).toEqual({ ok: false, rule: "R9", reason: "MOVE_MAKES_INELIGIBLE" });
    expect(canMoveTo(escalated, true)).toMatchObject({ ok: true, noop: true });
    // Not escalated (or handed back): any category will do; R1 guards a later escalation.
    expect(canMoveTo(memberTicket(), false).ok).toBe(true);
    expect(canMoveTo(apply(escalated, "upstream.return"), false).ok).toBe(true);
    expect(canMoveTo(apply(escalated, "staff.close"), true)).toEqual({ ok: false, rule: "R5", reason: "TICKET_FINISHED" });
  });
});

describe("the lifecycle around the rules", () => {
  it("a member's reply to a ticket nobody accepted leaves it PENDING", () => {
    expect(decide("member.reply", memberTicket({ status: "PENDING", accepted: false }))).toMatchObject({
      ok: true,
      noop: true,
      next: { status: "PENDING" },
    });
  });

  it("a member rates a finished ticket once, and only their own kind of ticket", () => {
    const open = memberTicket();
    expect(decide("member.rate", open)).toEqual({ ok: false, rule: "LIFECYCLE", reason: "NOT_FINISHED" });
    const rated = apply(apply(open, "member.close"), "member.rate");
    expect(decide("member.rate", rated)).toEqual({ ok: false, rule: "LIFECYCLE", reason: "ALREADY_RATED" });
    expect(decide("member.reply", memberTicket({ partnerState: "OPEN" }))).toEqual({
      ok: false,
      rule: "LIFECYCLE",
      reason: "NOT_MEMBER_TICKET",
    });
  });

  it("a ticket a partner sent us cannot be escalated further", () => {
    expect(decide("staff.escalate", memberTicket({ partnerState: "OPEN" }))).toEqual({
      ok: false,
      rule: "LIFECYCLE",
      reason: "PARTNER_TICKET_NOT_ESCALATABLE",
    });
  });

  it("the manual's ticket 634: escalated, answered and closed upstream, then finished by the reseller", () => {
    let t = memberTicket({ status: "PENDING", accepted: false, categoryEligible: true });
    t = apply(t, "staff.accept");
    t = apply(t, "staff.escalate");
    t = apply(t, "upstream.ack");
    t = apply(t, "upstream.message");
    t = apply(t, "upstream.close");
    expect(t).toMatchObject({ status: "REPLIED", escalation: "UPSTREAM_CLOSED" });
    expect(availableActions(t, "staff")).toEqual(["staff.reply", "staff.note", "staff.move", "staff.sync", "staff.close"]);
    t = apply(t, "staff.close");
    expect(availableActions(t, "staff")).toEqual(["staff.sync"]);
  });

  it("upstream acks only a pending escalation", () => {
    expect(decide("upstream.ack", memberTicket())).toEqual({ ok: false, rule: "LIFECYCLE", reason: "NOT_ESCALATED" });
    expect(decide("upstream.ack", memberTicket({ escalation: "RETURNED" }))).toEqual({
      ok: false,
      rule: "LIFECYCLE",
      reason: "NOT_AWAITING_ACK",
    });
  });
});

describe("names", () => {
  it("uses exactly the Prisma enum strings", () => {
    const schema = readFileSync(new URL("../../../prisma/schema.prisma", import.meta.url), "utf8");
    const values = (name: string) =>
      [...(schema.match(new RegExp(`enum ${name} \\{([^}]*)\\}`))?.[1] ?? "").matchAll(/^\s*([A-Z_]+)/gm)].map((m) => m[1]);
    expect(values("TicketStatus")).toEqual([...TICKET_STATUSES]);
    expect(values("EscalationState")).toEqual([...ESCALATION_STATES]);
    expect(values("UpstreamTicketState")).toEqual([...UPSTREAM_TICKET_STATES]);
  });

  it("describes every rule and keeps reason codes unique", () => {
    expect(Object.keys(RULE_DESCRIPTIONS).sort()).toEqual([...RULE_IDS].sort());
    expect(new Set(REASON_CODES).size).toBe(REASON_CODES.length);
  });
});
