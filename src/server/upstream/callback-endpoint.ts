import "server-only";
import { getConfig } from "../config.ts";
import { getDb } from "../db/index.ts";
import { logger, safeError } from "../logger.ts";
import { readBodyWithin } from "../http/read-body.ts";
import { handleUpstreamCallback } from "./callbacks.ts";
import { MAX_CALLBACK_BODY_BYTES } from "../protocol/schemas.ts";

/**
 * The callback route's whole body, outside src/app so the route stays a one-liner and never touches
 * the database layer itself. Reads at most 1 MiB (+1 byte to notice more) before anything else.
 */
export async function receiveUpstreamCallback(request: Request, connectionId: string): Promise<Response> {
  try {
    const rawBody = await readBodyWithin(request, MAX_CALLBACK_BODY_BYTES);
    const url = new URL(request.url);
    const answer = await handleUpstreamCallback(await getDb(), { authSecret: getConfig().authSecret }, connectionId, {
      method: request.method,
      pathWithQuery: url.pathname + url.search,
      headers: request.headers,
      rawBody,
    });
    return Response.json(answer.body, { status: answer.status });
  } catch (e) {
    // The database itself is unreachable: a 5xx (no protocol code, §8) tells the upstream to retry.
    logger.error({ connectionId, err: safeError(e) }, "upstream callback failed");
    return Response.json({}, { status: 503, headers: { "Retry-After": "30" } });
  }
}
