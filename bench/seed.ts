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

// The text: titles and message bodies from fixed templates plus per-ticket tokens (ticket number,
// business ID / IP, a message suffix). Search terms are written in bulk by composing the
// templates' search_vector() with those tokens (tsvector || shifts positions, so this is what the
// triggers would write); checkSearchTerms() recomputes a sample with the real functions.
const TITLES = ["服务器无法远程连接", "备案需要什么？", "网站打不开", "带宽异常", "数据库连接超时", "申请退款", "发票开具", "域名解析失败", "磁盘空间不足", "CPU 占用过高"];
const BODIES = [
  "从今天早上开始，SSH 连接超时，控制台显示运行中。", "您好, 问题已收到。", "请问是企业还是个人备案？", "已为您重启实例，请再试一次。",
  "网站访问很慢，ping 丢包严重", "需要营业执照和负责人身份证", "已处理，如有问题请重新提交工单。", "磁盘使用率 100%，无法写入",
  "服务器无法连接，IP", "帮忙看一下 nginx 报 502 Bad Gateway", "续费后实例还是停机状态", "能否开通 IPv6？",
  "请提供控制台截图", "MySQL 连接数满了，Too many connections", "数据盘扩容后没有生效", "我们已联系上游机房处理",
  "要求退款，服务一直不稳定", "安全组已放行 3389 端口", "内存占用 95%，怀疑被挖矿", "已为您更换线路，请观察",
];
/** The template (1-based) whose body ends with the ticket's business IP (or 127.0.0.1). */
const IP_BODY = 9;
/** Only in a dozen tickets of the oldest month: the "rare word" search must find them. */
export const RARE_TEXT = "磁带机备份失败，请协助恢复";
export const RARE_WORD = "磁带机";
const rareSql = (id: string, k: number | string) => `(${id} <= ${Math.floor(TICKETS / 24)} AND ${id} % 3331 = 7 AND ${k} = 2)`;
const sqlList = (xs: string[]) => `ARRAY[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(",")}]`;
const TITLE_SQL = `(${sqlList(TITLES)})[1 + g % ${TITLES.length}] || ' #' || g`;
/** Business fields on the technical categories: each server (ID and IP) has about three tickets. */
const BID_SQL = `CASE WHEN cat IN (1, 3, 4, 5) THEN 'VPS-' || (10000 + g / 3) END`;
const BIP_SQL = `CASE WHEN cat IN (1, 3, 4, 5) THEN '10.' || (g / 3 / 65536 % 256) || '.' || (g / 3 / 256 % 256) || '.' || (g / 3 % 256) END`;
const Q = "''''";
const lexeme = (expr: string) => `(${Q} || ${expr} || ${Q} || ':1')::tsvector`;
const HEAD_VECTOR_SQL = `($1::tsvector[])[1 + g % ${TITLES.length}] || ${lexeme("g")}
  || CASE WHEN bid IS NULL THEN ''::tsvector ELSE ${lexeme("lower(bid)")} END
  || CASE WHEN bip IS NULL THEN ''::tsvector ELSE ${lexeme("bip")} END`;
const bodyIndex = (id: string, k: number | string) => `(1 + (${id} + ${k}) % ${BODIES.length})`;
function messageBodySql(id: string, k: string, ip: string) {
  return `CASE WHEN ${rareSql(id, k)} THEN '${RARE_TEXT}'
     ELSE (${sqlList(BODIES)})[${bodyIndex(id, k)}] || CASE WHEN ${bodyIndex(id, k)} = ${IP_BODY} THEN ' ' || COALESCE(${ip}, '127.0.0.1') ELSE '' END END
     || ' (' || ${id} || '-' || ${k} || ')'`;
}
function messageVectorSql(id: string, k: number) {
  return `(CASE WHEN ${rareSql(id, k)} THEN $3::tsvector
     ELSE ($2::tsvector[])[${bodyIndex(id, k)}] || CASE WHEN ${bodyIndex(id, k)} = ${IP_BODY} THEN ${lexeme("COALESCE(bip, '127.0.0.1')")} ELSE ''::tsvector END END
     || ${lexeme(`${id} || '-' || ${k}`)})`;
}

async function templateVectors(client: pg.Client) {
  const one = async (texts: string[]) =>
    (await client.query<{ v: string[] }>(`SELECT array_agg(search_vector(x)::text ORDER BY n) AS v FROM unnest($1::text[]) WITH ORDINALITY u(x, n)`, [texts])).rows[0]!.v;
  return { titles: await one(TITLES), bodies: await one(BODIES), rare: (await one([RARE_TEXT]))[0] };
}

/** The bulk-written terms must equal what the triggers' function computes from the rows. */
async function checkSearchTerms(client: pg.Client) {
  const bad = await client.query(`
    SELECT t.id FROM "Ticket" t, ticket_search_terms(t.id, t.title, t."businessId", t."businessIp") s
     WHERE t.id IN (SELECT (1 + (g * 7907) % ${TICKETS}) FROM generate_series(1, 300) g UNION SELECT 7 UNION SELECT 10)
       AND (s.head::text <> t."searchHead"::text OR s.all_terms::text <> t."searchAll"::text
            OR s.public_terms::text IS DISTINCT FROM t."searchPublic"::text)`);
  if (bad.rowCount) throw new Error(`bulk search terms differ from search_vector() for tickets ${bad.rows.map((r) => r.id).join(", ")}`);
  log("search terms of a 300-ticket sample match the triggers' function");
}

const log = (msg: string) => console.log(`[seed ${new Date().toISOString().slice(11, 19)}] ${msg}`);

export async function seed(client: pg.Client) {
  log("clearing");
  await client.query(`TRUNCATE "Attachment", "TicketMessage", "TicketEvent", "UpstreamLink", "OutboxMessage", "Ticket", "TicketCount",
    "CannedReply", "MemberService", "Member", "Category", "CategoryGroup", "Staff", "UpstreamConnection", "DownstreamPartner", "TicketReportDay" RESTART IDENTITY CASCADE`);

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
  // User triggers off for the load (counters, search terms, the report rollup): computed in bulk below.
  await client.query(`ALTER TABLE "Ticket" DISABLE TRIGGER USER`);
  await client.query(`ALTER TABLE "TicketMessage" DISABLE TRIGGER USER`);
  await client.query(`ALTER TABLE "UpstreamLink" DISABLE TRIGGER USER`);
  const vectors = await templateVectors(client);

  const span = 730 * 24 * 3600; // two years of tickets, oldest first
  for (let from = 1; from <= TICKETS; from += BATCH) {
    const to = Math.min(TICKETS, from + BATCH - 1);
    await client.query(`
      INSERT INTO "Ticket" (id, title, "memberId", "categoryId", status, escalation, "assigneeId", "contactPhone", "contactQq",
                            "respondedAt", "finishedAt", "createdAt", "updatedAt", "partnerId", "partnerTicketNo", guid, "partnerState", version,
                            "businessId", "businessIp", "searchHead", "searchAll", "searchPublic")
      SELECT g, ${TITLE_SQL},
             CASE WHEN partner THEN NULL ELSE 1100001 + (g * 7919) % ${MEMBERS} END,
             cat, st::"TicketStatus", esc::"EscalationState",
             CASE WHEN st = 'PENDING' THEN NULL ELSE 1 + (g * 31) % ${STAFF} END,
             '13800138000', '10001',
             CASE WHEN st = 'PENDING' THEN NULL ELSE created + interval '5 minutes' END,
             CASE WHEN st = 'COMPLETED' THEN updated END,
             created, updated,
             CASE WHEN partner THEN 1 + g % 2 END, CASE WHEN partner THEN 'PT' || g END, CASE WHEN partner THEN 'G' || md5(g::text) END,
             (CASE WHEN partner THEN (CASE WHEN st = 'COMPLETED' THEN 'FINISHED' ELSE 'OPEN' END) END)::"UpstreamTicketState", 3,
             bid, bip, head, head${[1, 2, 3, 4, 5].map((k) => ` || ${messageVectorSql("g", k)}`).join("")},
             CASE WHEN g % 10 = 0 THEN head${[1, 2, 3, 5].map((k) => ` || ${messageVectorSql("g", k)}`).join("")} END
        FROM (SELECT *, ${HEAD_VECTOR_SQL} AS head FROM (SELECT *, ${BID_SQL} AS bid, ${BIP_SQL} AS bip FROM (
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
        ) b) c) d`, [vectors.titles, vectors.bodies, vectors.rare]);
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
             ${messageBodySql("t.id", "k", `t."businessIp"`)},
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
  // What the link trigger (off here) copies onto the ticket for the report rollup.
  await client.query(`UPDATE "Ticket" SET "reportConnectionId" = 1 + id % 2 WHERE escalation <> 'NONE'`);

  log("recreating indexes");
  for (const i of indexes.rows) await client.query(i.def);
  log("rebuilding TicketCount");
  await client.query(`INSERT INTO "TicketCount" (status, escalation, "categoryId", "assigneeId", n)
    SELECT status, escalation, "categoryId", COALESCE("assigneeId", 0), count(*) FROM "Ticket" GROUP BY 1, 2, 3, 4`);
  await client.query(`ALTER TABLE "Ticket" ENABLE TRIGGER USER`);
  log("rebuilding the report rollup");
  await client.query(`SELECT "report_day_rebuild"()`);
  await client.query(`ALTER TABLE "TicketMessage" ENABLE TRIGGER USER`);
  await client.query(`ALTER TABLE "UpstreamLink" ENABLE TRIGGER USER`);
  await checkSearchTerms(client);
  log("vacuum analyze");
  await client.query(`VACUUM ANALYZE "Ticket"`);
  await client.query(`VACUUM ANALYZE "TicketMessage"`);
  await client.query(`ANALYZE`);
  log("done");
}
