import "server-only";
import { cookies } from "next/headers";
import { getDb } from "../db/index.ts";
import { getViewer } from "../request-viewer.ts";
import type { Context } from "./trpc.ts";
import { resolveLocale } from "@/i18n/messages";
import { resolveTimeZone } from "@/lib/datetime";

export async function createRequestContext(): Promise<Context> {
  const store = await cookies();
  return {
    db: await getDb(),
    viewer: await getViewer(),
    locale: resolveLocale(store.get("locale")?.value),
    timeZone: resolveTimeZone(store.get("tz")?.value),
  };
}
