import type { Db, Tx } from "../db/client.ts";
import { inTransaction } from "../db/transaction.ts";
import {
  findTicketForCommand,
  lockTicket,
  insertTicketEvent,
  updateTicketIfVersion,
  type TicketForCommand,
} from "../db/repos/tickets.ts";
import { decide, isMemberVisible, type Decision, type TicketAction, type TicketSnapshot, type TicketState } from "../domain/ticket-lifecycle.ts";
import { isEscalationEligible } from "../domain/category-rules.ts";
import { AppError, conflict, notFound } from "../errors.ts";
import { inTicketTurn, retryOnContention } from "./contention.ts";
import { advanceTicketClocks } from "./sla-clock.ts";
import { findPublicMessagesAfter } from "../db/repos/live.ts";
import { STALE_REPLY_RULE } from "@/lib/live";

/** Who acts, as written into the audit trail and author lines. */
export type ActorRef = {
  kind: "MEMBER" | "STAFF" | "UPSTREAM_AGENT" | "PARTNER" | "SYSTEM";
  id?: string | null;
  name?: string | null;
};

export function snapshotOf(ticket: TicketForCommand): TicketSnapshot {
  return {
    status: ticket.status,
    escalation: ticket.escalation,
    partnerState: ticket.partnerState,
    accepted: ticket.assigneeId !== null,
    categoryEligible: isEscalationEligible(ticket.category),
    rated: ticket.rating !== null,
  };
}

/** A refused action, as the user reads it: the reason and the rule it names. */
export function ruleViolation(decision: Extract<Decision, { ok: false }>): AppError {
  return new AppError("RULE_VIOLATION", `errors.rules.${decision.reason}`, { rule: decision.rule });
}

export type TicketCommand<T> = {
  ticketId: number;
  action: TicketAction;
  actor: ActorRef;
  /** Scope check before anything else, e.g. a member may only touch their own tickets. */
  authorize?: (ticket: TicketForCommand) => void;
  /**
   * The command is its transition and nothing else: when the table says nothing moves (a replayed
   * return or close, or a sync reporting what we already know), nothing is written — no version
   * step that would turn a person's next click on the ticket into a CONFLICT, no audit row.
   */
  transitionOnly?: boolean;
  /** The version the user saw; a different current version means someone else acted first. */
  expectedVersion?: number;
  /** The member-visible version the member's page showed (staff-only work does not move it). */
  expectedMemberVersion?: number;
  /**
   * A reply composed against the conversation up to `messageId` (the last public entry its writer
   * saw): refused with CONFLICT when someone else's public entry came after it, so the writer
   * reads it first. Sending anyway is the same reply naming the newer entry.
   */
  seen?: { messageId: number; writer: { staffId: number } | { memberId: number } };
  /** Extra columns to set with the transition (assignee, respondedAt, rating …). */
  patch?: (ticket: TicketForCommand, next: TicketState, now: Date) => Parameters<typeof updateTicketIfVersion>[3];
  /** Writes that belong to the same transaction: messages, outbox entries. */
  effects?: (tx: Tx, ticket: TicketForCommand, next: TicketState, now: Date) => Promise<T>;
  auditData?: Record<string, unknown>;
  /** Skip the audit row (e.g. replays that changed nothing). */
  audit?: boolean;
};

/** An effect that writes a conversation entry returns `{ messageId }`; the audit row names it. */
function messageIdOf(result: unknown): number | null {
  const id = (result as { messageId?: unknown } | null | undefined)?.messageId;
  return typeof id === "number" ? id : null;
}

export type TicketCommandResult<T> = { ticketId: number; next: TicketState; noop: boolean; result: T };

/**
 * Every change to a ticket goes through here: load → authorize → the lifecycle table decides →
 * compare-and-set update + effects + SLA clocks + audit row, in one transaction that this opens. No entry
 * point (portal, console, callback, sync, worker) writes a ticket's state any other way.
 *
 * A command that named the version its user saw fails with CONFLICT (409) when the ticket moved
 * since; one that did not (a reply, a note, a callback) is decided on the ticket as it is now:
 * the row is locked before it is read, so concurrent commands on one ticket take turns, and the
 * rare contention that still surfaces (a deadlock, a unique key raced) is retried whole.
 */
export function runTicketCommand<T = void>(db: Db, command: TicketCommand<T>): Promise<TicketCommandResult<T>> {
  const once = () => inTransaction(db, (tx) => runTicketCommandInTx(tx, command));
  return inTicketTurn(command.ticketId, () => retryOnContention(once, { staleVersionIsFinal: namesAVersion(command) }));
}

/** A version the user saw: a stale one is theirs to resolve (409), never retried. */
const namesAVersion = (c: TicketCommand<unknown>) => c.expectedVersion !== undefined || c.expectedMemberVersion !== undefined;

/**
 * The same command inside a caller's transaction (applying an inbox event, a sync page): the
 * caller owns the boundary and any retry of the whole unit.
 */
export async function runTicketCommandInTx<T = void>(tx: Tx, command: TicketCommand<T>): Promise<TicketCommandResult<T>> {
  await lockTicket(tx, command.ticketId);
  const ticket = await findTicketForCommand(tx, command.ticketId);
  if (!ticket) throw notFound("ticket");
  command.authorize?.(ticket);
  if (command.expectedVersion !== undefined && command.expectedVersion !== ticket.version) throw conflict();
  if (command.expectedMemberVersion !== undefined && command.expectedMemberVersion !== ticket.memberVersion) throw conflict();
  if (command.seen) {
    const unseen = await findPublicMessagesAfter(tx, ticket.id, command.seen.messageId, command.seen.writer);
    if (unseen.length > 0) throw new AppError("CONFLICT", "errors.staleReply", { rule: STALE_REPLY_RULE, params: { count: unseen.length } });
  }

  const decision = decide(command.action, snapshotOf(ticket));
  if (!decision.ok) throw ruleViolation(decision);
  const { next } = decision;
  if (decision.noop && command.transitionOnly) return { ticketId: ticket.id, next, noop: true, result: undefined as T };
  const now = new Date();

  const patch = command.patch?.(ticket, next, now) ?? {};
  const updated = await updateTicketIfVersion(tx, ticket.id, ticket.version, {
    status: next.status,
    escalation: next.escalation,
    partnerState: next.partnerState,
    updatedAt: now,
    ...patch,
    // The member's version and last activity move only with member-visible changes (domain rule).
    ...(isMemberVisible(command.action, ticket, next) ? { memberVersion: { increment: 1 }, memberActivityAt: now } : {}),
  });
  if (!updated) throw conflict();

  const result = (await command.effects?.(tx, ticket, next, now)) as T;
  // After the effects: a first escalation's upstream link exists only from here on.
  const categoryId = typeof patch.categoryId === "number" ? patch.categoryId : ticket.categoryId;
  await advanceTicketClocks(tx, ticket, command.action, next, now, categoryId);
  if (command.audit !== false) {
    await insertTicketEvent(tx, {
      ticketId: ticket.id,
      action: command.action,
      actorKind: command.actor.kind,
      actorId: command.actor.id ?? null,
      actorName: command.actor.name ?? null,
      fromStatus: ticket.status,
      toStatus: next.status,
      fromEscalation: ticket.escalation,
      toEscalation: next.escalation,
      data: (command.auditData ?? undefined) as never,
      messageId: messageIdOf(result),
    });
  }
  return { ticketId: ticket.id, next, noop: decision.noop, result };
}
