import "server-only";
import { getDb } from "../db/index.ts";
import { getInstanceSecretBox } from "../crypto/secret-box.ts";
import { getBlobStore } from "../storage/index.ts";
import { RateLimiter } from "../rate-limit.ts";
import { logger, safeError } from "../logger.ts";
import { jsonResponse } from "../protocol/inbound-frame.ts";
import type { ProtocolEnv, ProtocolHandler } from "./partner-door.ts";

/**
 * Per partner: 600 requests a minute. A sync of a few hundred tickets fits; a runaway loop gets
 * 429 with Retry-After instead of starving the console. In-process (see rate-limit.ts).
 */
export const PARTNER_RATE_LIMIT = { limit: 600, windowSeconds: 60 } as const;

const holder = globalThis as unknown as { __relaydeskPartnerLimiter?: RateLimiter };

async function instanceEnv(): Promise<ProtocolEnv> {
  holder.__relaydeskPartnerLimiter ??= new RateLimiter(PARTNER_RATE_LIMIT.limit, PARTNER_RATE_LIMIT.windowSeconds * 1000);
  return {
    db: await getDb(),
    box: await getInstanceSecretBox(),
    store: getBlobStore(),
    limiter: holder.__relaydeskPartnerLimiter,
    rateWindowSeconds: PARTNER_RATE_LIMIT.windowSeconds,
  };
}

// Static routes get no params at all (undefined), dynamic ones a promise of them.
type NextRouteContext = { params?: Promise<Record<string, string | string[]> | undefined> };

/** Adapts a protocol handler to a Next route export (`export const POST = nextRoute(…)`). */
export function nextRoute(handler: ProtocolHandler) {
  return async (req: Request, context: NextRouteContext): Promise<Response> => {
    const raw = (await context?.params) ?? {};
    const params = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : v]));
    let env: ProtocolEnv;
    try {
      env = await instanceEnv();
    } catch (e) {
      // The handler answers its own errors; this is start-up trouble (database, config).
      logger.error({ err: safeError(e) }, "protocol endpoint unavailable");
      return jsonResponse(503, { error: { code: "internal_error", message: "Temporarily unavailable; retry later." } });
    }
    return handler(req, env, params);
  };
}
