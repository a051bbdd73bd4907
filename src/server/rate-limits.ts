import type { Redis } from "ioredis";
import { RateLimiterPostgres, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { Db } from "./db/client.ts";
import { rateLimitStoreClient } from "./db/repos/rate-limit-store.ts";
import { throttleDelaySeconds } from "./domain/login-throttle.ts";
import { getConfig } from "./config.ts";
import { getRedis } from "./redis.ts";

/**
 * Every rate limit of the web doors and of the partner protocol, kept outside the process so that
 * all web processes on one database — and the copies of this module Next makes per chunk — count
 * together: in the database (table "RateLimit", through rate-limiter-flexible's PostgreSQL store: one
 * upsert per use, which also restarts an expired window), or
 * in Redis when REDIS_URL is set, with the database as the insurance while Redis is unreachable.
 * The numbers are listed in docs/SECURITY.md.
 */
export const LIMITS = {
  /** Sign-in: failures of one account from one address. The first 5 are free, then each waits. */
  loginPair: { freeFailures: 5, baseDelaySeconds: 30, maxDelaySeconds: 3600, windowSeconds: 24 * 3600 },
  /** Sign-in: failures of one account from all addresses; then addresses it never used wait. */
  loginAccount: { freeFailures: 20, baseDelaySeconds: 60, maxDelaySeconds: 3600, windowSeconds: 3600 },
  /** Sign-in: failures from one address over all accounts (password spraying). */
  loginAddress: { freeFailures: 50, baseDelaySeconds: 60, maxDelaySeconds: 3600, windowSeconds: 3600 },
  /** An address where an account signed in successfully stays known this long. */
  knownAddressDays: 30,
  register: { points: 5, windowSeconds: 3600 }, // per address
  changePassword: { points: 5, windowSeconds: 15 * 60 }, // per member
  upload: { points: 30, windowSeconds: 60 }, // per signed-in viewer
  newTicket: { points: 10, windowSeconds: 10 * 60 }, // per member
  reply: { points: 30, windowSeconds: 10 * 60 }, // per member
  /** Signed partner protocol: a sync of a few hundred tickets fits; a runaway loop gets 429. */
  partner: { points: 600, windowSeconds: 60 }, // per partner
} as const;

export type AllowanceKind = "register" | "changePassword" | "upload" | "newTicket" | "reply" | "partner";
export type Allowance = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Who tries to sign in: the resolved account (or the typed login when none exists) and from where. */
export type LoginAttempt = { accountKey: string; address: string };
export type LoginGate = { ok: true; knownAddress: boolean } | { ok: false; retryAfterSeconds: number; scope: "pair" | "account" | "address" };
export type LoginFailure = { pairFailures: number; accountFailures: number; addressFailures: number; delayedSeconds: number };

export type RateLimits = {
  /** Counts one use of `kind` by `key`; refused once the window's allowance is spent. */
  take(kind: AllowanceKind, key: string): Promise<Allowance>;
  login: {
    /** Before the password is checked: may this attempt be made now? */
    gate(attempt: LoginAttempt): Promise<LoginGate>;
    /** A wrong password: count it everywhere and start (or grow) the waits it earns. */
    fail(attempt: LoginAttempt): Promise<LoginFailure>;
    /** The right password: this address becomes known for the account; its own failures are forgiven. */
    succeed(attempt: LoginAttempt): Promise<void>;
  };
};

const DAY = 24 * 3600;
const retryAfter = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export type RateLimitOptions = {
  /** Counters in Redis (REDIS_URL); the database store still answers whenever Redis does not. */
  redis?: Redis | null;
  /** Put before every key (both stores); tests keep their runs apart with it. */
  keyPrefix?: string;
  /** Put before Redis keys only (REDIS_KEY_PREFIX): one Redis may serve several instances. */
  redisKeyPrefix?: string;
  /** A smaller allowance than LIMITS (tests of the refusal). */
  points?: Partial<Record<AllowanceKind, number>>;
};

export function createRateLimits(db: Db, options: RateLimitOptions = {}): RateLimits {
  const prefix = options.keyPrefix ?? "";
  const storeClient = rateLimitStoreClient(db);
  const store = (name: string, points: number, duration: number) => {
    const keyPrefix = `${prefix}${name}`;
    const database = new RateLimiterPostgres({ storeClient, storeType: "client", tableName: "RateLimit", tableCreated: true, keyPrefix, points, duration });
    if (!options.redis) return database;
    // Not ready (starting, reconnecting, down): straight to the database instead of waiting.
    return new RateLimiterRedis({
      storeClient: options.redis,
      keyPrefix: `${options.redisKeyPrefix ?? ""}${keyPrefix}`,
      points,
      duration,
      rejectIfRedisNotReady: true,
      insuranceLimiter: database,
    });
  };
  const allowance = (kind: AllowanceKind, name: string) => store(name, options.points?.[kind] ?? LIMITS[kind].points, LIMITS[kind].windowSeconds);

  const allowances: Record<AllowanceKind, RateLimiterPostgres | RateLimiterRedis> = {
    register: allowance("register", "register"),
    changePassword: allowance("changePassword", "password"),
    upload: allowance("upload", "upload"),
    newTicket: allowance("newTicket", "ticket"),
    reply: allowance("reply", "reply"),
    partner: allowance("partner", "partner"),
  };
  // Failure counters only count (penalty never refuses); the waits they earn are blocks below.
  const failures = {
    pair: store("login-fail-pair", 1_000_000, LIMITS.loginPair.windowSeconds),
    account: store("login-fail-account", 1_000_000, LIMITS.loginAccount.windowSeconds),
    address: store("login-fail-address", 1_000_000, LIMITS.loginAddress.windowSeconds),
  };
  const blocks = store("login-wait", 1, DAY);
  const known = store("login-known", 1, LIMITS.knownAddressDays * DAY);

  const pairKey = (a: LoginAttempt) => `${a.accountKey}|${a.address}`;
  const waiting = async (key: string) => {
    const res = await blocks.get(key);
    return res && res.consumedPoints > 1 && res.msBeforeNext > 0 ? res.msBeforeNext : 0;
  };

  return {
    async take(kind, key) {
      try {
        await allowances[kind].consume(key);
        return { ok: true };
      } catch (e) {
        if (e instanceof RateLimiterRes) return { ok: false, retryAfterSeconds: retryAfter(e.msBeforeNext) };
        throw e;
      }
    },
    login: {
      async gate(attempt) {
        const knownAddress = (await known.get(pairKey(attempt))) !== null;
        const pairWait = await waiting(`pair:${pairKey(attempt)}`);
        if (pairWait) return { ok: false, retryAfterSeconds: retryAfter(pairWait), scope: "pair" };
        // The owner's own address is never held back by others' guessing (no lockout switch).
        if (!knownAddress) {
          const accountWait = await waiting(`account:${attempt.accountKey}`);
          if (accountWait) return { ok: false, retryAfterSeconds: retryAfter(accountWait), scope: "account" };
          const addressWait = await waiting(`address:${attempt.address}`);
          if (addressWait) return { ok: false, retryAfterSeconds: retryAfter(addressWait), scope: "address" };
        }
        return { ok: true, knownAddress };
      },
      async fail(attempt) {
        const [pair, account, address] = await Promise.all([
          failures.pair.penalty(pairKey(attempt)),
          failures.account.penalty(attempt.accountKey),
          failures.address.penalty(attempt.address),
        ]);
        const waits = [
          [`pair:${pairKey(attempt)}`, throttleDelaySeconds(pair.consumedPoints, LIMITS.loginPair)],
          [`account:${attempt.accountKey}`, throttleDelaySeconds(account.consumedPoints, LIMITS.loginAccount)],
          [`address:${attempt.address}`, throttleDelaySeconds(address.consumedPoints, LIMITS.loginAddress)],
        ] as const;
        await Promise.all(waits.filter(([, s]) => s > 0).map(([key, s]) => blocks.block(key, s)));
        return {
          pairFailures: pair.consumedPoints,
          accountFailures: account.consumedPoints,
          addressFailures: address.consumedPoints,
          delayedSeconds: Math.max(...waits.map(([, s]) => s)),
        };
      },
      async succeed(attempt) {
        await Promise.all([
          known.set(pairKey(attempt), 1, LIMITS.knownAddressDays * DAY),
          failures.pair.delete(pairKey(attempt)),
          blocks.delete(`pair:${pairKey(attempt)}`),
        ]);
      },
    },
  };
}

// One set per database handle: the limiters hold no counts themselves (those are in the
// database or Redis), so this only saves building them per request. Redis when REDIS_URL is set.
const perDb = new WeakMap<Db, RateLimits>();
export function rateLimitsFor(db: Db): RateLimits {
  let limits = perDb.get(db);
  if (!limits) perDb.set(db, (limits = createRateLimits(db, { redis: getRedis(), redisKeyPrefix: getConfig().redisKeyPrefix })));
  return limits;
}
