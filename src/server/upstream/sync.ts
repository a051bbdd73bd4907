// 同步工单 (R8) and the periodic reconciliation (§10.5). The network is read first; what it said is
// then applied in one transaction, so an unreachable upstream changes nothing and a crash between
// pages repeats work rather than skipping any (the cursor moves with what it covers, §10.4).
import type { Db, Tx } from "../db/client.ts";
import { inTransaction } from "../db/transaction.ts";
import {
  findConnectionWithSecret,
  findLinkByGuid,
  findLinkByTicket,
  findLinkForCallback,
  listEnabledConnectionsWithSecret,
  recordConnectionStatus,
  updateLink,
  type ConnectionWithSecret,
} from "../db/repos/upstream.ts";
import { AppError } from "../errors.ts";
import { logger, safeError } from "../logger.ts";
import { runTicketCommandInTx } from "../services/ticket-command.ts";
import { writeSystemMessage } from "../services/system-message.ts";
import type { StaffViewer } from "../viewer.ts";
import { applyUpstreamEventOnce, applyUpstreamMessage, reconcileUpstreamState, recordGuid, reportLinkState, type LinkRef } from "../services/upstream-apply.ts";
import type { UpstreamClient } from "./client.ts";
import { ProtocolCallError } from "../protocol/outbound-sender.ts";
import { clientForConnection, type UpstreamDeps } from "./deps.ts";
import type { GetUpstreamTicketResponse, UpstreamTicketState } from "../protocol/schemas.ts";
import { retryOnContention } from "../services/contention.ts";

/** Enough for 10 000 items on one ticket; a longer history continues on the next sync. */
const MAX_TICKET_PAGES = 20;
const CHANGED_PAGE_SIZE = 100;
const MAX_CHANGED_PAGES = 10;

export type SyncSummary = { newMessages: number; newEvents: number; state: UpstreamTicketState | null };

/** GET ticket (6.5) from the link's cursor until `hasMore` is false. */
export async function pullTicket(client: UpstreamClient, link: { guid: string; cursor: string | null }): Promise<GetUpstreamTicketResponse[]> {
  const pages: GetUpstreamTicketResponse[] = [];
  let after = link.cursor ?? undefined;
  for (let i = 0; i < MAX_TICKET_PAGES; i++) {
    const page = await client.getTicket(link.guid, after);
    pages.push(page);
    after = page.cursor;
    if (!page.hasMore) break;
  }
  return pages;
}

/** Messages once each, events once each (shared with callbacks through the inbox), then the state. */
export async function applyPulledPages(tx: Tx, link: LinkRef, pages: GetUpstreamTicketResponse[], now = new Date()): Promise<SyncSummary> {
  let newMessages = 0;
  let newEvents = 0;
  for (const page of pages) {
    for (const message of page.messages) if (await applyUpstreamMessage(tx, link, message)) newMessages++;
    for (const event of page.events) if (await applyUpstreamEventOnce(tx, link, event)) newEvents++;
  }
  const last = pages.at(-1);
  if (last) {
    await reconcileUpstreamState(tx, link, last.state);
    await reportLinkState(tx, link, last.state, { cursor: last.cursor, lastSyncedAt: now });
  }
  return { newMessages, newEvents, state: last?.state ?? null };
}

/** Pull and apply one acknowledged link; used by the worker (no system line: only a person's sync writes one). */
export async function syncLink(db: Db, client: UpstreamClient, linkId: { ticketId: number }): Promise<SyncSummary | null> {
  const link = await findLinkByTicket(db, linkId.ticketId);
  if (!link?.guid) return null;
  const pages = await pullTicket(client, { guid: link.guid, cursor: link.cursor });
  return retryOnContention(async () => {
    const fresh = await findLinkByTicket(db, link.ticketId);
    if (!fresh || fresh.cursor !== link.cursor) return null; // someone else applied this meanwhile
    return inTransaction(db, (tx) => applyPulledPages(tx, fresh, pages));
  });
}

/**
 * 同步工单 (R8), by a staff member: the upstream's messages and state for this ticket now, applied
 * by the same rules as callbacks, with a staff-only 'synced' line. Unreachable → a clear
 * UPSTREAM_UNAVAILABLE and nothing changed.
 */
export async function syncTicketNow(db: Db, deps: UpstreamDeps, viewer: StaffViewer, input: { ticketId: number; expectedVersion?: number }) {
  const link = await findLinkByTicket(db, input.ticketId);
  const command = (tx: Tx, work: (tx: Tx) => Promise<SyncSummary>) =>
    runTicketCommandInTx(tx, {
      ticketId: input.ticketId,
      expectedVersion: input.expectedVersion,
      action: "staff.sync",
      actor: { kind: "STAFF", id: String(viewer.staffId), name: viewer.name },
      effects: async (inner, ticket, _next, now) => {
        await writeSystemMessage(inner, ticket.id, "synced", { staff: viewer.name }, now);
        return work(inner);
      },
    });
  // Never escalated: the table gives the R8 refusal. Not acknowledged yet: nothing to pull.
  if (!link) return (await inTransaction(db, (tx) => command(tx, async () => ({ newMessages: 0, newEvents: 0, state: null })))).result;
  if (!link.guid) throw new AppError("RULE_VIOLATION", "escalation.errors.notAcknowledged");

  const connection = await findConnectionWithSecret(db, link.connectionId);
  if (!connection) throw new AppError("UPSTREAM_UNAVAILABLE", "escalation.errors.upstreamUnavailable", { detail: "connection missing" });
  let pages: GetUpstreamTicketResponse[];
  try {
    pages = await pullTicket(clientForConnection(deps, connection), { guid: link.guid, cursor: link.cursor });
  } catch (e) {
    if (!(e instanceof ProtocolCallError)) throw e;
    throw new AppError("UPSTREAM_UNAVAILABLE", e.retryable ? "escalation.errors.upstreamUnavailable" : "escalation.errors.upstreamRefused", {
      params: { name: connection.name, status: e.status ?? "-" },
      detail: e.message,
    });
  }
  const result = await retryOnContention(
    () =>
      inTransaction(db, async (tx) => {
        const fresh = await findLinkByTicket(tx, input.ticketId);
        // A sync that ran meanwhile moved the cursor; its pages cover ours, so only the line is new.
        const samePages = fresh?.cursor === link.cursor ? pages : [];
        return command(tx, (inner) => applyPulledPages(inner, fresh ?? link, samePages));
      }),
    { staleVersionIsFinal: input.expectedVersion !== undefined },
  );
  return result.result;
}

/**
 * The periodic reconciliation of one upstream: walk the changed-tickets feed (6.6) from the
 * connection's cursor and sync each of our tickets it lists. The cursor moves only after a whole
 * page was applied; the connection records when it last succeeded and why it last failed.
 */
export async function syncConnection(db: Db, deps: UpstreamDeps, connection: ConnectionWithSecret, now = new Date()): Promise<{ tickets: number }> {
  let tickets = 0;
  try {
    const client = clientForConnection(deps, connection);
    let cursor = connection.syncCursor ?? undefined;
    for (let page = 0; page < MAX_CHANGED_PAGES; page++) {
      const changed = await client.listChanged({ changedAfter: cursor, limit: CHANGED_PAGE_SIZE });
      for (const item of changed.tickets) {
        const link =
          (await findLinkByGuid(db, connection.id, item.guid)) ??
          (/^\d{1,9}$/.test(item.externalId) ? await findLinkForCallback(db, connection.id, Number(item.externalId)) : null);
        if (!link) continue; // another reseller instance's ticket under the same partner, or one we no longer hold
        if (!link.guid) {
          // Our create's answer was lost but the upstream has the ticket: learn the GUID from the feed.
          await retryOnContention(() => inTransaction(db, (tx) => recordGuid(tx, { ...link }, item.guid, item.state)));
        }
        if (await syncLink(db, client, link)) tickets++;
      }
      if (changed.nextCursor) {
        cursor = changed.nextCursor;
        await recordConnectionStatus(db, connection.id, { syncCursor: cursor });
      }
      if (changed.tickets.length < CHANGED_PAGE_SIZE) break;
    }
    await recordConnectionStatus(db, connection.id, { lastSyncAt: now, lastError: null });
  } catch (e) {
    const reason = e instanceof ProtocolCallError ? e.message : "internal error during sync";
    if (!(e instanceof ProtocolCallError)) logger.error({ connectionId: connection.id, err: safeError(e) }, "upstream sync failed");
    await recordConnectionStatus(db, connection.id, { lastError: `${now.toISOString()} ${reason}` });
  }
  return { tickets };
}

export async function syncAllConnections(db: Db, deps: UpstreamDeps): Promise<void> {
  for (const connection of await listEnabledConnectionsWithSecret(db)) await syncConnection(db, deps, connection);
}
