// White-label escalation: the super admin's sharing policy per upstream, its rule tester, and the
// preview of exactly what the vendor receives when staff click 转移到云技术客服.
import { z } from "zod";
import type { Db, DbOrTx } from "../db/client.ts";
import { findPublicEntriesForSharing, findSharingPolicy, findTicketForSharing, saveSharingPolicy } from "../db/repos/sharing.ts";
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
  const connection = await resolveConnectionForTicket(db, ticket);
  const [policy, entries] = await Promise.all([getSharingPolicy(db, connection.id), findPublicEntriesForSharing(db, ticketId)]);
  const chosen = fileIds ? new Set(fileIds) : null;
  const shared = shareTicket(policy, pseudonymKey, connection.id, ticket, entries, (id) => (chosen ? chosen.has(id) : policy.forwardFilesByDefault));
  return { connectionName: connection.name, blockedBy: blockOf(findBlockingRule(policy, textsForBlockRules(ticket, entries))), shared };
}
