import type { Prisma } from "../generated/client.ts";
import type { DbOrTx } from "../client.ts";

// Callback inbox: one row per (source, eventId). Events learned through a sync are recorded here
// too (an event's id equals its callback's eventId), so a callback and a sync never apply one
// event twice.

type NewInboxEvent = { source: string; eventId: string; type: string; payload: unknown; processedAt?: Date | null; error?: string | null };

/**
 * Stores the event unless (source, eventId) is there already, in one statement; false for a
 * repeat. Raw SQL for the reason in used-signatures.ts: no plan cache for `createMany`.
 */
export async function insertInboxEventOnce(db: DbOrTx, event: NewInboxEvent): Promise<boolean> {
  const inserted = await db.$executeRaw`
    INSERT INTO "InboxEvent" ("source", "eventId", "type", "payload", "processedAt", "error")
    VALUES (${event.source}, ${event.eventId}, ${event.type}, ${JSON.stringify(event.payload)}::jsonb, ${event.processedAt ?? null}::timestamptz, ${event.error ?? null})
    ON CONFLICT ("source", "eventId") DO NOTHING`;
  return inserted === 1;
}

export function insertInboxEvent(db: DbOrTx, event: NewInboxEvent) {
  // Payloads are protocol JSON that zod already parsed.
  return db.inboxEvent.create({ data: { ...event, payload: event.payload as Prisma.InputJsonValue }, select: { id: true } });
}

export function markInboxEvent(db: DbOrTx, id: number, data: { processedAt?: Date | null; error?: string | null }) {
  return db.inboxEvent.update({ where: { id }, data, select: { id: true } });
}

/** Stored but not applied (the apply failed after the 2xx): retried by the worker. */
export function listUnprocessedInboxEvents(db: DbOrTx, sourcePrefix: string, receivedAfter: Date, take: number) {
  return db.inboxEvent.findMany({
    where: { processedAt: null, source: { startsWith: sourcePrefix }, receivedAt: { gt: receivedAfter } },
    orderBy: { id: "asc" },
    take,
    select: { id: true, source: true, eventId: true, type: true, payload: true },
  });
}
