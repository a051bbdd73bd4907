import type { Tx } from "../db/client.ts";
import type { TicketForCommand } from "../db/repos/tickets.ts";
import type { PublicMessageEvent } from "../services/ticket-hooks.ts";

// Owned by the escalation feature (issue 6): enqueue outbox entries for our upstream.

/** R3: a public reply on an escalated ticket is forwarded to the upstream (never notes/system). */
export async function forwardPublicMessageUpstream(_tx: Tx, _ticket: TicketForCommand, _message: PublicMessageEvent): Promise<void> {}

/** R5: the final close is reported to the upstream. */
export async function reportFinalCloseUpstream(_tx: Tx, _ticket: TicketForCommand): Promise<void> {}
