// 转移到云技术客服 and what the ticket page shows about it.
import type { Db } from "../db/client.ts";
import { enqueueOutbox } from "../db/repos/tickets.ts";
import { findOpenOutboxForTicket, hasPendingOutbox } from "../db/repos/outbox.ts";
import { findLinkByTicket, findTicketEscalation, insertLink, listPublicHistoryIds } from "../db/repos/upstream.ts";
import { runTicketCommand } from "../services/ticket-command.ts";
import { writeSystemMessage } from "../services/system-message.ts";
import { planEscalationShare } from "../services/sharing-service.ts";
import type { StaffViewer } from "../viewer.ts";
import { resolveConnectionForTicket } from "./connections.ts";
import { upstreamOrderingKey } from "./outbox-types.ts";

export type TicketRef = { ticketId: number; expectedVersion?: number };
/** `fileIds`: the public files staff ticked in the dialog (absent: the sharing policy's default). */
export type EscalateInput = TicketRef & { fileIds?: number[] };

/**
 * One transaction, no network: the table decides (R1 category, R2 accepted, R4 not closed
 * upstream, R5 not finished), then the staff-only system line, the link (reused after a return,
 * so the GUID stays) and the outbox entry. The worker delivers; until the upstream answers with a
 * GUID the ticket shows 转移中.
 */
export function escalateTicket(db: Db, viewer: StaffViewer, input: EscalateInput) {
  return runTicketCommand(db, {
    ticketId: input.ticketId,
    expectedVersion: input.expectedVersion,
    action: "staff.escalate",
    actor: { kind: "STAFF", id: String(viewer.staffId), name: viewer.name },
    patch: (ticket, _next, now) => ({ respondedAt: ticket.respondedAt ?? now }),
    effects: async (tx, ticket, _next, now) => {
      const existing = ticket.upstream;
      // A re-escalation stays with the upstream that holds the ticket's GUID.
      const connectionId = existing?.connectionId ?? (await resolveConnectionForTicket(tx, ticket)).id;
      // A block rule refuses before anything is written; the ticked files go with the create.
      const share = await planEscalationShare(tx, ticket, connectionId, input.fileIds);
      const link = existing ?? (await insertLink(tx, ticket.id, connectionId));
      await writeSystemMessage(tx, ticket.id, "escalated", { staff: viewer.name }, now);

      // Re-escalate (6.3) what the upstream knows; otherwise create it (6.1) with the public history.
      const upstreamKnowsIt = existing !== null && (existing.guid !== null || (await hasPendingOutbox(tx, ticket.id, "ticket.create")));
      await enqueueOutbox(tx, {
        kind: "UPSTREAM_REQUEST",
        type: upstreamKnowsIt ? "ticket.escalate" : "ticket.create",
        connectionId,
        ticketId: ticket.id,
        orderingKey: upstreamOrderingKey(connectionId, ticket.id),
        payload: upstreamKnowsIt ? {} : { messageIds: await listPublicHistoryIds(tx, ticket.id), fileIds: share.fileIds },
      });
      return { linkId: link.id, reEscalation: existing !== null };
    },
  });
}

export type EscalationView = {
  connectionName: string;
  /** Shown as `598 [GUID: …]` once the upstream acknowledged. */
  guid: string | null;
  /** 转移中: our create or re-escalation has not been acknowledged yet. */
  pending: boolean;
  linkState: "OPEN" | "RETURNED" | "CLOSED" | "FINISHED";
  lastSyncedAt: Date | null;
  /** Why the oldest undelivered request is not through yet (retrying, or dead-lettered). */
  lastError: string | null;
};

/** The escalation box of the ticket page; null for a ticket never escalated. */
export async function getEscalationView(db: Db, ticketId: number): Promise<EscalationView | null> {
  const link = await findLinkByTicket(db, ticketId);
  if (!link) return null;
  const [ticket, open] = await Promise.all([findTicketEscalation(db, ticketId), findOpenOutboxForTicket(db, ticketId, "UPSTREAM_REQUEST")]);
  const awaitingReEscalation = open?.type === "ticket.escalate" && open.status === "PENDING";
  return {
    connectionName: link.connection.name,
    guid: link.guid,
    pending: ticket?.escalation === "ESCALATED" && (link.guid === null || awaitingReEscalation),
    linkState: link.state,
    lastSyncedAt: link.lastSyncedAt,
    lastError: open?.lastError ?? null,
  };
}
