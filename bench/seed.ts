import type pg from "pg";

/**
 * Bulk data for the queue benchmark, generated inside PostgreSQL (INSERT … SELECT generate_series)
 * so that a million tickets take minutes, not hours. The counter trigger is off during the load
 * and "TicketCount" is rebuilt with one GROUP BY; secondary indexes are dropped and recreated
 * from their own definitions (faster than maintaining them row by row).
 */
/** BENCH_TICKETS only for a quick smoke run of the script itself; the figures are for 1 000 000. */
export const TICKETS = Number(process.env.BENCH_TICKETS ?? 1_000_000);
export const MESSAGES_PER_TICKET = 5;
const MEMBERS = 50_000;
const STAFF = 20;
const BATCH = Math.min(100_000, TICKETS);

const log = (msg: string) => console.log(`[seed ${new Date().toISOString().slice(11, 19)}] ${msg}`);

export async function seed(client: pg.Client) {
  log("clearing");
  await client.query(`TRUNCATE "Attachment", "TicketMessage", "TicketEvent", "UpstreamLink", "OutboxMessage", "Ticket", "TicketCount",
    "CannedReply", "MemberService", "Member", "Category", "CategoryGroup", "Staff", "UpstreamConnection", "DownstreamPartner" RESTART IDENTITY CASCADE`);

  await client.query(`INSERT INTO "Staff" ("loginName", "displayName", role, "passwordHash", "updatedAt")
    SELECT CASE WHEN g = 1 THEN 'admin' ELSE 'kefu' || g END, CASE WHEN g = 1 THEN '超级管理员' ELSE '客服' || g END,
           (CASE WHEN g = 1 THEN 'SUPER_ADMIN' ELSE 'STAFF' END)::"StaffRole", 'x', now()
      FROM generate_series(1, ${STAFF}) g`);
  await client.query(`ALTER SEQUENCE "Member_id_seq" RESTART WITH 1100001`);
  await client.query(`INSERT INTO "Member" (name, email, phone, qq, "passwordHash", "updatedAt")
    SELECT '会员' || g, 'm' || g || '@bench.local', '138' || lpad(g::text, 8, '0'), (10000 + g)::text, 'x', now()
      FROM generate_series(1, ${MEMBERS}) g`);
  await client.query(`INSERT INTO "CategoryGroup" (name, "sortOrder", "updatedAt") VALUES ('技术支持', 1, now()), ('商务与备案', 2, now()), ('财务', 3, now())`);
  // 12 categories; one BUSINESS_TECH and one TRADEMARK (R10), the rest ICP/OTHER/NORMAL.
  await client.query(`INSERT INTO "Category" (name, description, "groupId", type, "submitToApi", "sortOrder", "updatedAt") VALUES
    ('业务资源问题', 'd', 1, 'BUSINESS_TECH', true, 1, now()), ('使用咨询', 'd', 1, 'NORMAL', false, 2, now()),
    ('网络故障', 'd', 1, 'OTHER', true, 3, now()), ('系统重装', 'd', 1, 'NORMAL', false, 4, now()),
    ('数据恢复', 'd', 1, 'OTHER', true, 5, now()), ('备案类问题', 'd', 2, 'ICP_FILING', true, 6, now()),
    ('商标类问题', 'd', 2, 'TRADEMARK', true, 7, now()), ('合同咨询', 'd', 2, 'NORMAL', false, 8, now()),
    ('备案变更', 'd', 2, 'ICP_FILING', false, 9, now()), ('财务与发票', 'd', 3, 'NORMAL', false, 10, now()),
    ('退款申请', 'd', 3, 'NORMAL', false, 11, now()), ('充值问题', 'd', 3, 'NORMAL', false, 12, now())`);
  await client.query(`INSERT INTO "UpstreamConnection" (name, "baseUrl", "partnerId", "keyId", "secretEncrypted", "isDefault", "updatedAt")
    VALUES ('小鸟云', 'https://upstream.invalid', 'p1', 'k1', 'x', true, now()), ('阿帕云', 'https://upstream2.invalid', 'p2', 'k2', 'x', false, now())`);
  await client.query(`INSERT INTO "DownstreamPartner" (name, "partnerId", "keyId", "secretEncrypted", "callbackUrl", "allowedTypes", "updatedAt")
    VALUES ('星河云', 'dp1', 'k1', 'x', 'https://partner.invalid', '{BUSINESS_TECH,OTHER}', now()), ('蓝海主机', 'dp2', 'k2', 'x', 'https://partner2.invalid', '{ICP_FILING}', now())`);

  const indexes = await client.query<{ name: string; def: string; tbl: string }>(
    `SELECT indexname AS name, indexdef AS def, tablename AS tbl FROM pg_indexes
      WHERE tablename IN ('Ticket', 'TicketMessage', 'UpstreamLink') AND indexname NOT LIKE '%_pkey'`,
  );
  log(`dropping ${indexes.rows.length} secondary indexes for the load`);
  for (const i of indexes.rows) await client.query(`DROP INDEX "${i.name}"`);
  await client.query(`ALTER TABLE "Ticket" DISABLE TRIGGER "ticket_count_maintain"`);

  const span = 730 * 24 * 3600; // two years of tickets, oldest first
  for (let from = 1; from <= TICKETS; from += BATCH) {
    const to = Math.min(TICKETS, from + BATCH - 1);
    await client.query(`
      INSERT INTO "Ticket" (id, title, "memberId", "categoryId", status, escalation, "assigneeId", "contactPhone", "contactQq",
                            "respondedAt", "finishedAt", "createdAt", "updatedAt", "partnerId", "partnerTicketNo", guid, "partnerState", version)
      SELECT g, (ARRAY['服务器无法远程连接','备案需要什么？','网站打不开','带宽异常','数据库连接超时','申请退款','发票开具','域名解析失败','磁盘空间不足','CPU 占用过高'])[1 + g % 10] || ' #' || g,
             CASE WHEN partner THEN NULL ELSE 1100001 + (g * 7919) % ${MEMBERS} END,
             cat, st::"TicketStatus", esc::"EscalationState",
             CASE WHEN st = 'PENDING' THEN NULL ELSE 1 + (g * 31) % ${STAFF} END,
             '13800138000', '10001',
             CASE WHEN st = 'PENDING' THEN NULL ELSE created + interval '5 minutes' END,
             CASE WHEN st = 'COMPLETED' THEN updated END,
             created, updated,
             CASE WHEN partner THEN 1 + g % 2 END, CASE WHEN partner THEN 'PT' || g END, CASE WHEN partner THEN 'G' || md5(g::text) END,
             (CASE WHEN partner THEN (CASE WHEN st = 'COMPLETED' THEN 'FINISHED' ELSE 'OPEN' END) END)::"UpstreamTicketState", 3
        FROM (
          SELECT g, created, LEAST(created + (r1 * interval '3 days'), now()) AS updated, partner, cat,
                 -- Recent tickets are the open ones; old ones are nearly all finished.
                 CASE WHEN age < 0.03 AND r2 < 0.35 THEN 'PENDING' WHEN r2 < 0.012 THEN 'PROCESSING' WHEN r2 < 0.03 THEN 'REPLIED'
                      WHEN r2 < 0.04 THEN 'MEMBER_REPLIED' WHEN age < 0.03 AND r2 < 0.7 THEN (ARRAY['PROCESSING','REPLIED','MEMBER_REPLIED'])[1 + g % 3]
                      ELSE 'COMPLETED' END AS st,
                 CASE WHEN cat IN (1, 3, 5, 6, 7) AND NOT partner THEN (CASE WHEN r3 < 0.85 THEN 'NONE' WHEN r3 < 0.93 THEN 'ESCALATED' WHEN r3 < 0.97 THEN 'RETURNED' ELSE 'UPSTREAM_CLOSED' END)
                      ELSE 'NONE' END AS esc
            FROM (
              SELECT g, now() - ((${TICKETS} - g)::float8 / ${TICKETS} * ${span}) * interval '1 second' AS created,
                     (${TICKETS} - g)::float8 / ${TICKETS} AS age, random() AS r1, random() AS r2, random() AS r3,
                     (g % 50 = 0) AS partner, 1 + (g * 13) % 12 AS cat
                FROM generate_series(${from}::bigint, ${to}::bigint) g
            ) a
        ) b`);
    log(`tickets ${to.toLocaleString()}`);
  }
  await client.query(`SELECT setval('"Ticket_id_seq"', ${TICKETS})`);

  for (let from = 1; from <= TICKETS; from += BATCH) {
    const to = Math.min(TICKETS, from + BATCH - 1);
    // Message k of a ticket: the member asks (k = 1, 3, 5), staff answers (k = 2, 4); every tenth answer is an internal note.
    await client.query(`
      INSERT INTO "TicketMessage" ("ticketId", "authorKind", "memberId", "staffId", visibility, body, "createdAt")
      SELECT t.id, (CASE WHEN k % 2 = 1 THEN 'MEMBER' ELSE 'STAFF' END)::"AuthorKind",
             CASE WHEN k % 2 = 1 THEN t."memberId" END, CASE WHEN k % 2 = 0 THEN 1 + (t.id * 31) % ${STAFF} END,
             (CASE WHEN k = 4 AND t.id % 10 = 0 THEN 'STAFF_ONLY' ELSE 'PUBLIC' END)::"Visibility",
             (ARRAY['从今天早上开始，SSH 连接超时，控制台显示运行中。','您好, 问题已收到。','请问是企业还是个人备案？','已为您重启实例，请再试一次。',
                    '网站访问很慢，ping 丢包严重','需要营业执照和负责人身份证','已处理，如有问题请重新提交工单。','磁盘使用率 100%，无法写入'])[1 + (t.id + k) % 8]
               || ' (' || t.id || '-' || k || ')',
             t."createdAt" + (k - 1) * (t."updatedAt" - t."createdAt") / ${MESSAGES_PER_TICKET}
        FROM "Ticket" t CROSS JOIN generate_series(1, ${MESSAGES_PER_TICKET}) k
       WHERE t.id BETWEEN ${from} AND ${to}
       ORDER BY t."createdAt", k`);
    log(`messages for tickets ${to.toLocaleString()}`);
  }

  await client.query(`INSERT INTO "UpstreamLink" ("ticketId", "connectionId", guid, state, "updatedAt")
    SELECT id, 1 + id % 2, CASE WHEN id % 20 = 0 AND escalation = 'ESCALATED' THEN NULL ELSE (1556285580000000 + id)::text END,
           (CASE escalation WHEN 'ESCALATED' THEN 'OPEN' WHEN 'RETURNED' THEN 'RETURNED' ELSE 'CLOSED' END)::"UpstreamTicketState", now()
      FROM "Ticket" WHERE escalation <> 'NONE'`);

  log("recreating indexes");
  for (const i of indexes.rows) await client.query(i.def);
  log("rebuilding TicketCount");
  await client.query(`INSERT INTO "TicketCount" (status, escalation, "categoryId", "assigneeId", n)
    SELECT status, escalation, "categoryId", COALESCE("assigneeId", 0), count(*) FROM "Ticket" GROUP BY 1, 2, 3, 4`);
  await client.query(`ALTER TABLE "Ticket" ENABLE TRIGGER "ticket_count_maintain"`);
  log("vacuum analyze");
  await client.query(`VACUUM ANALYZE "Ticket"`);
  await client.query(`VACUUM ANALYZE "TicketMessage"`);
  await client.query(`ANALYZE`);
  log("done");
}
