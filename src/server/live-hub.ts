import "server-only";
import { getDatabase } from "./db/index.ts";
import { createLiveHub, type LiveHub } from "./services/live-service.ts";

/**
 * The process's live hub: one listening connection (or PGlite listener) for all of its streams.
 * On globalThis for the same reason as the database handle: Next may evaluate modules twice.
 */
const holder = globalThis as unknown as { __relaydeskLive?: Promise<LiveHub> };

export function getLiveHub(): Promise<LiveHub> {
  holder.__relaydeskLive ??= (async () => {
    const database = await getDatabase();
    return createLiveHub(database.prisma, await database.openLiveBus());
  })();
  return holder.__relaydeskLive;
}

/** Streams open on this process, for the metrics; 0 while no stream ever started the hub. */
export async function openLiveStreams(): Promise<number> {
  return holder.__relaydeskLive ? (await holder.__relaydeskLive).openStreams() : 0;
}
