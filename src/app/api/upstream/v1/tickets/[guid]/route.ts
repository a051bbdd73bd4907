// Protocol route (docs/UPSTREAM_PROTOCOL.md): the handler lives in src/server/partners/protocol-endpoints.ts.
import { nextRoute } from "@/server/partners/protocol-routes";
import { getTicketEndpoint } from "@/server/partners/protocol-endpoints";

export const dynamic = "force-dynamic";
export const GET = nextRoute(getTicketEndpoint);
