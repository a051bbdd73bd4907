import { Redis } from "ioredis";
import { getConfig } from "./config.ts";
import { logger, safeError } from "./logger.ts";

/**
 * A Redis client for shared counters that never makes a request wait for Redis: while it is not
 * connected, commands fail at once (no offline queue) and the caller falls back (the rate limits
 * to the database), and it keeps reconnecting in the background.
 */
export function openRedis(url: string): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
  });
  let lastLogged = 0;
  redis.on("error", (e: unknown) => {
    // Once a minute is enough to say Redis is away; every reconnect attempt would flood the log.
    if (Date.now() - lastLogged < 60_000) return;
    lastLogged = Date.now();
    logger.warn({ err: safeError(e) }, "redis unreachable; rate limits count in the database meanwhile");
  });
  return redis;
}

// One client per process, on globalThis: Next copies this module per chunk.
const holder = globalThis as unknown as { __relaydeskRedis?: Redis | null };

/** The process's client for REDIS_URL, or null when it is not set. */
export function getRedis(): Redis | null {
  if (holder.__relaydeskRedis === undefined) {
    const url = getConfig().redisUrl;
    holder.__relaydeskRedis = url ? openRedis(url) : null;
  }
  return holder.__relaydeskRedis;
}

/** At shutdown: close the client if one was opened. */
export async function closeRedis(): Promise<void> {
  const redis = holder.__relaydeskRedis;
  holder.__relaydeskRedis = undefined;
  if (redis) await redis.quit().catch(() => redis.disconnect());
}
