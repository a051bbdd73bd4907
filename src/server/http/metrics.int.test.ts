import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { seedDemoData } from "@/server/db/seed-demo";
import { getMetrics } from "../metrics.ts";
import { scrapeMetrics } from "../services/metrics-service.ts";
import { observed } from "./metrics.ts";

/** The Prometheus registry: one per process whatever module copy counts, gauges read at scrape time. */
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.prisma);
});
afterAll(() => t.close());

const line = (text: string, prefix: string) => text.split("\n").find((l) => l.startsWith(prefix));

describe(`metrics (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("answers of different doors are counted by route kind, method and status, with their durations; a throw counts as 500", async () => {
    const trpc = observed("trpc", async () => new Response("{}", { status: 200 }));
    const files = observed("files", async () => new Response("", { status: 404 }));
    const broken = observed("protocol", async () => {
      throw new Error("boom");
    });
    await trpc(new Request("http://x/api/trpc/a"));
    await trpc(new Request("http://x/api/trpc/a", { method: "POST" }));
    await files(new Request("http://x/api/files/attachments/1"));
    await expect(broken(new Request("http://x/api/upstream/v1/tickets", { method: "POST" }))).rejects.toThrow("boom");
    const text = await getMetrics().registry.metrics();
    expect(line(text, 'relaydesk_http_requests_total{route="trpc",method="GET",status="200"}')).toMatch(/ 1$/);
    expect(line(text, 'relaydesk_http_requests_total{route="trpc",method="POST",status="200"}')).toMatch(/ 1$/);
    expect(line(text, 'relaydesk_http_requests_total{route="files",method="GET",status="404"}')).toMatch(/ 1$/);
    expect(line(text, 'relaydesk_http_requests_total{route="protocol",method="POST",status="500"}')).toMatch(/ 1$/);
    expect(line(text, 'relaydesk_http_request_duration_seconds_count{route="files",method="GET",status="404"}')).toMatch(/ 1$/);
  });

  it("a second copy of the module (as Next makes per chunk) counts into the same registry", async () => {
    vi.resetModules();
    const copy = await import("../metrics.ts?copy" as string) as typeof import("../metrics.ts");
    expect(copy.getMetrics()).toBe(getMetrics());
    copy.getMetrics().httpRequests.inc({ route: "uploads", method: "POST", status: "201" });
    expect(line(await getMetrics().registry.metrics(), 'relaydesk_http_requests_total{route="uploads",method="POST",status="201"}')).toMatch(/ 1$/);
  });

  it("a scrape reads the outbox depth, dead letters, the oldest pending age and open SLA breaches from the database", async () => {
    const now = new Date();
    const row = (status: "PENDING" | "DEAD" | "DELIVERED", minutesAgo: number) => ({
      kind: "UPSTREAM_REQUEST" as const,
      type: "ticket.create",
      orderingKey: `metrics-${Math.random()}`,
      payload: {},
      status,
      createdAt: new Date(now.getTime() - minutesAgo * 60_000),
    });
    await t.prisma.outboxMessage.deleteMany({});
    await t.prisma.outboxMessage.createMany({ data: [row("PENDING", 10), row("PENDING", 2), row("DEAD", 60), row("DELIVERED", 90)] });
    const tickets = await t.prisma.ticket.findMany({ take: 2, select: { id: true } });
    await t.prisma.ticket.updateMany({ data: { slaDueAt: null } });
    await t.prisma.ticket.update({ where: { id: tickets[0]!.id }, data: { slaDueAt: new Date(now.getTime() - 60_000) } });
    await t.prisma.ticket.update({ where: { id: tickets[1]!.id }, data: { slaDueAt: new Date(now.getTime() + 3_600_000) } });

    const text = await scrapeMetrics(t.prisma, getMetrics(), 3, now);
    expect(line(text, 'relaydesk_outbox_pending{kind="UPSTREAM_REQUEST"}')).toBe('relaydesk_outbox_pending{kind="UPSTREAM_REQUEST"} 2');
    expect(line(text, 'relaydesk_outbox_dead{kind="UPSTREAM_REQUEST"}')).toBe('relaydesk_outbox_dead{kind="UPSTREAM_REQUEST"} 1');
    expect(line(text, 'relaydesk_outbox_oldest_pending_seconds{kind="UPSTREAM_REQUEST"}')).toBe('relaydesk_outbox_oldest_pending_seconds{kind="UPSTREAM_REQUEST"} 600');
    expect(line(text, 'relaydesk_outbox_pending{kind="NOTIFY_EMAIL"}')).toBe('relaydesk_outbox_pending{kind="NOTIFY_EMAIL"} 0');
    expect(line(text, "relaydesk_sla_breaches_open ")).toBe("relaydesk_sla_breaches_open 1");
    expect(line(text, "relaydesk_live_streams ")).toBe("relaydesk_live_streams 3");
    expect(text).toMatch(/^relaydesk_process_resident_memory_bytes \d+/m);
  });
});
