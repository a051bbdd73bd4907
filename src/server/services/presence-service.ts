import { z } from "zod";
import type { Db } from "../db/client.ts";
import { deleteExpiredPresence, deletePresence, findPresence, ticketExists, upsertPresence } from "../db/repos/live.ts";
import { PRESENCE_TTL_MS } from "@/lib/live";
import { notFound } from "../errors.ts";
import { ZId } from "../schemas.ts";
import type { StaffViewer } from "../viewer.ts";

/** Who else is on a ticket page (staff only; members never see presence). */

export const ZPresenceBeat = z.object({ ticketId: ZId, typing: z.boolean({ error: "errors.invalidField" }).default(false) });
export const ZPresenceTicket = z.object({ ticketId: ZId });

export type PresenceEntry = { staffId: number; name: string; typing: boolean; since: Date };

/** A heartbeat from the ticket page: here (and typing or not) until PRESENCE_TTL_MS from now. */
export async function beatPresence(db: Db, viewer: StaffViewer, input: z.infer<typeof ZPresenceBeat>, now = new Date()) {
  if (!(await ticketExists(db, input.ticketId))) throw notFound("ticket");
  await deleteExpiredPresence(db, now);
  await upsertPresence(db, { ticketId: input.ticketId, staffId: viewer.staffId, typing: input.typing, now, expiresAt: new Date(now.getTime() + PRESENCE_TTL_MS) });
  return listTicketPresence(db, viewer, input, now);
}

/** Leaving the page (best effort: without it the row expires by itself). */
export async function leavePresence(db: Db, viewer: StaffViewer, input: z.infer<typeof ZPresenceTicket>) {
  await deletePresence(db, input.ticketId, viewer.staffId);
  return { ok: true as const };
}

/** Everyone else on this ticket now, earliest first. */
export async function listTicketPresence(db: Db, viewer: StaffViewer, input: z.infer<typeof ZPresenceTicket>, now = new Date()): Promise<PresenceEntry[]> {
  const rows = await findPresence(db, now, [input.ticketId]);
  return rows.filter((r) => r.staffId !== viewer.staffId).map(({ staffId, name, typing, since }) => ({ staffId, name, typing, since }));
}

/** The queue's markers: ticket id → names of the others on it. */
export async function listQueuePresence(db: Db, viewer: StaffViewer, now = new Date()): Promise<Record<number, string[]>> {
  const out: Record<number, string[]> = {};
  for (const r of await findPresence(db, now)) if (r.staffId !== viewer.staffId) (out[r.ticketId] ??= []).push(r.name);
  return out;
}
