// White-label escalation: the super admin's sharing policy per upstream, its rule tester, and the
// preview of exactly what the vendor receives when staff click 转移到云技术客服.
import { z } from "zod";
import type { Db, DbOrTx } from "../db/client.ts";
import {
  findLinkedConnection,
  findPoliciesOfTickets,
  findPublicEntriesForSharing,
  findSharingPolicy,
  findTicketForSharing,
  findUpstreamDelivery,
  listUpstreamDeliveries,
  saveSharingPolicy,
} from "../db/repos/sharing.ts";
import type { BlobStore } from "../storage/blob-store.ts";
import {
  ZSharingPolicy,
  checkRegex,
  findBlockingRule,
  maskInboundForMember,
  maskOutbound,
  shareTicket,
  sharingPolicyFrom,
  textsForBlockRules,
  type BlockRule,
  type SharedTicket,
  type SharingPolicy,
} from "../domain/sharing-policy.ts";
import { AppError, notFound } from "../errors.ts";
import { ZId, ZStorableString } from "../schemas.ts";
import { resolveConnectionForTicket } from "../upstream/connections.ts";

export async function getSharingPolicy(db: DbOrTx, connectionId: number): Promise<SharingPolicy> {
  const row = await findSharingPolicy(db, connectionId);
  if (!row) throw notFound("upstream");
  return sharingPolicyFrom(row.stored);
}

/** Every staff-written expression must compile and be safe to run on every forwarded text. */
function assertRulesUsable(policy: SharingPolicy) {
  for (const rule of [...policy.customMasks, ...policy.blockRules]) {
    if (rule.kind !== "regex") continue;
    const check = checkRegex(rule.pattern);
    if (!check.ok) throw new AppError("VALIDATION", check.reason === "invalid" ? "escalation.errors.regexInvalid" : "escalation.errors.regexUnsafe", { params: { label: rule.label } });
  }
}

export const ZSaveSharingPolicyInput = z.object({ connectionId: ZId, policy: ZSharingPolicy });

export async function updateSharingPolicy(db: Db, input: z.infer<typeof ZSaveSharingPolicyInput>): Promise<SharingPolicy> {
  assertRulesUsable(input.policy);
  if (!(await saveSharingPolicy(db, input.connectionId, input.policy))) throw notFound("upstream");
  return input.policy;
}

export const ZTrySharingPolicyInput = z.object({ policy: ZSharingPolicy, sample: ZStorableString.max(5000) });

/** 测试规则: the sample as the vendor would receive it, and the block rule it would trip. */
export function trySharingPolicy(input: z.infer<typeof ZTrySharingPolicyInput>) {
  assertRulesUsable(input.policy);
  return {
    outbound: maskOutbound(input.policy, input.sample),
    inbound: maskInboundForMember(input.policy, input.sample),
    blockedBy: blockOf(findBlockingRule(input.policy, [input.sample])),
  };
}

const blockOf = (rule: BlockRule | null) => (rule ? { label: rule.label, reason: rule.reason } : null);

export type EscalationPreview = {
  connectionName: string;
  /** The upstream already has the history (returned and escalated again): only the request to continue goes. */
  reEscalation: boolean;
  /** The service concerned, sent as it is: the upstream needs it to find its resource. */
  business: { id: string; ip: string | null; type: string | null } | null;
  blockedBy: { label: string; reason: string } | null;
  shared: SharedTicket;
};

/**
 * The 转移到云技术客服 dialog: the create this ticket would send now, rendered by the same function
 * the worker uses, with the files ticked by the policy's default (or `fileIds` when staff chose).
 */
export async function previewEscalation(db: Db, pseudonymKey: string, ticketId: number, fileIds?: number[]): Promise<EscalationPreview> {
  const ticket = await findTicketForSharing(db, ticketId);
  if (!ticket) throw notFound("ticket");
  const linked = await findLinkedConnection(db, ticketId);
  const connection = linked?.connection ?? (await resolveConnectionForTicket(db, ticket));
  const [policy, stored] = await Promise.all([getSharingPolicy(db, connection.id), findPublicEntriesForSharing(db, ticketId)]);
  // Where a file's bytes live is none of the browser's business.
  const entries = stored.map((e) => ({ ...e, files: e.files.map(({ storageKey: _key, ...file }) => file) }));
  const chosen = fileIds ? new Set(fileIds) : null;
  const shared = shareTicket(policy, pseudonymKey, connection.id, ticket, entries, (id) => (chosen ? chosen.has(id) : policy.forwardFilesByDefault));
  const business = ticket.businessId ? { id: ticket.businessId, ip: ticket.businessIp, type: ticket.businessType } : null;
  return { connectionName: connection.name, reEscalation: linked !== null, business, blockedBy: blockOf(findBlockingRule(policy, textsForBlockRules(ticket, entries))), shared };
}

/**
 * Inside the escalate command: refuse a ticket a block rule matches, and fix which public files go
 * with the create (staff's ticks, else the policy's default). A file not among the ticket's public
 * entries is refused, not silently dropped.
 */
export async function planEscalationShare(tx: DbOrTx, ticket: { id: number; title: string }, connectionId: number, fileIds: number[] | undefined): Promise<{ fileIds: number[] }> {
  const [policy, entries] = await Promise.all([getSharingPolicy(tx, connectionId), findPublicEntriesForSharing(tx, ticket.id)]);
  const blocked = findBlockingRule(policy, textsForBlockRules(ticket, entries));
  if (blocked) throw new AppError("RULE_VIOLATION", "escalation.errors.blockedByRule", { params: { label: blocked.label, reason: blocked.reason } });
  const publicFiles = entries.flatMap((e) => e.files.map((f) => f.id));
  if (fileIds === undefined) return { fileIds: policy.forwardFilesByDefault ? publicFiles : [] };
  if (fileIds.some((id) => !publicFiles.includes(id))) throw notFound("attachment");
  return { fileIds: [...new Set(fileIds)] };
}

const DELIVERY_PAGE = 50;

/** 同步与投递 → 发送记录: what was sent to the upstreams, newest first (keyset on id). */
export async function listDeliveries(db: DbOrTx, input: { ticketId?: number; beforeId?: number }) {
  const rows = await listUpstreamDeliveries(db, input, DELIVERY_PAGE + 1);
  const items = rows.slice(0, DELIVERY_PAGE);
  return { items, nextBeforeId: rows.length > DELIVERY_PAGE ? (items.at(-1)?.id ?? null) : null };
}

/** The exact body of one delivery, from the file store (verified against its recorded hash by the store's key). */
export async function getDeliveryBody(db: DbOrTx, files: BlobStore, id: number) {
  const row = await findUpstreamDelivery(db, id);
  if (!row) throw notFound("delivery");
  const bytes = await files.get(row.bodySha256);
  if (!bytes) throw notFound("delivery");
  return { id: row.id, sha256: row.bodySha256, body: Buffer.from(bytes).toString("utf8") };
}

export type MemberFacing = (ticketId: number, authorKind: string, text: string) => string;

/**
 * How the member reads a vendor's reply: with the vendor's brand and contact details masked by the
 * ticket's upstream policy (staff read the original). Every member channel — the ticket page, search
 * snippets, notifications — reads vendor text through this.
 */
export async function memberFacingText(db: DbOrTx, ticketIds: number[]): Promise<MemberFacing> {
  const stored = await findPoliciesOfTickets(db, [...new Set(ticketIds)]);
  const policies = new Map([...stored].map(([id, p]) => [id, sharingPolicyFrom(p)]));
  return (ticketId, authorKind, text) => {
    const policy = authorKind === "UPSTREAM_AGENT" ? policies.get(ticketId) : undefined;
    return policy ? maskInboundForMember(policy, text).text : text;
  };
}
