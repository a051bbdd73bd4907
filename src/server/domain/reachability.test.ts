import { describe, expect, it } from "vitest";
import { checkTableIntegrity } from "./reachability";
import { LIFECYCLE_TABLE, type LifecycleTable } from "./ticket-lifecycle";

describe("checkTableIntegrity", () => {
  it("passes for the shipped table", () => {
    const report = checkTableIntegrity();
    expect(report.snapshotsChecked).toBe(800);
    expect(report.reachableStates).toContain("COMPLETED/UPSTREAM_CLOSED/-");
    expect(report.reachableStates).toContain("COMPLETED/NONE/FINISHED");
    // R2: nothing is escalated before someone accepted it, so PENDING never meets the upstream.
    expect(report.reachableStates.filter((s) => s.startsWith("PENDING/"))).toEqual(["PENDING/NONE/-", "PENDING/NONE/OPEN"]);
  });

  it("catches a table in which an open ticket can never be completed", () => {
    const noClose: LifecycleTable = {
      ...LIFECYCLE_TABLE,
      transitions: LIFECYCLE_TABLE.transitions.filter((r) => r.action !== "staff.close" && r.action !== "member.close"),
    };
    expect(() => checkTableIntegrity(noClose)).toThrow(/can never reach COMPLETED/);
  });

  it("catches a refusal no rule explains, and two rows for one cell", () => {
    const noR1: LifecycleTable = { ...LIFECYCLE_TABLE, refusals: LIFECYCLE_TABLE.refusals.filter((g) => g.rule !== "R1") };
    expect(() => checkTableIntegrity(noR1)).toThrow(/staff\.escalate .* refused with no rule/);

    const doubled: LifecycleTable = { ...LIFECYCLE_TABLE, transitions: [...LIFECYCLE_TABLE.transitions, ...LIFECYCLE_TABLE.transitions.slice(0, 1)] };
    expect(() => checkTableIntegrity(doubled)).toThrow(/2 rows match/);
  });
});
