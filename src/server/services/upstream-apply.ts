// Applying what the upstream did to our ticket — one code path for callbacks, sync and delivery
// answers, always through runTicketCommand and the lifecycle table. Every function here runs in
// the caller's transaction and is idempotent: messages are keyed `up:<id>`, events by their id in
// the inbox (a callback's eventId equals the event id a sync lists).
import type { DbOrTx, Tx } from "../db/client.ts";
import { nextLinkState } from "../domain/upstream-link.ts";
import { enqueueOutbox, findMessageByExternalId, insertMessage } from "../db/repos/tickets.ts";
import { insertInboxEventOnce } from "../db/repos/inbox.ts";
import { hasPendingOutbox } from "../db/repos/outbox.ts";
import { findTicketEscalation, insertUpstreamAttachments, updateLink } from "../db/repos/upstream.ts";
import { runTicketCommandInTx, type ActorRef } from "./ticket-command.ts";
import { writeSystemMessage } from "./system-message.ts";
import { attachmentOrderingKey, remoteFileKey } from "../upstream/outbox-types.ts";
import type { StateChangeData, TicketEventType, UpstreamMessage, UpstreamTicketState } from "../protocol/schemas.ts";

export type LinkRef = { id: number; ticketId: number; connectionId: number; guid: string | null; state: UpstreamTicketState };

export const inboxSource = (connectionId: number) => `upstream:${connectionId}`;
export const upstreamMessageKey = (id: string) => `up:${id}`;

/** An event as both a callback and a GET ticket describe it. */
export type UpstreamEvent = { id: string; type: TicketEventType; occurredAt: string; data: StateChangeData };

const agentActor = (agent: { id: string; name: string } | undefined): ActorRef =>
  agent ? { kind: "UPSTREAM_AGENT", id: agent.id.slice(0, 64), name: agent.name } : { kind: "UPSTREAM_AGENT" };

/** Upstream clocks may run ahead; a system line is never dated in our future. */
const notAfterNow = (iso: string, now: Date) => new Date(Math.min(Date.parse(iso), now.getTime()));

/**
 * R3: an agent's public reply lands in the conversation once. Messages that carry our
 * externalMessageId (or come from the partner side, i.e. us) are our own, already here.
 */
export async function applyUpstreamMessage(tx: Tx, link: LinkRef, message: UpstreamMessage): Promise<boolean> {
  if (message.externalMessageId || message.author.kind !== "agent") return false;
  const key = upstreamMessageKey(message.id);
  if (await findMessageByExternalId(tx, link.ticketId, key)) return false;
  const author = message.author;
  await runTicketCommandInTx(tx, {
    ticketId: link.ticketId,
    action: "upstream.message",
    actor: agentActor(author),
    // The unread marker uses our clock: the member's last visit is measured by it too.
    patch: (_t, _next, now) => ({ lastReplyAt: now }),
    effects: async (inner) => {
      const row = await insertMessage(inner, {
        ticketId: link.ticketId,
        authorKind: "UPSTREAM_AGENT",
        agentId: author.id.slice(0, 64),
        agentName: author.name,
        visibility: "PUBLIC",
        body: message.body,
        externalId: key,
        createdAt: new Date(message.createdAt),
      });
      // R7: a hash the upstream names is not a file we hold. Each file waits under a key that
      // resolves to nothing until its bytes are fetched over the protocol and match the hash.
      const files = await insertUpstreamAttachments(
        inner,
        link.ticketId,
        row.id,
        message.attachments.map((a) => ({ storageKey: remoteFileKey(a.sha256), fileName: a.fileName, mimeType: a.mimeType, size: a.size, ownerKey: `upstream:${link.connectionId}` })),
      );
      for (const file of files) {
        await enqueueOutbox(inner, {
          kind: "UPSTREAM_REQUEST",
          type: "attachment.fetch",
          connectionId: link.connectionId,
          ticketId: link.ticketId,
          orderingKey: attachmentOrderingKey(link.connectionId, file.id),
          payload: { attachmentId: file.id },
        });
      }
      return { messageId: row.id };
    },
    auditData: { upstreamMessageId: message.id },
  });
  return true;
}

/**
 * A state event, applied at most once per event id (the inbox row is written here when the caller
 * has not already stored it, as a callback does). Returns false for a repeat.
 */
export async function applyUpstreamEventOnce(tx: Tx, link: LinkRef, event: UpstreamEvent, alreadyStored = false): Promise<boolean> {
  const source = inboxSource(link.connectionId);
  if (!alreadyStored) {
    if (!(await insertInboxEventOnce(tx, { source, eventId: event.id, type: event.type, payload: event, processedAt: new Date() }))) return false;
  }
  await applyUpstreamEvent(tx, link, event);
  return true;
}

async function applyUpstreamEvent(tx: Tx, link: LinkRef, event: UpstreamEvent): Promise<void> {
  const actor = agentActor(event.data.agent);
  const auditData = { upstreamEventId: event.id, reason: event.data.reason ?? null };
  switch (event.type) {
    case "ticket.accepted":
      // 接单 at the upstream changes neither dimension; the audit row records who took it.
      await runTicketCommandInTx(tx, { ticketId: link.ticketId, action: "upstream.accept", actor, auditData });
      return;
    case "ticket.returned":
      await applyReturn(tx, link, actor, (now) => notAfterNow(event.occurredAt, now), auditData);
      return;
    case "ticket.closed":
      await applyUpstreamClose(tx, link, actor, (now) => notAfterNow(event.occurredAt, now), auditData);
      return;
    case "ticket.escalated":
    case "ticket.finished":
      // Our own acts, listed by GET ticket: we already applied them when we did them.
      return;
  }
}

/**
 * R4 回转. Ignored while our re-escalation is still on its way: the upstream cannot return a ticket
 * twice without it being re-opened, so such a return is older than what we already did.
 */
async function applyReturn(tx: Tx, link: LinkRef, actor: ActorRef, at: (now: Date) => Date, auditData: Record<string, unknown>) {
  if (await hasPendingOutbox(tx, link.ticketId, "ticket.escalate")) return;
  await runTicketCommandInTx(tx, {
    ticketId: link.ticketId,
    action: "upstream.return",
    actor,
    transitionOnly: true, // late or repeated: nothing written, no second 已回转 line
    effects: async (inner, ticket, _next, now) => {
      await writeSystemMessage(inner, ticket.id, "upstreamReturned", {}, at(now));
      await reportLinkState(inner, link, "RETURNED");
    },
    auditData,
  });
}

/** R4: the upstream closed its side — final for escalation (不可移交), never a finish (R5). */
async function applyUpstreamClose(tx: Tx, link: LinkRef, actor: ActorRef, at: (now: Date) => Date, auditData: Record<string, unknown>) {
  await runTicketCommandInTx(tx, {
    ticketId: link.ticketId,
    action: "upstream.close",
    actor,
    transitionOnly: true,
    effects: async (inner, ticket, _next, now) => {
      await writeSystemMessage(inner, ticket.id, "upstreamClosed", {}, at(now));
      await reportLinkState(inner, link, "CLOSED");
    },
    auditData,
  });
}

/**
 * §10.2: the state a GET (or a create/escalate answer) reports is the truth; bring ours in line
 * where an event may have been missed. Our own acts (OPEN after a re-escalation, FINISHED) need
 * nothing: we made them.
 */
export async function reconcileUpstreamState(tx: Tx, link: LinkRef, state: UpstreamTicketState): Promise<void> {
  const actor: ActorRef = { kind: "UPSTREAM_AGENT" };
  const auditData = { reconciledFrom: state };
  if (state === "CLOSED") await applyUpstreamClose(tx, link, actor, (now) => now, auditData);
  if (state === "RETURNED") await applyReturn(tx, link, actor, (now) => now, auditData);
  await reportLinkState(tx, link, state);
}

/** Every change of UpstreamLink.state goes through its table (domain/upstream-link.ts). */
export async function reportLinkState(tx: DbOrTx, link: LinkRef, reported: UpstreamTicketState, also: { cursor?: string; lastSyncedAt?: Date } = {}): Promise<void> {
  const state = nextLinkState(link.state, reported);
  if (state === link.state && also.cursor === undefined && also.lastSyncedAt === undefined) return;
  await updateLink(tx, link.id, { ...also, state });
  link.state = state;
}

/**
 * The upstream acknowledged our create (or told us the GUID some other way): the link gets its
 * GUID and "转移中" ends. upstream.ack is a lifecycle step only while we wait (ESCALATED); if a
 * return or close overtook the answer, the GUID is still worth keeping.
 */
export async function recordGuid(tx: Tx, link: LinkRef, guid: string, state: UpstreamTicketState): Promise<void> {
  if (link.guid === guid) return;
  const ticket = await findTicketEscalation(tx, link.ticketId);
  if (ticket?.escalation === "ESCALATED") {
    await runTicketCommandInTx(tx, {
      ticketId: link.ticketId,
      action: "upstream.ack",
      actor: { kind: "UPSTREAM_AGENT" },
      effects: async (inner) => {
        await updateLink(inner, link.id, { guid, state: nextLinkState(link.state, state) });
      },
      auditData: { guid },
    });
  } else {
    await updateLink(tx, link.id, { guid });
  }
  link.guid = guid;
}
