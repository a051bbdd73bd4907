import type { Tx } from "../db/client.ts";
import type { TicketForCommand } from "../db/repos/tickets.ts";
import { findPartnerTicketById, findPublicMessage } from "../db/repos/partner-tickets.ts";
import { findStaffNames } from "../db/repos/staff-names.ts";
import type { PublicMessageEvent } from "../domain/public-message.ts";
import { enqueueMessageCallback, recordPartnerEvent } from "./partner-events.ts";
import { toWireMessage } from "./wire.ts";

// What a downstream partner hears of our side's
// work on its tickets. Each function runs inside the change's transaction, so the callback is
// queued (outbox) exactly when the change commits.

/** Our staff's public reply on a partner's ticket becomes a `message.created` callback. */
export async function notifyPartnerOfMessage(tx: Tx, ticket: TicketForCommand, message: PublicMessageEvent): Promise<void> {
  if (ticket.partnerId === null || !ticket.guid || !ticket.partner) return;
  const row = await findPublicMessage(tx, message.id);
  // Only public messages of people cross the wire (protocol §13); the hook promises that, we check.
  if (!row || row.authorKind !== "STAFF") return;
  const names = new Map((await findStaffNames(tx, row.staffId !== null ? [row.staffId] : [])).map((s) => [s.id, s.displayName]));
  const wire = toWireMessage(row, { guid: ticket.guid, partnerPublicId: ticket.partner.partnerId, staffNames: names });
  await enqueueMessageCallback(tx, ticket, row.id, wire);
}

/**
 * 接单 on a partner's ticket: `ticket.accepted` naming the staff member who accepted it. Call it
 * from the accept command's effects (after its update): it reads the new assignee in `tx`. A
 * member's ticket is ignored, so the console may call it for every accept.
 */
export async function notifyPartnerAccepted(tx: Tx, ticket: TicketForCommand): Promise<void> {
  if (ticket.partnerId === null || !ticket.guid) return;
  const current = await findPartnerTicketById(tx, ticket.id);
  const staffId = current?.assigneeId ?? null;
  if (staffId === null) return;
  const [staff] = await findStaffNames(tx, [staffId]);
  const agent = { id: String(staffId), name: staff?.displayName ?? `云技术客服${staffId}` };
  await recordPartnerEvent(tx, ticket, "ticket.accepted", { agent }, { kind: "STAFF", id: agent.id, name: agent.name }, new Date());
}
