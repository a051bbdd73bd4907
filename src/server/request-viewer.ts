import "server-only";
import { cache } from "react";
import { getSessionClaims } from "./auth/options.ts";
import { getDb } from "./db/index.ts";
import { resolveViewer } from "./services/auth-service.ts";
import type { Viewer } from "./viewer.ts";

/** The viewer of the current request, resolved once per request (RSC and tRPC alike). */
export const getViewer = cache(async (): Promise<Viewer> => {
  const db = await getDb();
  return resolveViewer(db, await getSessionClaims());
});
