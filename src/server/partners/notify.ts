import type { Tx } from "../db/client.ts";
import type { TicketForCommand } from "../db/repos/tickets.ts";
import type { PublicMessageEvent } from "../services/ticket-hooks.ts";

// Owned by the upstream-role feature (issue 7): signed callbacks to downstream partners.

/** Our staff's public reply on a partner's ticket becomes a `message.created` callback. */
export async function notifyPartnerOfMessage(_tx: Tx, _ticket: TicketForCommand, _message: PublicMessageEvent): Promise<void> {}
