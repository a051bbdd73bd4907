import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { asMember, asStaff } from "@/test/callers";
import { seedDemoData } from "@/server/db/seed-demo";
import type { StaffViewer } from "@/server/viewer";
import { listQueue, queueCounts, resolveQueueFilter, ZQueueInput } from "./queue-service.ts";
import { buildOnePassCountsSql, findQueuePage, SEARCH_COUNT_LIMIT } from "../db/repos/queue.ts";
import { addInternalNote, replyToTicket } from "./staff-ticket-service.ts";

let t: TestDatabase;
const admin: StaffViewer = { kind: "staff", staffId: 1, name: "超级管理员", role: "SUPER_ADMIN" };
const TZ = "Asia/Shanghai";
const member = () => asMember(t.prisma);
let generalId: number;

const staffIds = async (q: string, extra: Record<string, unknown> = {}) =>
  (await listQueue(t.prisma, admin, { q, limit: 100, ...extra }, TZ)).items.map((i) => i.id);
const memberIds = async (search: string) => (await member().portal.list({ search, limit: 50 })).items.map((i) => i.id);

/** A ticket of member 1100001 filed through the portal (the real write path). */
async function file(title: string, body: string) {
  return (await member().portal.create({ categoryId: generalId, title, body })).ticketId;
}

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.prisma);
  generalId = (await t.prisma.category.findFirstOrThrow({ where: { name: "使用咨询" } })).id;
});
afterAll(() => t.close());

describe(`search (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("Tokenizer: ops tokens whole, Latin lower-cased, CJK runs kept for bigrams; the query is cut by the same code", async () => {
    const split = async (text: string) => (await t.prisma.$queryRaw<{ u: string[] }[]>`SELECT search_split(${text}) AS u`)[0]!.u;
    expect(await split("申请退款处理 VPS-10086 IP 10.0.0.15:22，2001:db8::1 Error:Timeout ops@Example.COM www.example.com. SSH连接超时 １９２．１６８．１．１ #598")).toEqual([
      "申请退款处理", "vps-10086", "ip", "10.0.0.15", "22", "2001:db8::1", "error", "timeout", "ops@example.com", "www.example.com", "ssh", "连接超时", "192.168.1.1", "598",
    ]);
    const vector = async (text: string) => (await t.prisma.$queryRaw<{ v: string }[]>`SELECT search_vector(${text})::text AS v`)[0]!.v;
    // Every CJK character starts a bigram at its own position; the run's last one stands alone.
    expect(await vector("退款处理 ok")).toBe("'ok':5 '处理':3 '款处':2 '理':4 '退款':1");
    const query = async (text: string) => (await t.prisma.$queryRaw<{ q: string | null }[]>`SELECT search_query(${text})::text AS q`)[0]!.q;
    expect(await query("退款")).toBe("'退款'");
    expect(await query("申请退款 vps-10086")).toBe("'申请' <-> '请退' <-> '退款' & 'vps-10086'");
    expect(await query('"SSH 连接超时" 慢')).toBe("'ssh' <-> '连接' <-> '接超' <-> '超时' & '慢':*");
    expect(await query("%%，。")).toBeNull();
    const matches = async (doc: string, q: string) => (await t.prisma.$queryRaw<{ m: boolean }[]>`SELECT search_vector(${doc}) @@ search_query(${q}) AS m`)[0]!.m;
    expect(await matches("网站访问很慢", "慢")).toBe(true); // a run's last character
    expect(await matches("退款处理 ab", '"退款处理 ab"')).toBe(true);
    expect(await matches("退款处理 zz ab", '"退款处理 ab"')).toBe(false);
  });

  it("Search: a two-character Chinese word inside a longer run is found (退款 in 申请退款处理), by staff and by the member", async () => {
    const id = await file("账户问题", "我要申请退款处理，谢谢");
    const other = await file("账户问题", "我要申请发票");
    for (const q of ["退款", "款处", "申请退款", "处理"]) {
      expect(await staffIds(q)).toContain(id);
      expect(await memberIds(q)).toContain(id);
    }
    expect(await staffIds("退款")).not.toContain(other);
    expect(await staffIds("退票")).not.toContain(id); // both characters, not as one word
  });

  it("Search: an IP and a business ID are found whole, never by a fragment that would flood the results", async () => {
    const resource = await t.prisma.category.findFirstOrThrow({ where: { name: "业务资源问题" } });
    const byField = (await member().portal.create({ categoryId: resource.id, title: "服务器无法访问", body: "请尽快处理", businessId: "VPS-10086" })).ticketId;
    const inText = await file("网络问题", "10.0.0.150 和 VPS-100860 都不通");
    const exact = await file("网络问题", "10.0.0.15:22 连接被拒绝");
    expect(await staffIds("VPS-10086")).toEqual(expect.arrayContaining([byField]));
    expect(await staffIds("vps-10086")).not.toContain(inText);
    expect(await staffIds("VPS-100860")).toEqual([inText]);
    expect(await staffIds("10.0.0.15")).toEqual([exact]);
    expect(await staffIds("103.45.67.89")).toContain(byField); // the business IP filled from the member's service
    for (const fragment of ["10.0.0", "10086", "0.15", "VPS"]) {
      expect(await staffIds(fragment), fragment).not.toEqual(expect.arrayContaining([exact]));
      expect(await staffIds(fragment), fragment).not.toContain(inText);
    }
  });

  it("R7: a word only in a staff-only note is invisible to the member and does not change which tickets they find", async () => {
    const id = await file("磁盘告警", "数据盘快满了");
    await replyToTicket(t.prisma, admin, { ticketId: id, body: "已扩容，请查看", attachmentIds: [] });
    await addInternalNote(t.prisma, admin, { ticketId: id, body: "客户在黑名单机房，注意", attachmentIds: [] });
    expect(await staffIds("黑名单")).toEqual([id]);
    expect(await memberIds("黑名单")).toEqual([]);
    // Public words still find it; a public word together with the note's word does not.
    expect(await memberIds("扩容")).toEqual([id]);
    expect(await memberIds("扩容 黑名单")).toEqual([]);
    expect(await staffIds("扩容 黑名单")).toEqual([id]);
    // Later public entries keep the member's terms current.
    await member().portal.reply({ ticketId: id, body: "谢谢，已恢复正常" });
    expect(await memberIds("恢复正常")).toEqual([id]);
    // The snippet shows staff the note, and shows the member only public text.
    const staffRow = (await listQueue(t.prisma, admin, { q: "黑名单" }, TZ)).items[0]!;
    expect(staffRow.search).toMatchObject({ staffOnly: true });
    expect(staffRow.search?.snippet?.filter((p) => p.hit).map((p) => p.text)).toEqual(["黑名单"]);
    const memberRow = (await member().portal.list({ search: "扩容" })).items[0]!;
    expect(JSON.stringify(memberRow)).not.toContain("黑名单");
  });

  it("Search: a ticket from the oldest month of the data set is found (no recency window), and counted", async () => {
    const start = Date.parse("2024-01-05T00:00:00Z");
    const rows = Array.from({ length: 240 }, (_, i) => ({
      title: `历史工单 ${i}`, memberId: 1100002, categoryId: generalId, status: "COMPLETED" as const,
      createdAt: new Date(start + i * 2 * 86400_000), updatedAt: new Date(start + i * 2 * 86400_000 + 3600_000),
    }));
    await t.prisma.ticket.createMany({ data: rows });
    const oldest = await t.prisma.ticket.findFirstOrThrow({ where: { title: "历史工单 0" } });
    // Plain SQL, like any bulk writer: the triggers index it all the same.
    await t.prisma.$executeRaw`INSERT INTO "TicketMessage" ("ticketId", "authorKind", visibility, body, "createdAt")
      SELECT id, 'MEMBER', 'PUBLIC', '普通的回复内容 ' || id, "createdAt" FROM "Ticket" WHERE title LIKE '历史工单 %'`;
    await t.prisma.ticketMessage.create({ data: { ticketId: oldest.id, authorKind: "MEMBER", body: "磁带机备份失败，请协助恢复", createdAt: oldest.createdAt } });
    expect(await staffIds("磁带机")).toEqual([oldest.id]);
    expect(await staffIds("磁带机", { status: "COMPLETED" })).toEqual([oldest.id]);
    expect(await staffIds("磁带机", { status: "PENDING" })).toEqual([]);
    const counts = await queueCounts(t.prisma, admin, { q: "磁带机" }, TZ);
    expect(counts).toMatchObject({ total: 1, source: "bounded", counts: { COMPLETED: 1 }, capped: { COMPLETED: false } });
  });

  it("Search: heading hits rank before conversation hits, newest first within each; keyset pages cover every hit once", async () => {
    const base = Date.parse("2025-06-01T00:00:00Z");
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) {
      const at = new Date(base + i * 3600_000);
      const tk = await t.prisma.ticket.create({
        data: { title: i % 2 === 0 ? `宕机 ${i}` : `其他 ${i}`, memberId: 1100001, categoryId: generalId, createdAt: at, updatedAt: at },
      });
      await t.prisma.ticketMessage.create({ data: { ticketId: tk.id, authorKind: "MEMBER", body: "机房宕机了", createdAt: at } });
      ids.push(tk.id);
    }
    const heading = [ids[4]!, ids[2]!, ids[0]!];
    const conversation = [ids[5]!, ids[3]!, ids[1]!];
    expect(await staffIds("宕机")).toEqual([...heading, ...conversation]);
    expect(await memberIds("宕机")).toEqual([...heading, ...conversation]);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listQueue>> = await listQueue(t.prisma, admin, { q: "宕机", limit: 2, cursor }, TZ);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...heading, ...conversation]);
    let memberCursor: string | null = null;
    const memberSeen: number[] = [];
    do {
      const page: Awaited<ReturnType<ReturnType<typeof member>["portal"]["list"]>> = await member().portal.list({ search: "宕机", limit: 4, cursor: memberCursor });
      memberSeen.push(...page.items.map((i) => i.id));
      memberCursor = page.nextCursor;
    } while (memberCursor);
    expect(memberSeen).toEqual([...heading, ...conversation]);
    // The heading's hit is marked in the title; a conversation hit brings its snippet.
    const page = await listQueue(t.prisma, admin, { q: "宕机" }, TZ);
    expect(page.items[0]!.search?.title).toEqual([{ text: "宕机", hit: true }, { text: " 4", hit: false }]);
    expect(page.items[3]!.search?.snippet).toEqual([{ text: "机房", hit: false }, { text: "宕机", hit: true }, { text: "了", hit: false }]);
  });

  it("Search: combined with the queue's tabs and filters, lists and counts agree with a reference query", async () => {
    const ids = await staffIds("宕机");
    const reference = await t.prisma.ticket.findMany({ where: { id: { in: ids } }, select: { id: true, status: true } });
    const counts = await queueCounts(t.prisma, admin, { q: "宕机" }, TZ);
    for (const s of ["PENDING", "PROCESSING", "REPLIED", "MEMBER_REPLIED", "COMPLETED"] as const) {
      expect(counts.counts[s], s).toBe(reference.filter((r) => r.status === s).length);
      expect((await staffIds("宕机", { status: s })).sort()).toEqual(reference.filter((r) => r.status === s).map((r) => r.id).sort());
    }
    expect(await staffIds("宕机", { memberId: 1100002 })).toEqual([]);
    expect((await staffIds("宕机", { categoryId: generalId })).length).toBe(ids.length);
    // The ticket number itself is an exact hit, ranked first.
    expect((await staffIds(String(ids[3])))[0]).toBe(ids[3]);
  });

  it("Search: a changed title is indexed again; a member never finds another member's ticket", async () => {
    const id = await file("旧标题", "内容");
    await t.prisma.ticket.update({ where: { id }, data: { title: "光纤中断" } });
    expect(await staffIds("光纤")).toEqual([id]);
    expect(await staffIds("旧标题")).toEqual([]);
    const other = await asMember(t.prisma, 1100002, "李四").portal.list({ search: "光纤" });
    expect(other.items).toEqual([]);
    await expect(asStaff(t.prisma).console.queue({ q: "光纤", cursor: "bad" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("Search: the newest-first walk and the fenced GIN read give the same pages and counts; counts stop at the bound with n+", async () => {
    await t.prisma.ticket.createMany({
      data: Array.from({ length: SEARCH_COUNT_LIMIT + 5 }, (_, i) => ({
        title: `批量告警 ${i}`, memberId: 1100002, categoryId: generalId, status: i % 4 === 0 ? ("PENDING" as const) : ("COMPLETED" as const),
        createdAt: new Date(Date.parse("2025-08-01T00:00:00Z") + i * 60_000), updatedAt: new Date(Date.parse("2025-08-01T00:00:00Z") + i * 60_000),
      })),
    });
    for (const q of ["批量告警", "宕机", "磁带机"]) {
      const input = ZQueueInput.parse({ q, limit: 20 });
      const filter = await resolveQueueFilter(t.prisma, admin, input, TZ);
      const page = async (dense: boolean) =>
        (await findQueuePage(t.prisma, { ...filter, search: { ...filter.search!, headDense: dense, bodyDense: dense } }, "updated", null, 21)).map((r) => r.id);
      expect(await page(true), q).toEqual(await page(false));
      const count = async (dense: boolean) =>
        t.prisma.$queryRaw<{ status: string; n: number }[]>(buildOnePassCountsSql({ ...filter, statuses: null, search: { ...filter.search!, headDense: dense, bodyDense: dense } }));
      const sum = (rows: { n: number }[]) => rows.reduce((a, r) => a + r.n, 0);
      expect(sum(await count(true)), q).toBe(sum(await count(false)));
    }
    const counts = await queueCounts(t.prisma, admin, { q: "批量告警" }, TZ);
    expect(counts.total).toBe(SEARCH_COUNT_LIMIT);
    expect(Object.values(counts.capped).every(Boolean)).toBe(true);
  });
});
