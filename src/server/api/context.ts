import "server-only";
import { cookies, headers } from "next/headers";
import { getDb } from "../db/index.ts";
import { clientAddressOf } from "../http/client-address.ts";
import { rateLimitsFor } from "../rate-limits.ts";
import { getViewer } from "../request-viewer.ts";
import { getLiveHub } from "../live-hub.ts";
import type { Context } from "./trpc.ts";
import { resolveLocale } from "@/i18n/messages";
import { resolveTimeZone } from "@/lib/datetime";

export async function createRequestContext(): Promise<Context> {
  const store = await cookies();
  const db = await getDb();
  return {
    db,
    viewer: await getViewer(),
    locale: resolveLocale(store.get("locale")?.value),
    timeZone: resolveTimeZone(store.get("tz")?.value),
    limits: rateLimitsFor(db),
    clientAddress: clientAddressOf(await headers()),
    live: await getLiveHub(),
  };
}
