import "server-only";
import { getDb } from "../db/index.ts";
import { checkReadiness } from "../services/health-service.ts";

/**
 * `GET /api/health`: 200 when this web process and its database answer, 503 otherwise — for the
 * reverse proxy's health check and an orchestrator's readiness probe (docs/OPERATIONS.md).
 */
export async function handleHealth(): Promise<Response> {
  const readiness = await getDb().then(
    (db) => checkReadiness(db),
    () => ({ ready: false, database: { ok: false } }),
  );
  return Response.json(readiness, { status: readiness.ready ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
