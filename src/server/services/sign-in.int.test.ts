import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { asAnonymous, asMember, callerFor } from "@/test/callers";
import { seedDemoData } from "@/server/db/seed-demo";
import { openDatabase } from "@/server/db/client";
import { logger } from "@/server/logger";
import { createRateLimits, rateLimitsFor } from "@/server/rate-limits";
import { loginMember, loginStaff, resolveViewer } from "./auth-service";

/**
 * Sign-in cannot be gamed: one throttle per resolved account and per address, a growing delay
 * instead of a lockout switch, the owner's known address always gets in, equal cost for missing
 * and existing accounts, limits shared by every process on the database, revocable sessions.
 */
let t: TestDatabase;
const limits = () => rateLimitsFor(t.prisma);
const member = (login: string, password: string, address = "198.51.100.7") => loginMember(t.prisma, limits(), { login, password, address });
const staff = (login: string, password: string, address = "198.51.100.7") => loginStaff(t.prisma, limits(), { login, password, address });
/** The waits are real durations; a test lets them pass by expiring them in the store. */
const letWaitsPass = () => t.prisma.rateLimit.updateMany({ where: { key: { startsWith: "login-wait:" } }, data: { expire: BigInt(Date.now() - 1000) } });

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.prisma);
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.prisma.rateLimit.deleteMany({});
});

describe.sequential(`sign-in throttling (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("every spelling of a login shares the account's bucket: 1100001, 01100001 and the e-mail give 5 guesses in all, not 5 each", async () => {
    const spellings = ["1100001", "01100001", "MEMBER@demo.relaydesk", "001100001", "member@demo.relaydesk"];
    for (const login of spellings) expect(await member(login, "wrong-guess")).toEqual({ ok: false, error: "INVALID_CREDENTIALS" });
    for (const login of spellings) expect(await member(login, "another-guess")).toMatchObject({ ok: false, error: "RATE_LIMITED" });
  });

  it("after the free failures each further one doubles the wait (30 s, 60 s, 120 s …) instead of locking the account", { timeout: 180_000 }, async () => {
    for (let i = 0; i < 5; i++) await staff("kefu", "wrong");
    expect(await staff("kefu", "wrong")).toMatchObject({ error: "RATE_LIMITED", retryAfterSeconds: 30 });
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      await letWaitsPass();
      expect(await staff("kefu", "wrong")).toEqual({ ok: false, error: "INVALID_CREDENTIALS" }); // the wait is over: one more try
      const held = await staff("kefu", "wrong");
      expect(held).toMatchObject({ ok: false, error: "RATE_LIMITED" });
      waits.push((held as { retryAfterSeconds: number }).retryAfterSeconds);
    }
    expect(waits[0]).toBeGreaterThan(55);
    expect(waits[0]).toBeLessThanOrEqual(60);
    expect(waits[1]).toBeGreaterThan(115);
    expect(waits[2]).toBeGreaterThan(235);
  });

  it("the right password from a known address still works while an attacker's guesses hold the account back elsewhere", { timeout: 180_000 }, async () => {
    expect((await staff("admin", "admin123456", "203.0.113.10")).ok).toBe(true); // the owner's office: now known
    // Many attackers, many addresses: 30 failures on the account.
    for (let i = 0; i < 30; i++) await staff("admin", `guess-${i}`, `192.0.2.${100 + (i % 6)}`);
    // A fresh address of the attacker's is held back (the account is under attack) …
    expect(await staff("admin", "admin123456", "192.0.2.250")).toMatchObject({ ok: false, error: "RATE_LIMITED" });
    // … the owner's known address is not: no lockout switch.
    expect((await staff("admin", "admin123456", "203.0.113.10")).ok).toBe(true);
  });

  it("20 failures from one client do not lock everyone out: other accounts, and the admin from its own address, still sign in", { timeout: 180_000 }, async () => {
    expect((await staff("admin", "admin123456", "203.0.113.20")).ok).toBe(true);
    for (let i = 0; i < 20; i++) await member(i % 2 ? "1100002" : "1100001", `guess-${i}`, "192.0.2.66");
    expect((await staff("admin", "admin123456", "203.0.113.20")).ok).toBe(true);
    expect((await member("1100002", "member123456", "203.0.113.21")).ok).toBe(true);
    // Five wrong passwords from the attacker do not lock the owner out either.
    expect((await member("1100001", "member123456", "203.0.113.22")).ok).toBe(true);
  });

  it("password spraying from one address is slowed across accounts (50 failures, then that address waits)", { timeout: 180_000 }, async () => {
    for (let i = 0; i < 50; i++) await member(`nobody${i}@x.cn`, "Passw0rd!", "192.0.2.77");
    expect(await member("1100002", "member123456", "192.0.2.77")).toMatchObject({ ok: false, error: "RATE_LIMITED" });
    expect((await member("1100002", "member123456", "192.0.2.78")).ok).toBe(true);
  });

  it("failed sign-ins and the waits they cause are logged with account and address, never the password", { timeout: 180_000 }, async () => {
    const warn = vi.spyOn(logger, "warn");
    try {
      for (let i = 0; i < 6; i++) await staff("kefu", "Secret-Guess-123", "192.0.2.90");
      const lines = warn.mock.calls.map((c) => JSON.stringify(c));
      expect(lines.filter((l) => l.includes("sign-in failed"))).toHaveLength(5);
      expect(lines.some((l) => l.includes("sign-in held back") && l.includes("192.0.2.90") && l.includes("staff:2"))).toBe(true);
      expect(lines.join("\n")).not.toContain("Secret-Guess-123");
    } finally {
      warn.mockRestore();
    }
  });

  it("limits live in the database: two web processes (two clients, two limiter sets) count the same failures", async () => {
    // On PostgreSQL a second pool stands for a second process; on PGlite (one owning process) a
    // second limiter set stands for the module copy Next makes per chunk.
    const second = t.url ? await openDatabase({ kind: "postgres", url: t.url }, { migrate: false }) : null;
    const otherLimits = createRateLimits(second?.prisma ?? t.prisma);
    for (let i = 0; i < 3; i++) await staff("kefu", "wrong", "192.0.2.40");
    for (let i = 0; i < 2; i++) await loginStaff(second?.prisma ?? t.prisma, otherLimits, { login: "kefu", password: "wrong", address: "192.0.2.40" });
    expect(await staff("kefu", "kefu123456", "192.0.2.40")).toMatchObject({ ok: false, error: "RATE_LIMITED" });
    await second?.close();
  });
});

describe(`account enumeration (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  async function timed(f: () => Promise<unknown>) {
    const start = performance.now();
    await f();
    return performance.now() - start;
  }

  it("a login naming no account costs as much as a wrong password for an existing one (one scrypt either way)", { timeout: 180_000 }, async () => {
    await member("nobody-warmup@x.cn", "x"); // the decoy hash is made once
    const existing: number[] = [];
    const missing: number[] = [];
    for (let i = 0; i < 5; i++) {
      await t.prisma.rateLimit.deleteMany({});
      existing.push(await timed(() => member("1100002", `wrong-${i}`, `192.0.2.${10 + i}`)));
      missing.push(await timed(() => member(`nobody-${i}@x.cn`, `wrong-${i}`, `192.0.2.${20 + i}`)));
    }
    expect(median(missing)).toBeGreaterThan(median(existing) * 0.6);
    expect(median(missing)).toBeLessThan(median(existing) * 1.6);
  });

  it("registration is limited per address: the 6th in an hour is refused with a clear message; another address is not affected", async () => {
    const reg = (i: number, address: string) => asAnonymous(t.prisma, address).account.register({ name: `用户${i}`, email: `reg${i}-${address}@x.cn`, password: "12345678" });
    for (let i = 0; i < 5; i++) await reg(i, "192.0.2.55");
    const before = await t.prisma.member.count();
    await expect(reg(5, "192.0.2.55")).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS", message: "注册过于频繁，请 60 分钟后再试" });
    expect(await t.prisma.member.count()).toBe(before);
    await reg(6, "192.0.2.56");
  });
});

describe(`member sessions can be revoked (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  async function signedIn(login = "1100002", password = "member123456") {
    const r = await member(login, password, "203.0.113.50");
    if (!r.ok) throw new Error(`sign-in failed: ${r.error}`);
    return r.claims;
  }

  it("signing out ends the member's session everywhere: a copied token no longer works", async () => {
    const phone = await signedIn();
    const laptop = await signedIn();
    expect(await resolveViewer(t.prisma, laptop)).toMatchObject({ kind: "member", memberId: 1100002 });
    await callerFor(t.prisma, await resolveViewer(t.prisma, laptop)).account.signOutEverywhere();
    expect(await resolveViewer(t.prisma, laptop)).toEqual({ kind: "anonymous" });
    expect(await resolveViewer(t.prisma, phone)).toEqual({ kind: "anonymous" });
    expect(await resolveViewer(t.prisma, await signedIn())).toMatchObject({ kind: "member" }); // signing in again works
  });

  it("a password change ends the member's other sessions; the new password signs in", async () => {
    const other = await signedIn();
    await asMember(t.prisma, 1100002, "李四").account.changePassword({ current: "member123456", next: "new-pass-2026" });
    expect(await resolveViewer(t.prisma, other)).toEqual({ kind: "anonymous" });
    expect(await member("1100002", "member123456", "203.0.113.50")).toEqual({ ok: false, error: "INVALID_CREDENTIALS" });
    const fresh = await signedIn("1100002", "new-pass-2026");
    expect(await resolveViewer(t.prisma, fresh)).toMatchObject({ kind: "member", memberId: 1100002 });
    await asMember(t.prisma, 1100002, "李四").account.changePassword({ current: "new-pass-2026", next: "member123456" });
  });

  it("changePassword is rate-limited: a stolen session cannot guess the current password (5 tries per 15 minutes)", async () => {
    const me = asMember(t.prisma, 1100002, "李四");
    for (let i = 0; i < 5; i++) await expect(me.account.changePassword({ current: `guess-${i}`, next: "whatever-123" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(me.account.changePassword({ current: "member123456", next: "whatever-123" })).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: "修改密码尝试过多，请 15 分钟后再试",
    });
    expect((await member("1100002", "member123456", "203.0.113.51")).ok).toBe(true); // unchanged
  });
});
