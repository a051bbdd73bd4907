import { receiveUpstreamCallback } from "@/server/upstream/callback-endpoint";

// Callbacks from an upstream (上级) — docs/UPSTREAM_PROTOCOL.md §7. The URL names the connection.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request: Request, context: { params: Promise<{ connectionId: string }> }) {
  return receiveUpstreamCallback(request, (await context.params).connectionId);
}
