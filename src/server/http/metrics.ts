import "server-only";
import { timingSafeEqual, createHash } from "node:crypto";
import { getConfig } from "../config.ts";
import { getDb } from "../db/index.ts";
import { openLiveStreams } from "../live-hub.ts";
import { logger, safeError } from "../logger.ts";
import { getMetrics, type RouteKind } from "../metrics.ts";
import { scrapeMetrics } from "../services/metrics-service.ts";

/**
 * Counts a route handler's answers in the process's registry: requests by door, method and
 * status, and the time to the response (a thrown error counts as 500 and is re-thrown).
 */
export function observed<A extends unknown[]>(route: RouteKind, handler: (req: Request, ...rest: A) => Promise<Response> | Response) {
  return async (req: Request, ...rest: A): Promise<Response> => {
    const metrics = getMetrics();
    const started = performance.now();
    let status = 500;
    try {
      const res = await handler(req, ...rest);
      status = res.status;
      return res;
    } finally {
      const labels = { route, method: req.method, status: String(status) };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, (performance.now() - started) / 1000);
    }
  };
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/**
 * `GET /api/metrics`: Prometheus text exposition, only with `Authorization: Bearer $METRICS_TOKEN`.
 * Without METRICS_TOKEN the endpoint does not exist (404); a wrong or missing token is 401.
 */
export async function handleMetrics(req: Request): Promise<Response> {
  const token = getConfig().metricsToken;
  if (!token) return new Response("Not Found", { status: 404, headers: { "Cache-Control": "no-store" } });
  const given = /^Bearer (.+)$/.exec(req.headers.get("authorization") ?? "")?.[1] ?? "";
  if (!timingSafeEqual(digest(given), digest(token))) {
    return new Response("Unauthorized", { status: 401, headers: { "WWW-Authenticate": 'Bearer realm="metrics"', "Cache-Control": "no-store" } });
  }
  const metrics = getMetrics();
  try {
    const body = await scrapeMetrics(await getDb(), metrics, await openLiveStreams());
    return new Response(body, { headers: { "Content-Type": metrics.registry.contentType, "Cache-Control": "no-store" } });
  } catch (e) {
    logger.error({ err: safeError(e) }, "metrics scrape failed");
    return new Response("metrics unavailable", { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
