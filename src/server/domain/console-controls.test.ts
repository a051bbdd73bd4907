import { describe, expect, it } from "vitest";
import { allSnapshots, availableActions, type TicketSnapshot } from "./ticket-lifecycle.ts";
import { actionsShown, consoleControls } from "./console-controls.ts";


describe("console controls", () => {
  it("LIFECYCLE: the table allows exactly what the page shows", () => {
    const cells = allSnapshots();
    expect(cells).toHaveLength(5 * 4 * 5 * 2 * 2 * 2);
    for (const s of cells) {
      const staff = availableActions(s, "staff");
      expect(new Set(actionsShown(consoleControls(s))), JSON.stringify(s)).toEqual(new Set(staff));
    }
  });

  it("不可移交 replaces 转移到云技术客服 once escalation is over, and 已接单 replaces 接单", () => {
    for (const s of allSnapshots()) {
      const c = consoleControls(s);
      if (c.notTransferable) expect(c.buttons).not.toContain("escalate");
      if (c.accepted) expect(c.buttons).not.toContain("accept");
    }
    // The manual's 合作商关闭 example: 已接单 不可移交 同步工单.
    const closed = consoleControls({ status: "COMPLETED", escalation: "UPSTREAM_CLOSED", partnerState: null, accepted: true, categoryEligible: true, rated: false });
    expect(closed).toMatchObject({ accepted: true, notTransferable: true, buttons: ["sync"], reply: false, note: false });
    // The manual's first example: 已接单 移动工单 转移到云技术客服 关闭工单.
    const open = consoleControls({ status: "REPLIED", escalation: "RETURNED", partnerState: null, accepted: true, categoryEligible: true, rated: false });
    expect(open.buttons).toEqual(["move", "sync", "escalate", "close"]);
  });

  it("a partner's ticket offers 转移工单 and 关闭工单(上级侧), never 转移到云技术客服 nor the final 关闭工单", () => {
    const c = consoleControls({ status: "PROCESSING", escalation: "NONE", partnerState: "OPEN", accepted: true, categoryEligible: true, rated: false });
    expect(c.buttons).toEqual(["move", "returnToPartner", "closeUpstreamSide"]);
    expect(c.notTransferable).toBe(false);
  });
});
