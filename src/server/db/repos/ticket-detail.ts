import { Prisma } from "../generated/client.ts";
import type { DbOrTx } from "../client.ts";

/**
 * 工单信息 → 基本信息: the ticket with everything the page names, in one query. A superset of
 * findTicketForCommand's shape, so the page derives its controls with the commands' own snapshotOf.
 */
export function findTicketDetail(db: DbOrTx, id: number) {
  return db.ticket.findUnique({
    where: { id },
    include: {
      category: { select: { id: true, name: true, type: true, submitToApi: true, enabled: true, group: { select: { id: true, name: true } } } },
      assignee: { select: { id: true, displayName: true } },
      partner: { select: { id: true, name: true, partnerId: true } },
      // Read here until escalation.status exists: GUID null = 转移中 (not acknowledged yet).
      upstream: { select: { id: true, connectionId: true, guid: true, state: true, lastSyncedAt: true, connection: { select: { name: true } } } },
    },
  });
}
export type TicketDetailRow = NonNullable<Awaited<ReturnType<typeof findTicketDetail>>>;

export type ConversationRow = {
  id: number;
  authorKind: "MEMBER" | "STAFF" | "UPSTREAM_AGENT" | "PARTNER" | "SYSTEM";
  staffId: number | null;
  staffName: string | null;
  agentId: string | null;
  agentName: string | null;
  visibility: "PUBLIC" | "STAFF_ONLY";
  body: string;
  systemCode: string | null;
  systemParams: unknown;
  createdAt: Date;
  /** `available`: false while an upstream's file is still being fetched (its key is not a stored blob yet). */
  attachments: { id: number; fileName: string; mimeType: string; size: number; available: boolean }[];
};

/**
 * 沟通记录, one page: the newest messages before `before` (keyset on createdAt, id — the index
 * TicketMessage(ticketId, createdAt, id) serves it), newest first; staff names joined and
 * attachments aggregated per message (TicketMessage has no relation to Staff, hence SQL).
 */
export function findConversationPage(db: DbOrTx, ticketId: number, before: { key: Date; id: number } | null, limit: number) {
  const older = before ? Prisma.sql`AND (m."createdAt", m.id) < (${before.key}::timestamptz, ${before.id})` : Prisma.empty;
  return db.$queryRaw<ConversationRow[]>`
    SELECT m.id, m."authorKind"::text AS "authorKind", m."staffId", s."displayName" AS "staffName", m."agentId", m."agentName",
           m.visibility::text AS visibility, m.body, m."systemCode", m."systemParams", m."createdAt",
           COALESCE((SELECT json_agg(json_build_object('id', a.id, 'fileName', a."fileName", 'mimeType', a."mimeType", 'size', a.size, 'available', a."storageKey" NOT LIKE 'remote:%' /* remoteFileKey() */) ORDER BY a.id)
                       FROM "Attachment" a WHERE a."messageId" = m.id), '[]'::json) AS attachments
      FROM "TicketMessage" m
      LEFT JOIN "Staff" s ON s.id = m."staffId"
     WHERE m."ticketId" = ${ticketId} ${older}
     ORDER BY m."createdAt" DESC, m.id DESC
     LIMIT ${limit}`;
}
