import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { asMember, asStaff } from "@/test/callers";
import { seedDemoData } from "@/server/db/seed-demo";
import { isMemberVisible, TICKET_ACTIONS } from "@/server/domain/ticket-lifecycle";

/**
 * Staff-only work does not move what the member sees: a note, a move or an escalation leaves the
 * member's version (checked by the member's close) and last-activity time (我的工单's order)
 * alone; a public reply moves both.
 */
let t: TestDatabase;
let category: number;

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.prisma);
  category = (await t.prisma.category.findFirstOrThrow({ where: { type: "ICP_FILING", submitToApi: true } })).id;
  await t.prisma.upstreamConnection.create({
    data: { name: "小鸟云", baseUrl: "http://127.0.0.1:9", partnerId: "reseller", keyId: "k1", secretEncrypted: "sealed", isDefault: true },
  });
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.prisma.rateLimit.deleteMany({});
});

const member = () => asMember(t.prisma);
const staff = () => asStaff(t.prisma);
const internalVersion = async (ticketId: number) => (await staff().console.ticket({ ticketId })).version;

async function twoTickets() {
  const older = await member().portal.create({ categoryId: category, title: "备案进度咨询", body: "请问备案到哪一步了？" });
  await new Promise((r) => setTimeout(r, 5));
  const newer = await member().portal.create({ categoryId: category, title: "另一个问题", body: "第二个工单" });
  return { older: older.ticketId, newer: newer.ticketId };
}
const myOrder = async () => (await member().portal.list({})).items.map((i) => i.id);

describe(`member-visible version and activity (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("the domain decides: public entries and status changes are member-visible, staff-only work is not", () => {
    const open = { status: "PROCESSING", escalation: "NONE", partnerState: null } as const;
    expect(isMemberVisible("staff.note", open, open)).toBe(false);
    expect(isMemberVisible("staff.move", open, open)).toBe(false);
    expect(isMemberVisible("staff.escalate", open, { ...open, escalation: "ESCALATED" })).toBe(false);
    expect(isMemberVisible("upstream.return", open, { ...open, escalation: "RETURNED" })).toBe(false);
    expect(isMemberVisible("staff.reply", open, { ...open, status: "REPLIED" })).toBe(true);
    expect(isMemberVisible("upstream.message", open, open)).toBe(true);
    expect(isMemberVisible("staff.accept", { ...open, status: "PENDING" }, open)).toBe(true); // 待处理 → 处理中 is shown
    expect(TICKET_ACTIONS.filter((a) => a.startsWith("member.")).every((a) => isMemberVisible(a, open, open))).toBe(true);
  });

  it("a staff note, move or escalation neither lifts the ticket in 我的工单 nor makes the member's close report 工单已被他人修改", async () => {
    const { older, newer } = await twoTickets();
    await staff().console.accept({ ticketId: older }); // 待处理 → 处理中: visible
    await member().portal.reply({ ticketId: newer, body: "补充说明" }); // the member's latest activity is on the newer one
    const shown = await member().portal.ticket({ ticketId: older });
    const orderBefore = await myOrder();
    expect(orderBefore.indexOf(newer)).toBeLessThan(orderBefore.indexOf(older));

    const v = await internalVersion(older);
    await staff().console.note({ ticketId: older, expectedVersion: v, body: "内部备注：等上级回复", attachmentIds: [] });
    await staff().console.move({ ticketId: older, expectedVersion: v + 1, assigneeId: 1 });
    await staff().escalation.escalate({ ticketId: older, expectedVersion: v + 2 });
    expect(await internalVersion(older)).toBe(v + 3); // the internal version moved with each

    expect(await myOrder()).toEqual(orderBefore);
    expect((await member().portal.ticket({ ticketId: older })).version).toBe(shown.version);
    // The member's close is refused only by R5 (escalated), not by a version conflict …
    await expect(member().portal.close({ ticketId: older, expectedVersion: shown.version })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    // … and on a ticket with only notes since, it simply closes.
    const second = newer;
    const seen = await member().portal.ticket({ ticketId: second });
    await staff().console.note({ ticketId: second, body: "备注", attachmentIds: [] });
    await expect(member().portal.close({ ticketId: second, expectedVersion: seen.version })).resolves.toEqual({ ticketId: second });
  });

  it("a public reply is member-visible: the ticket moves to the top and a close from the stale page is a conflict", async () => {
    const { older } = await twoTickets();
    const shown = await member().portal.ticket({ ticketId: older });
    expect((await myOrder())[0]).not.toBe(older);
    await staff().console.reply({ ticketId: older, body: "您好，已处理。", attachmentIds: [] });
    expect((await myOrder())[0]).toBe(older);
    await expect(member().portal.close({ ticketId: older, expectedVersion: shown.version })).rejects.toMatchObject({ code: "CONFLICT", message: "工单已被他人修改，请刷新后重试" });
    const fresh = await member().portal.ticket({ ticketId: older });
    await expect(member().portal.close({ ticketId: older, expectedVersion: fresh.version })).resolves.toEqual({ ticketId: older });
  });
});
