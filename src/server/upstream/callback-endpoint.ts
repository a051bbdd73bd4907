import "server-only";
import { getConfig } from "../config.ts";
import { getDb } from "../db/index.ts";
import { logger, safeError } from "../logger.ts";
import { handleUpstreamCallback } from "./callbacks.ts";
import { MAX_CALLBACK_BODY_BYTES } from "./protocol.ts";

/**
 * The callback route's whole body, outside src/app so the route stays a one-liner and never touches
 * the database layer itself. Reads at most 1 MiB (+1 byte to notice more) before anything else.
 */
export async function receiveUpstreamCallback(request: Request, connectionId: string): Promise<Response> {
  try {
    const rawBody = await readBodyCapped(request, MAX_CALLBACK_BODY_BYTES);
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

/** The body, or null once it is longer than `max` (the rest is not read). */
export async function readBodyCapped(request: Request, max: number): Promise<Uint8Array | null> {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > max) return null;
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
