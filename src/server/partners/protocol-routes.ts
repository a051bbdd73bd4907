import "server-only";
import { getDb } from "../db/index.ts";
import { getInstanceSecretBox } from "../crypto/secret-box.ts";
import { getBlobStore } from "../storage/index.ts";
import { rateLimitsFor } from "../rate-limits.ts";
import { observed } from "../http/metrics.ts";
import { logger, safeError } from "../logger.ts";
import { jsonResponse } from "../protocol/inbound-frame.ts";
import type { ProtocolEnv, ProtocolHandler } from "./partner-door.ts";

/** Per partner: LIMITS.partner (600 a minute), shared by every web process (src/server/rate-limits.ts). */
async function instanceEnv(): Promise<ProtocolEnv> {
  const db = await getDb();
  return { db, box: await getInstanceSecretBox(), store: getBlobStore(), limits: rateLimitsFor(db) };
}

// Static routes get no params at all (undefined), dynamic ones a promise of them.
type NextRouteContext = { params?: Promise<Record<string, string | string[]> | undefined> };

/** Adapts a protocol handler to a Next route export (`export const POST = nextRoute(…)`). */
export function nextRoute(handler: ProtocolHandler) {
  return observed("protocol", async (req: Request, context: NextRouteContext): Promise<Response> => {
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
  });
}
