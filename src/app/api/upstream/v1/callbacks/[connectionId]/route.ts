import { receiveUpstreamCallback } from "@/server/upstream/callback-endpoint";
import { observed } from "@/server/http/metrics";

// Callbacks from an upstream (上级) — docs/UPSTREAM_PROTOCOL.md §7. The URL names the connection.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = observed("callback", async (request: Request, context: { params: Promise<{ connectionId: string }> }) =>
  receiveUpstreamCallback(request, (await context.params).connectionId),
);
