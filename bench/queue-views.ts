import type { Db } from "../src/server/db/client.ts";
import { listQueue, type QueueInput } from "../src/server/services/queue-service.ts";
import type { StaffViewer } from "../src/server/viewer.ts";
import { RARE_WORD, TICKETS } from "./seed.ts";

/** The console queue's views as the benches measure them (bench/seed.ts data), on any database. */

export const TZ = "Asia/Shanghai";
export const benchViewer: StaffViewer = { kind: "staff", staffId: 3, name: "客服3", role: "STAFF" };

type Queryable = { query(sql: string): Promise<{ rows: Record<string, unknown>[] }> };
export type ViewParameters = { member: number; guid: string; server: { businessId: string; businessIp: string }; deep: string | null };

/** Parameters that exist in the data: a busy member, a GUID, a server's IP and ID, a deep cursor. */
export async function viewParameters(client: Queryable, db: Db): Promise<ViewParameters> {
  const member = (await client.query(`SELECT "memberId" FROM "Ticket" WHERE "memberId" IS NOT NULL ORDER BY id DESC LIMIT 1`)).rows[0]!.memberId as number;
  const guid = (await client.query(`SELECT guid FROM "UpstreamLink" WHERE guid IS NOT NULL ORDER BY id DESC LIMIT 1 OFFSET 500`)).rows[0]!.guid as string;
  // From the middle of the data (each names about three tickets).
  const server = (await client.query(`SELECT "businessId", "businessIp" FROM "Ticket" WHERE "businessIp" IS NOT NULL ORDER BY id LIMIT 1 OFFSET ${Math.floor(TICKETS / 8)}`)).rows[0] as ViewParameters["server"];
  let deep: string | null = null;
  for (let i = 0; i < 19; i++) deep = (await listQueue(db, benchViewer, { status: "COMPLETED", cursor: deep }, TZ)).nextCursor;
  return { member, guid, server, deep };
}

export function queueViews({ member, guid, server, deep }: ViewParameters): [string, QueueInput][] {
  const today = new Date().toISOString().slice(0, 10);
  const weekAgo = new Date(Date.now() - 7 * 86400_000).toISOString().slice(0, 10);
  return [
    ["待处理", { status: "PENDING" }],
    ["处理中", { status: "PROCESSING" }],
    ["待回复", { status: "MEMBER_REPLIED" }],
    ["已回复", { status: "REPLIED" }],
    ["已完成", { status: "COMPLETED" }],
    ["全部", {}],
    ["已完成, page 20 (keyset)", { status: "COMPLETED", cursor: deep }],
    ["待处理 + category", { status: "PENDING", categoryId: 3 }],
    ["已完成 + group (5 categories)", { status: "COMPLETED", groupId: 1 }],
    ["全部 + group", { groupId: 2 }],
    ["处理中 + mine", { status: "PROCESSING", assignee: "mine" }],
    ["全部 + mine", { assignee: "mine" }],
    ["待处理 + unassigned", { status: "PENDING", assignee: "unassigned" }],
    ["全部 + escalated", { escalation: "ESCALATED" }],
    ["已完成 + upstream closed + group", { status: "COMPLETED", escalation: "UPSTREAM_CLOSED", groupId: 2 }],
    ["member ID", { memberId: member }],
    ["last 7 days, by creation", { createdFrom: weekAgo, createdTo: today, sort: "created" }],
    ["待处理, last 7 days", { status: "PENDING", createdFrom: weekAgo, createdTo: today }],
    ["已完成, by creation", { status: "COMPLETED", sort: "created" }],
    ["待处理, by creation", { status: "PENDING", sort: "created" }],
    ["search ticket number", { q: String(Math.floor(TICKETS * 0.987654)) }],
    ["search upstream GUID", { q: guid }],
    ["search text (common)", { q: "备案" }],
    ["search text (rare)", { q: RARE_WORD }],
    ["search IP", { q: server.businessIp }],
    ["search business ID", { q: server.businessId }],
    ["search phrase", { q: '"SSH 连接超时"' }],
    ["search common + 待处理", { q: "备案", status: "PENDING" }],
    ["search common + group", { q: "退款", groupId: 3 }],
  ];
}
