import { describe, expect, it } from "vitest";
import { UPSTREAM_TICKET_STATES } from "./ticket-lifecycle";
import { INITIAL_LINK_STATE, LINK_STATE_STEPS, isAwaitingUpstreamAck, nextLinkState } from "./upstream-link";

describe("UpstreamLink.state follows its table", () => {
  it("every state is reachable from a new link, and FINISHED ends it", () => {
    const seen = new Set([INITIAL_LINK_STATE]);
    for (let changed = true; changed; ) {
      changed = false;
      for (const s of [...seen]) for (const n of LINK_STATE_STEPS[s]) if (!seen.has(n)) (seen.add(n), (changed = true));
    }
    expect([...seen].sort()).toEqual([...UPSTREAM_TICKET_STATES].sort());
    expect(LINK_STATE_STEPS.FINISHED).toEqual([]);
  });

  it("a report that is no step changes nothing: a late OPEN never re-opens a closed or finished link", () => {
    expect(nextLinkState("CLOSED", "OPEN")).toBe("CLOSED");
    expect(nextLinkState("CLOSED", "RETURNED")).toBe("CLOSED");
    expect(nextLinkState("FINISHED", "CLOSED")).toBe("FINISHED");
    expect(nextLinkState("RETURNED", "OPEN")).toBe("OPEN");
    expect(nextLinkState("OPEN", "CLOSED")).toBe("CLOSED");
    expect(nextLinkState("CLOSED", "FINISHED")).toBe("FINISHED");
    for (const s of UPSTREAM_TICKET_STATES) expect(nextLinkState(s, s)).toBe(s);
  });

  it("转移中 is escalated and unacknowledged: no GUID yet, or a re-escalation on its way", () => {
    expect(isAwaitingUpstreamAck({ escalation: "ESCALATED", link: { guid: null } })).toBe(true);
    expect(isAwaitingUpstreamAck({ escalation: "ESCALATED", link: { guid: "g" } })).toBe(false);
    expect(isAwaitingUpstreamAck({ escalation: "ESCALATED", link: { guid: "g" }, reEscalationPending: true })).toBe(true);
    expect(isAwaitingUpstreamAck({ escalation: "RETURNED", link: { guid: null } })).toBe(false);
    expect(isAwaitingUpstreamAck({ escalation: "ESCALATED", link: null })).toBe(false);
  });
});
