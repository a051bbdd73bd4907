import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { seedDemoData } from "@/server/db/seed-demo";
import { inTransaction } from "@/server/db/transaction";
import { presentMessage, type MessageRow } from "@/server/presenters/messages";
import type { StaffViewer } from "@/server/viewer";
import { closeTicket, moveTicket } from "./staff-ticket-service";
import { writeSystemMessage } from "./system-message";

let t: TestDatabase;
const admin: StaffViewer = { kind: "staff", staffId: 1, name: "超级管理员", role: "SUPER_ADMIN" };
const at = new Date("2017-01-22T08:49:16Z"); // 2017-01-22 16:49:16 in China, as in the manual

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.prisma);
});
afterAll(() => t.close());

const newTicket = async () => {
  const category = await t.prisma.category.findFirstOrThrow({ where: { name: "备案类问题" } });
  return t.prisma.ticket.create({ data: { title: "备案需要什么？", memberId: 1100001, categoryId: category.id } });
};

describe(`system messages (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("R6: escalation and upstream close are written in the manual's words, visible to platform staff only", async () => {
    const ticket = await newTicket();
    await inTransaction(t.prisma, async (tx) => {
      await writeSystemMessage(tx, ticket.id, "escalated", { staff: "超级管理员" }, at);
      await writeSystemMessage(tx, ticket.id, "upstreamClosed", {}, at);
    });
    const rows = await t.prisma.ticketMessage.findMany({ where: { ticketId: ticket.id }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.body, r.visibility])).toEqual([
      ["该工单于2017-01-22 16:49:16被客服[超级管理员]转移到远程技术客服", "STAFF_ONLY"],
      ["远程技术客服已关闭该工单，将不再接受该工单的转移请求。", "STAFF_ONLY"],
    ]);
  });

  it("R6: the final close tells the member `您的工单于{time}被客服关闭`; a move leaves a staff-only line", async () => {
    const ticket = await newTicket();
    const general = await t.prisma.category.findFirstOrThrow({ where: { name: "使用咨询" } });
    await moveTicket(t.prisma, admin, { ticketId: ticket.id, categoryId: general.id });
    await closeTicket(t.prisma, admin, { ticketId: ticket.id });
    const rows = await t.prisma.ticketMessage.findMany({ where: { ticketId: ticket.id, authorKind: "SYSTEM" }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.systemCode, r.visibility])).toEqual([["moved", "STAFF_ONLY"], ["closedByStaff", "PUBLIC"]]);
    expect(rows[0]!.body).toMatch(/^该工单于.+被客服\[超级管理员\]从\[备案类问题\]移动到\[使用咨询\]$/);
    expect(rows[1]!.body).toMatch(/^您的工单于\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}被客服关闭$/);
  });

  it("R6: each viewer reads a system message in their language and time zone", async () => {
    const ticket = await newTicket();
    await inTransaction(t.prisma, (tx) => writeSystemMessage(tx, ticket.id, "closedByStaff", {}, at));
    const row = (await t.prisma.ticketMessage.findFirstOrThrow({ where: { ticketId: ticket.id } })) as unknown as MessageRow;
    expect(presentMessage(row, "zh-CN", "Asia/Shanghai", "member")).toMatchObject({ author: "系统消息", body: "您的工单于2017-01-22 16:49:16被客服关闭" });
    expect(presentMessage(row, "en", "Europe/Berlin", "member").body).toBe("Your ticket was closed by support at 2017-01-22 09:49:16");
  });
});
