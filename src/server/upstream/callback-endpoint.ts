import "server-only";
import { getConfig } from "../config.ts";
import { getDb } from "../db/index.ts";
import { logger, safeError } from "../logger.ts";
import { ProtocolError } from "../protocol/errors.ts";
import { errorResponse } from "../protocol/inbound-frame.ts";
import { handleUpstreamCallback } from "./callbacks.ts";

/** The callback route's whole body, outside src/app so the route stays a one-liner. */
export async function receiveUpstreamCallback(request: Request, connectionId: string): Promise<Response> {
  try {
    const answer = await handleUpstreamCallback(await getDb(), { authSecret: getConfig().authSecret }, connectionId, request);
    return Response.json(answer.body, { status: answer.status });
  } catch (e) {
    if (e instanceof ProtocolError) return errorResponse(e, request);
    // The database itself is unreachable: a 5xx (no protocol code, §8) tells the upstream to retry.
    logger.error({ connectionId, err: safeError(e) }, "upstream callback failed");
    return Response.json({}, { status: 503, headers: { "Retry-After": "30" } });
  }
}
