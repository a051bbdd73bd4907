import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { asMember, asStaff } from "@/test/callers";
import { seedDemoData } from "@/server/db/seed-demo";
import { PRESENCE_TTL_MS, STALE_REPLY_RULE } from "@/lib/live";
import { beatPresence, listQueuePresence, listTicketPresence } from "./presence-service";

/**
 * Two people on one ticket: a reply composed before someone else's public message is held
 * (CONFLICT naming the stale-reply rule) until its writer has seen it; presence shows who else is
 * on the ticket and expires by itself.
 */
let t: TestDatabase;
let category: number;
const A = { kind: "staff" as const, staffId: 1, name: "超级管理员", role: "SUPER_ADMIN" as const };
const B = { kind: "staff" as const, staffId: 2, name: "客服小王", role: "STAFF" as const };

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.prisma);
  category = (await t.prisma.category.findFirstOrThrow({ where: { type: "NORMAL", enabled: true } })).id;
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.prisma.rateLimit.deleteMany({});
});

const staffA = () => asStaff(t.prisma, 1, "超级管理员");
const staffB = () => asStaff(t.prisma, 2, "客服小王");
const lastPublicId = async (ticketId: number) => (await t.prisma.ticketMessage.findFirstOrThrow({ where: { ticketId, visibility: "PUBLIC" }, orderBy: { id: "desc" } })).id;
const newTicket = async () => (await asMember(t.prisma).portal.create({ categoryId: category, title: "两位客服", body: "网站打不开" })).ticketId;

describe(`stale-reply guard and presence (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("a staff reply composed before another's public reply is refused; naming the newer message sends it", async () => {
    const ticketId = await newTicket();
    const seenByA = await lastPublicId(ticketId);
    await staffB().console.reply({ ticketId, body: "B：请重启", attachmentIds: [] });
    const refused = staffA().console.reply({ ticketId, body: "A：请检查防火墙", attachmentIds: [], seenMessageId: seenByA });
    await expect(refused).rejects.toMatchObject({ code: "CONFLICT", cause: { rule: STALE_REPLY_RULE } });
    await expect(refused).rejects.toThrow("在你撰写期间有新的消息");
    expect(await t.prisma.ticketMessage.count({ where: { ticketId, body: { startsWith: "A：" } } })).toBe(0);
    // "Send anyway": the same reply naming what A has now seen.
    await staffA().console.reply({ ticketId, body: "A：请检查防火墙", attachmentIds: [], seenMessageId: await lastPublicId(ticketId) });
    expect(await t.prisma.ticketMessage.count({ where: { ticketId, body: { startsWith: "A：" } } })).toBe(1);
  });

  it("the writer's own messages and staff-only notes do not hold a reply", async () => {
    const ticketId = await newTicket();
    const seen = await lastPublicId(ticketId);
    await staffA().console.reply({ ticketId, body: "A 的第一条", attachmentIds: [], seenMessageId: seen });
    await staffB().console.note({ ticketId, body: "B 的内部备注", attachmentIds: [] });
    await staffA().console.reply({ ticketId, body: "A 的第二条", attachmentIds: [], seenMessageId: seen });
    expect(await t.prisma.ticketMessage.count({ where: { ticketId, body: "A 的第二条" } })).toBe(1);
  });

  it("the member's reply is held the same way when staff answered meanwhile", async () => {
    const ticketId = await newTicket();
    const seen = await lastPublicId(ticketId);
    await staffB().console.reply({ ticketId, body: "客服的回复", attachmentIds: [] });
    await expect(asMember(t.prisma).portal.reply({ ticketId, body: "会员追问", attachmentIds: [], seenMessageId: seen })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await t.prisma.ticketMessage.count({ where: { ticketId, body: "会员追问" } })).toBe(0);
    await asMember(t.prisma).portal.reply({ ticketId, body: "会员追问", attachmentIds: [], seenMessageId: await lastPublicId(ticketId) });
    expect(await t.prisma.ticketMessage.count({ where: { ticketId, body: "会员追问" } })).toBe(1);
  });

  it("presence: B sees A on the ticket (typing, since when) and in the queue; it expires by itself", async () => {
    const ticketId = await newTicket();
    const now = new Date();
    await beatPresence(t.prisma, A, { ticketId, typing: false }, now);
    const later = new Date(now.getTime() + 5_000);
    await beatPresence(t.prisma, A, { ticketId, typing: true }, later);
    const seenByB = await listTicketPresence(t.prisma, B, { ticketId }, later);
    expect(seenByB).toEqual([{ staffId: 1, name: "超级管理员", typing: true, since: now }]);
    expect(await listTicketPresence(t.prisma, A, { ticketId }, later)).toEqual([]); // not oneself
    expect((await listQueuePresence(t.prisma, B, later))[ticketId]).toEqual(["超级管理员"]);
    const expired = new Date(later.getTime() + PRESENCE_TTL_MS + 1);
    expect(await listTicketPresence(t.prisma, B, { ticketId }, expired)).toEqual([]);
    // Coming back after expiry is a new visit.
    await beatPresence(t.prisma, A, { ticketId, typing: false }, expired);
    expect((await listTicketPresence(t.prisma, B, { ticketId }, expired))[0]!.since).toEqual(expired);
  });

  it("presence on a ticket that does not exist is refused with 404, and members have no presence door", async () => {
    await expect(staffA().presence.beat({ ticketId: 999_999, typing: false })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(asMember(t.prisma).presence.queue()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
