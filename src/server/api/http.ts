import "server-only";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { readBodyWithin } from "../http/read-body.ts";
import { errorResponse, requestLocale } from "../http/respond.ts";
import { AppError } from "../errors.ts";
import { createRequestContext } from "./context.ts";
import { appRouter } from "./root.ts";
import type { Context } from "./trpc.ts";
import { TRPC_MAX_BATCH, TRPC_MAX_BODY_BYTES } from "@/lib/trpc-limits";

/**
 * The tRPC door over HTTP: batches are capped, bodies are size-limited before they are parsed,
 * and no answer is kept by a cache — they carry personal data and depend on who asks.
 */
export async function handleTrpcRequest(req: Request, createContext: () => Promise<Context> = createRequestContext): Promise<Response> {
  let request = req;
  if (req.method !== "GET" && req.method !== "HEAD") {
    const body = await readBodyWithin(req, TRPC_MAX_BODY_BYTES);
    if (!body) return errorResponse(new AppError("PAYLOAD_TOO_LARGE", "errors.bodyTooLarge"), requestLocale(req), "trpc");
    request = new Request(req.url, { method: req.method, headers: req.headers, body: Buffer.from(body) });
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext,
    maxBatchSize: TRPC_MAX_BATCH,
    responseMeta: () => ({ headers: new Headers({ "Cache-Control": "private, no-store" }) }),
  });
}
