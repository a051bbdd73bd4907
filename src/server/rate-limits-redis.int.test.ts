import net from "node:net";
import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { seedDemoData } from "@/server/db/seed-demo";
import { openDatabase, type Database } from "@/server/db/client";
import { loginStaff } from "@/server/services/auth-service";
import { createRateLimits } from "./rate-limits.ts";
import { openRedis } from "./redis.ts";

/**
 * REDIS_URL: the counters live in Redis (the Redis on this machine, for real; every run under its
 * own key prefix), shared by every process's limiters, and a Redis that does not answer falls back
 * to the database store instead of to no limits at all.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
let t: TestDatabase;
/** On PostgreSQL a second pool stands for the second process; on PGlite the same handle. */
let second: Database | null = null;
const clients: Redis[] = [];
const prefix = `relaydesk-test-${randomBytes(4).toString("hex")}-`;

async function redisClient(url = REDIS_URL, ready = true): Promise<Redis> {
  const redis = openRedis(url);
  clients.push(redis);
  if (ready && redis.status !== "ready") await new Promise((resolve, reject) => { redis.once("ready", resolve); redis.once("end", reject); });
  return redis;
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.prisma);
  second = t.url ? await openDatabase({ kind: "postgres", url: t.url }, { migrate: false }) : null;
});
afterAll(async () => {
  const redis = await redisClient();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  for (const c of clients) c.disconnect();
  await second?.close();
  await t.close();
});

describe(`rate limits in Redis (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("two processes' limiters (two Redis clients, two database handles) spend one allowance, and the counts are in Redis", async () => {
    const keyPrefix = `${prefix}shared-`;
    const a = createRateLimits(t.prisma, { redis: await redisClient(), keyPrefix, points: { partner: 3 } });
    const b = createRateLimits(second?.prisma ?? t.prisma, { redis: await redisClient(), keyPrefix, points: { partner: 3 } });
    expect(await a.take("partner", "7")).toEqual({ ok: true });
    expect(await b.take("partner", "7")).toEqual({ ok: true });
    expect(await a.take("partner", "7")).toEqual({ ok: true });
    expect(await b.take("partner", "7")).toMatchObject({ ok: false, retryAfterSeconds: 60 });
    expect(await a.take("partner", "7")).toMatchObject({ ok: false });
    // Another partner has its own allowance.
    expect(await b.take("partner", "8")).toEqual({ ok: true });
    const redis = await redisClient();
    expect(Number(await redis.get(`${keyPrefix}partner:7`))).toBe(5);
    expect(await t.prisma.rateLimit.count({ where: { key: { startsWith: keyPrefix } } })).toBe(0);
  });

  it("sign-in failures spread over two processes hold the account back after the same count as on one", async () => {
    const keyPrefix = `${prefix}login-`;
    const a = createRateLimits(t.prisma, { redis: await redisClient(), keyPrefix });
    const b = createRateLimits(second?.prisma ?? t.prisma, { redis: await redisClient(), keyPrefix });
    const address = "192.0.2.77";
    for (let i = 0; i < 5; i++) {
      const [db, limits] = i % 2 ? [second?.prisma ?? t.prisma, b] : [t.prisma, a];
      expect(await loginStaff(db, limits, { login: "kefu", password: `wrong-${i}`, address })).toEqual({ ok: false, error: "INVALID_CREDENTIALS" });
    }
    // The sixth try, even with the right password, waits — on either process.
    expect(await loginStaff(t.prisma, a, { login: "kefu", password: "kefu123456", address })).toMatchObject({ ok: false, error: "RATE_LIMITED", retryAfterSeconds: 30 });
    expect(await loginStaff(second?.prisma ?? t.prisma, b, { login: "kefu", password: "kefu123456", address })).toMatchObject({ ok: false, error: "RATE_LIMITED" });
    expect(await t.prisma.rateLimit.count({ where: { key: { startsWith: keyPrefix } } })).toBe(0);
  });

  it("Redis unreachable (REDIS_URL at a closed port): the limits still hold, counted in the database and shared there", async () => {
    const keyPrefix = `${prefix}insured-`;
    const url = `redis://127.0.0.1:${await closedPort()}`;
    const a = createRateLimits(t.prisma, { redis: await redisClient(url, false), keyPrefix, points: { partner: 2 } });
    const b = createRateLimits(second?.prisma ?? t.prisma, { redis: await redisClient(url, false), keyPrefix, points: { partner: 2 } });
    expect(await a.take("partner", "9")).toEqual({ ok: true });
    expect(await b.take("partner", "9")).toEqual({ ok: true });
    expect(await a.take("partner", "9")).toMatchObject({ ok: false, retryAfterSeconds: 60 });
    expect(await t.prisma.rateLimit.findUnique({ where: { key: `${keyPrefix}partner:9` } })).toMatchObject({ points: 3 });
    // The sign-in throttle too.
    for (let i = 0; i < 5; i++) await loginStaff(t.prisma, i % 2 ? b : a, { login: "admin", password: `wrong-${i}`, address: "192.0.2.78" });
    expect(await loginStaff(t.prisma, b, { login: "admin", password: "admin123456", address: "192.0.2.78" })).toMatchObject({ ok: false, error: "RATE_LIMITED" });
  });

  it("Redis going away while running: the next counts go to the database at once", async () => {
    const keyPrefix = `${prefix}outage-`;
    const redis = await redisClient();
    const limits = createRateLimits(t.prisma, { redis, keyPrefix, points: { upload: 2 } });
    expect(await limits.take("upload", "member:1")).toEqual({ ok: true });
    redis.disconnect(); // what a Redis restart looks like to the client
    expect(await limits.take("upload", "member:1")).toEqual({ ok: true });
    expect(await limits.take("upload", "member:1")).toEqual({ ok: true });
    expect(await limits.take("upload", "member:1")).toMatchObject({ ok: false });
    expect(await t.prisma.rateLimit.findUnique({ where: { key: `${keyPrefix}upload:member:1` } })).toMatchObject({ points: 3 });
  });
});
