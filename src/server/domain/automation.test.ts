import { describe, expect, it } from "vitest";
import { nextInRotation, planAutomation, ruleChannelsOf, ruleMatches, type AutomationRuleFacts } from "./automation";

const rule = (over: Partial<AutomationRuleFacts> = {}): AutomationRuleFacts => ({
  id: 1,
  name: "退款",
  categoryIds: [],
  keywords: [],
  clocks: [],
  moveToCategoryId: null,
  assignStaffIds: [],
  notifyChannelIds: [],
  ...over,
});

describe("automation rules: matching", () => {
  it("empty conditions match every ticket; each condition narrows", () => {
    const ticket = { categoryId: 3, text: "申请退款\n服务器到期" };
    expect(ruleMatches(rule(), ticket)).toBe(true);
    expect(ruleMatches(rule({ categoryIds: [4] }), ticket)).toBe(false);
    expect(ruleMatches(rule({ categoryIds: [3, 4] }), ticket)).toBe(true);
    expect(ruleMatches(rule({ keywords: ["宕机"] }), ticket)).toBe(false);
    expect(ruleMatches(rule({ keywords: ["宕机", "退款"] }), ticket)).toBe(true);
  });

  it("keywords match case-insensitively anywhere in the title or first message", () => {
    expect(ruleMatches(rule({ keywords: ["ddos"] }), { categoryId: 1, text: "遭受 DDoS 攻击" })).toBe(true);
  });

  it("a clock condition matches only the alert of that clock; a filing has no clock", () => {
    expect(ruleMatches(rule({ clocks: ["firstResponse"] }), { categoryId: 1, text: "", clock: "firstResponse" })).toBe(true);
    expect(ruleMatches(rule({ clocks: ["firstResponse"] }), { categoryId: 1, text: "", clock: "resolution" })).toBe(false);
    expect(ruleMatches(rule({ clocks: ["firstResponse"] }), { categoryId: 1, text: "" })).toBe(false);
  });
});

describe("automation rules: the plan", () => {
  it("the first matching rule that moves decides the category, the first that assigns the rotation; robots add up once each", () => {
    const rules = [
      rule({ id: 1, keywords: ["宕机"], moveToCategoryId: 9 }),
      rule({ id: 2, moveToCategoryId: 5, notifyChannelIds: [7] }),
      rule({ id: 3, moveToCategoryId: 6, assignStaffIds: [2, 3], notifyChannelIds: [7, 8] }),
      rule({ id: 4, assignStaffIds: [4] }),
    ];
    const plan = planAutomation(rules, { categoryId: 1, text: "申请退款" });
    expect(plan.move).toEqual({ ruleId: 2, ruleName: "退款", categoryId: 5 });
    expect(plan.assignFrom?.id).toBe(3);
    expect(plan.channelIds).toEqual([7, 8]);
    expect(plan.ruleIds).toEqual([2, 3, 4]);
  });

  it("a move into the category the ticket is already in is no move", () => {
    expect(planAutomation([rule({ moveToCategoryId: 1 })], { categoryId: 1, text: "" }).move).toBeNull();
  });

  it("no matching rule: nothing to do", () => {
    expect(planAutomation([rule({ categoryIds: [2], moveToCategoryId: 5 })], { categoryId: 1, text: "" })).toEqual({ move: null, assignFrom: null, channelIds: [], ruleIds: [] });
  });

  it("the audit row's robots are read back only when they are numbers", () => {
    expect(ruleChannelsOf({ automation: { ruleIds: [1], channelIds: [3, "x", 4] } })).toEqual([3, 4]);
    expect(ruleChannelsOf({ categoryId: 1 })).toEqual([]);
    expect(ruleChannelsOf(null)).toEqual([]);
  });
});

describe("automation rules: round-robin", () => {
  const everyone = () => true;
  it("goes round the list from the one assigned last, wrapping", () => {
    expect(nextInRotation([2, 3, 4], null, everyone)).toBe(2);
    expect(nextInRotation([2, 3, 4], 2, everyone)).toBe(3);
    expect(nextInRotation([2, 3, 4], 4, everyone)).toBe(2);
  });

  it("skips who cannot take tickets, starts over when the last one left the list, and gives up when nobody can", () => {
    expect(nextInRotation([2, 3, 4], 2, (id) => id !== 3)).toBe(4);
    expect(nextInRotation([2, 3, 4], 9, everyone)).toBe(2);
    expect(nextInRotation([2, 3], 2, () => false)).toBeNull();
  });
});
