import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { seedDemoData } from "@/server/db/seed-demo";
import type { StaffViewer } from "@/server/viewer";
import { acceptTicket, addInternalNote, closeTicket, moveTicket, replyToTicket } from "./staff-ticket-service";

let t: TestDatabase;
const admin: StaffViewer = { kind: "staff", staffId: 1, name: "超级管理员", role: "SUPER_ADMIN" };
const kefu: StaffViewer = { kind: "staff", staffId: 2, name: "客服小王", role: "STAFF" };

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.prisma);
});
afterAll(() => t.close());

async function newTicket(categoryName = "业务资源问题") {
  const category = await t.prisma.category.findFirstOrThrow({ where: { name: categoryName } });
  return t.prisma.ticket.create({ data: { title: "测试工单", memberId: 1100001, categoryId: category.id } });
}

describe(`staff ticket commands (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("R2: accept records 接单客服 and 响应时间, and writes an audit event", async () => {
    const ticket = await newTicket();
    await acceptTicket(t.prisma, admin, { ticketId: ticket.id });
    const after = await t.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(after).toMatchObject({ status: "PROCESSING", assigneeId: 1, version: 1 });
    expect(after.respondedAt).not.toBeNull();
    const events = await t.prisma.ticketEvent.findMany({ where: { ticketId: ticket.id } });
    expect(events.map((e) => [e.action, e.actorId, e.toStatus])).toEqual([["staff.accept", "1", "PROCESSING"]]);
  });

  it("R5: after the final close nobody replies, notes, moves or accepts; the member-visible close message is written", async () => {
    const ticket = await newTicket();
    await replyToTicket(t.prisma, admin, { ticketId: ticket.id, body: "您好, 问题已收到。", attachmentIds: [] });
    await closeTicket(t.prisma, admin, { ticketId: ticket.id });
    const closed = await t.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(closed.status).toBe("COMPLETED");
    expect(closed.finishedAt).not.toBeNull();
    const system = await t.prisma.ticketMessage.findFirstOrThrow({ where: { ticketId: ticket.id, authorKind: "SYSTEM" } });
    expect(system.visibility).toBe("PUBLIC");
    expect(system.body).toMatch(/^您的工单于\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}被客服关闭$/);
    for (const attempt of [
      () => replyToTicket(t.prisma, admin, { ticketId: ticket.id, body: "再说一句", attachmentIds: [] }),
      () => addInternalNote(t.prisma, admin, { ticketId: ticket.id, body: "备注", attachmentIds: [] }),
      () => moveTicket(t.prisma, admin, { ticketId: ticket.id, assigneeId: 2 }),
      () => closeTicket(t.prisma, admin, { ticketId: ticket.id }),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: "RULE_VIOLATION", rule: "R5", messageKey: "errors.rules.TICKET_FINISHED" });
    }
    expect((await t.prisma.ticketMessage.count({ where: { ticketId: ticket.id } }))).toBe(2);
  });

  it("R9: move changes category and assignee with staff-only system messages; an escalated ticket cannot move to a non-API category", async () => {
    const ticket = await newTicket();
    const general = await t.prisma.category.findFirstOrThrow({ where: { name: "使用咨询" } });
    await moveTicket(t.prisma, admin, { ticketId: ticket.id, categoryId: general.id, assigneeId: 2 });
    const moved = await t.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(moved).toMatchObject({ categoryId: general.id, assigneeId: 2 });
    const notes = await t.prisma.ticketMessage.findMany({ where: { ticketId: ticket.id, authorKind: "SYSTEM" }, orderBy: { id: "asc" } });
    expect(notes.map((n) => [n.systemCode, n.visibility])).toEqual([["moved", "STAFF_ONLY"], ["assigned", "STAFF_ONLY"]]);

    const escalated = await newTicket();
    await t.prisma.ticket.update({ where: { id: escalated.id }, data: { escalation: "ESCALATED", assigneeId: 1 } });
    await expect(moveTicket(t.prisma, admin, { ticketId: escalated.id, categoryId: general.id })).rejects.toMatchObject({ rule: "R9" });
    expect((await t.prisma.ticket.findUniqueOrThrow({ where: { id: escalated.id } })).categoryId).toBe(escalated.categoryId);
  });

  it("two staff acting at once: compare-and-set lets one win, the other gets a clear conflict, nothing doubles", async () => {
    const ticket = await newTicket();
    const results = await Promise.allSettled([
      acceptTicket(t.prisma, admin, { ticketId: ticket.id, expectedVersion: 0 }),
      acceptTicket(t.prisma, kefu, { ticketId: ticket.id, expectedVersion: 0 }),
    ]);
    const rejected = results.filter((r) => r.status === "rejected");
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    // The loser either saw the new version (CONFLICT) or, having read after the commit, the rule (already accepted).
    expect((rejected[0] as PromiseRejectedResult).reason).toMatchObject({ code: expect.stringMatching(/CONFLICT|RULE_VIOLATION/) });
    expect(await t.prisma.ticketEvent.count({ where: { ticketId: ticket.id, action: "staff.accept" } })).toBe(1);

    const replies = await Promise.allSettled(
      [admin, kefu].map((v) => replyToTicket(t.prisma, v, { ticketId: ticket.id, expectedVersion: 1, body: `来自 ${v.name}`, attachmentIds: [] })),
    );
    expect(replies.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((replies.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toMatchObject({ code: "CONFLICT", messageKey: "errors.conflict" });
    expect(await t.prisma.ticketMessage.count({ where: { ticketId: ticket.id } })).toBe(1);
  });

  it("concurrent replies that named no version all land, each once, one version step and one audit row per message", async () => {
    const ticket = await newTicket();
    const writers = [admin, kefu, admin, kefu];
    const results = await Promise.allSettled(
      writers.flatMap((v, i) => Array.from({ length: 10 }, (_, j) => replyToTicket(t.prisma, v, { ticketId: ticket.id, body: `并发 ${i}-${j}`, attachmentIds: [] }))),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const after = await t.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(after.version).toBe(40);
    expect(new Set((await t.prisma.ticketMessage.findMany({ where: { ticketId: ticket.id } })).map((m) => m.body)).size).toBe(40);
    expect(await t.prisma.ticketEvent.count({ where: { ticketId: ticket.id, action: "staff.reply" } })).toBe(40);
  });
});
