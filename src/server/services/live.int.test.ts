import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import superjson from "superjson";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { asMember, asStaff, callerFor } from "@/test/callers";
import { seedDemoData } from "@/server/db/seed-demo";
import type { LiveBus } from "@/server/db/live-bus";
import { handleTrpcRequest } from "@/server/api/http";
import { rateLimitsFor } from "@/server/rate-limits";
import type { Viewer } from "@/server/viewer";
import { createLiveHub, type LiveHub, type LiveItem } from "./live-service";

/**
 * The live channel end to end on a real database: a committed change reaches the streams that
 * may hear of it through the database's own NOTIFY (PGlite's listen() or a PostgreSQL LISTEN
 * connection), a member hears only of what the member may see, a reconnect resumes, and open
 * streams are bounded and cleaned up.
 */
let t: TestDatabase;
let bus: LiveBus;
let hub: LiveHub;
let category: number;

const MEMBER: Viewer = { kind: "member", memberId: 1100001, name: "张三" };
const OTHER_MEMBER: Viewer = { kind: "member", memberId: 1100002, name: "李四" };
const STAFF: Viewer = { kind: "staff", staffId: 2, name: "客服小王", role: "STAFF" };

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.prisma);
  category = (await t.prisma.category.findFirstOrThrow({ where: { type: "NORMAL", enabled: true } })).id;
  bus = await t.openLiveBus();
  hub = createLiveHub(t.prisma, bus, { maxPerAccount: 3 });
});
afterAll(async () => {
  await hub.close();
  await bus.close();
  await t.close();
});
beforeEach(async () => {
  await t.prisma.rateLimit.deleteMany({});
});

/** A stream read in the background: its items so far, and a way to wait for one. */
function open(viewer: Viewer, lastEventId?: number) {
  const abort = new AbortController();
  const items: LiveItem[] = [];
  const it = hub.stream(viewer, { lastEventId, signal: abort.signal });
  const done = (async () => {
    for await (const item of it) items.push(item);
  })();
  const until = async (pred: (items: LiveItem[]) => boolean, ms = 5_000) => {
    const end = Date.now() + ms;
    while (!pred(items)) {
      if (Date.now() > end) throw new Error(`timed out; got ${JSON.stringify(items)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { items, until, close: async () => (abort.abort(), await done) };
}
const ticketEvents = (items: LiveItem[], ticketId: number) => items.filter((i) => i.event.kind === "ticket" && i.event.ticketId === ticketId);
const newTicket = async () => (await asMember(t.prisma).portal.create({ categoryId: category, title: "实时测试", body: "SSH 连不上" })).ticketId;

describe(`live channel (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("a filed ticket reaches a staff stream and its member's stream after commit, with ids and kinds only", async () => {
    const staff = open(STAFF);
    const member = open(MEMBER);
    await staff.until((i) => i[0]?.event.kind === "ready");
    await member.until((i) => i[0]?.event.kind === "ready");
    const ticketId = await newTicket();
    await staff.until((i) => ticketEvents(i, ticketId).length === 1);
    await member.until((i) => ticketEvents(i, ticketId).length === 1);
    const item = ticketEvents(member.items, ticketId)[0]!;
    expect(Object.keys(item.event).sort()).toEqual(["eventId", "kind", "ticketId"]);
    expect(item.id).toBe(String((item.event as { eventId: number }).eventId));
    await staff.close();
    await member.close();
  });

  it("a staff-only note produces no member event; the public reply after it does (R7)", async () => {
    const ticketId = await newTicket();
    const staff = open(STAFF);
    const member = open(MEMBER);
    const other = open(OTHER_MEMBER);
    await Promise.all([staff, member, other].map((s) => s.until((i) => i.length > 0)));
    await asStaff(t.prisma).console.note({ ticketId, body: "内部备注：客户欠费", attachmentIds: [] });
    await asStaff(t.prisma).console.reply({ ticketId, body: "您好，请重启试试", attachmentIds: [] });
    await staff.until((i) => ticketEvents(i, ticketId).length === 2);
    await member.until((i) => ticketEvents(i, ticketId).length === 1);
    // The reply came after the note: by the time the member hears of it, the note was resolved too.
    const noteEvent = await t.prisma.ticketEvent.findFirstOrThrow({ where: { ticketId, action: "staff.note" } });
    expect(member.items.some((i) => i.id === String(noteEvent.id))).toBe(false);
    expect(staff.items.some((i) => i.id === String(noteEvent.id))).toBe(true);
    expect(ticketEvents(other.items, ticketId)).toEqual([]);
    // Staff-only signals (presence) never reach a member either.
    await asStaff(t.prisma).presence.beat({ ticketId, typing: true });
    await staff.until((i) => i.some((x) => x.event.kind === "presence"));
    expect(member.items.some((x) => x.event.kind === "presence")).toBe(false);
    await Promise.all([staff.close(), member.close(), other.close()]);
  });

  it("a new notification reaches only its recipient's streams: the bell is live", async () => {
    const ticketId = await newTicket();
    const member = open(MEMBER);
    const other = open(OTHER_MEMBER);
    const staff = open(STAFF);
    await Promise.all([member, other, staff].map((s) => s.until((i) => i.length > 0)));
    const event = await t.prisma.ticketEvent.findFirstOrThrow({ where: { ticketId } });
    // What the fan-out writes: one bell entry for the ticket's member.
    await t.prisma.notification.create({
      data: { recipientKind: "MEMBER", recipientId: 1100001, eventId: event.id, ticketId, kind: "ticket.replied", ticketTitle: "实时测试", inApp: true },
    });
    await member.until((i) => i.some((x) => x.event.kind === "notification"));
    // The hub hands one signal to every stream in one pass: had the others heard, they would have by now.
    expect(other.items.some((x) => x.event.kind === "notification")).toBe(false);
    expect(staff.items.some((x) => x.event.kind === "notification")).toBe(false);
    await Promise.all([member.close(), other.close(), staff.close()]);
  });

  it("a rolled-back change is never announced", async () => {
    const ticketId = await newTicket();
    const staff = open(STAFF);
    await staff.until((i) => i.length > 0);
    const stale = (await asStaff(t.prisma).console.ticket({ ticketId })).version;
    await asStaff(t.prisma).console.accept({ ticketId, expectedVersion: stale });
    await expect(asStaff(t.prisma).console.close({ ticketId, expectedVersion: stale })).rejects.toMatchObject({ code: "CONFLICT" });
    await asStaff(t.prisma).console.note({ ticketId, body: "对照", attachmentIds: [] }); // the positive control
    await staff.until((i) => ticketEvents(i, ticketId).length === 2);
    const actions = await t.prisma.ticketEvent.findMany({ where: { ticketId, id: { in: ticketEvents(staff.items, ticketId).map((i) => Number(i.id)) } }, select: { action: true } });
    expect(actions.map((a) => a.action).sort()).toEqual(["staff.accept", "staff.note"]);
    await staff.close();
  });

  it("a reconnect naming its last event id replays what it missed, filtered for a member", async () => {
    const ticketId = await newTicket();
    const first = open(MEMBER);
    await first.until((i) => i.length > 0);
    const resumeAt = Number(first.items.at(-1)!.id);
    await first.close();
    await asStaff(t.prisma).console.note({ ticketId, body: "内部：仅客服", attachmentIds: [] });
    await asStaff(t.prisma).console.reply({ ticketId, body: "您好，已处理", attachmentIds: [] });
    const again = open(MEMBER, resumeAt);
    await again.until((i) => ticketEvents(i, ticketId).length === 1);
    const reply = await t.prisma.ticketEvent.findFirstOrThrow({ where: { ticketId, action: "staff.reply" } });
    expect(ticketEvents(again.items, ticketId).map((i) => i.id)).toEqual([String(reply.id)]);
    const staffAgain = open(STAFF, resumeAt);
    await staffAgain.until((i) => ticketEvents(i, ticketId).length === 2);
    await Promise.all([again.close(), staffAgain.close()]);
  });

  it("one account may hold a bounded number of streams; closing one frees its place", async () => {
    const streams = [open(STAFF), open(STAFF), open(STAFF)];
    await Promise.all(streams.map((s) => s.until((i) => i.length > 0)));
    const fourth = hub.stream(STAFF, {});
    await expect(fourth.next()).rejects.toMatchObject({ code: "RATE_LIMITED" });
    const otherAccount = open({ kind: "staff", staffId: 1, name: "超级管理员", role: "SUPER_ADMIN" });
    await otherAccount.until((i) => i.length > 0); // the cap is per account
    await streams[0]!.close();
    const again = open(STAFF);
    await again.until((i) => i.length > 0);
    await Promise.all([...streams.slice(1), again, otherAccount].map((s) => s.close()));
    expect(hub.openStreams()).toBe(0);
  });

  it("500 SSE requests opened and aborted over HTTP leave no stream or listener behind", { timeout: 120_000 }, async () => {
    const ctx = (viewer: Viewer) => async () => ({ db: t.prisma, viewer, locale: "zh-CN" as const, timeZone: "Asia/Shanghai", limits: rateLimitsFor(t.prisma), clientAddress: "192.0.2.9", live: hub });
    const input = encodeURIComponent(JSON.stringify(superjson.serialize({})));
    for (let i = 0; i < 500; i++) {
      const abort = new AbortController();
      const res = await handleTrpcRequest(new Request(`http://relaydesk.test/api/trpc/live.events?input=${input}`, { signal: abort.signal, headers: { accept: "text/event-stream" } }), ctx(i % 2 ? STAFF : MEMBER));
      expect(res.headers.get("content-type")).toContain("text/event-stream");
      const reader = res.body!.getReader();
      let text = "";
      while (!text.includes("ready")) text += new TextDecoder().decode((await reader.read()).value);
      abort.abort();
      await reader.cancel().catch(() => {});
    }
    const settle = Date.now() + 5_000;
    while (hub.openStreams() > 0 && Date.now() < settle) await new Promise((r) => setTimeout(r, 20));
    expect(hub.openStreams()).toBe(0);
    // The hub still works afterwards (the check above could pass on a dead hub).
    const s = open(STAFF);
    const ticketId = await newTicket();
    await s.until((i) => ticketEvents(i, ticketId).length === 1);
    await s.close();
    expect(hub.openStreams()).toBe(0);
  });

  it("a resume position that is not an event id is refused with 400, before any stream opens", async () => {
    for (const lastEventId of ["abc", "-1", "1.5", "99999999999", "1".repeat(11)]) {
      await expect(callerFor(t.prisma, STAFF, "zh-CN", "192.0.2.1", hub).live.events({ lastEventId })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    expect(hub.openStreams()).toBe(0);
    // The positive control: a real id opens a stream, and it carries what happens next.
    await newTicket();
    const latest = (await t.prisma.ticketEvent.findFirstOrThrow({ orderBy: { id: "desc" } })).id;
    const stream = (await callerFor(t.prisma, STAFF, "zh-CN", "192.0.2.1", hub).live.events({ lastEventId: String(latest) })) as AsyncIterable<unknown>;
    const reader = stream[Symbol.asyncIterator]();
    const first = reader.next();
    const ticketId = await newTicket();
    expect(JSON.stringify((await first).value)).toContain(`"ticketId":${ticketId}`);
    await reader.return?.();
  });

  it("an anonymous stream is refused", async () => {
    await expect(callerFor(t.prisma, { kind: "anonymous" }, "zh-CN", "192.0.2.1", hub).live.events({})).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)("live channel across processes (postgres)", () => {
  it("a change committed through one process's connections reaches a stream in another process", async () => {
    const { openDatabase } = await import("@/server/db/client");
    const second = await openDatabase({ kind: "postgres", url: t.url! }, { migrate: false });
    const secondBus = await second.openLiveBus();
    const secondHub = createLiveHub(second.prisma, secondBus);
    try {
      const abort = new AbortController();
      const items: LiveItem[] = [];
      const reading = (async () => {
        for await (const item of secondHub.stream(STAFF, { signal: abort.signal })) items.push(item);
      })();
      while (items.length === 0) await new Promise((r) => setTimeout(r, 10));
      const ticketId = await newTicket(); // written through the first process's pool
      const end = Date.now() + 5_000;
      while (ticketEvents(items, ticketId).length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      expect(ticketEvents(items, ticketId)).toHaveLength(1);
      abort.abort();
      await reading;
    } finally {
      await secondHub.close();
      await secondBus.close();
      await second.close();
    }
  });
});
