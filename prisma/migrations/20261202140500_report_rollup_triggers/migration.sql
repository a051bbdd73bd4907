-- 报表的日汇总 ("TicketReportDay") kept current in the writing transaction: a ticket counts in the
-- row of its filing day in Asia/Shanghai (the report service's REPORT_ROLLUP_ZONE), its category,
-- assignee (0 = none) and upstream connection (0 = none). Any change to one of the counted
-- columns takes the old contribution out and puts the new one in, as "TicketCount" does.
-- A row whose tickets fell to 0 stays (all its sums are 0 then); the report skips it.

CREATE FUNCTION "report_day_apply"(t "Ticket", conn INTEGER, s INTEGER) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "TicketReportDay" AS r (
    "day", "categoryId", "assigneeId", "connectionId", "tickets", "escalated",
    "firstResponseSum", "firstResponseCount", "firstResponseMet", "firstResponseTimed",
    "resolutionSum", "resolutionCount", "resolutionMet", "resolutionTimed", "ratingSum", "rated",
    "upstreamAckSum", "upstreamAckCount", "upstreamFirstReplySum", "upstreamFirstReplyCount",
    "upstreamSettleSum", "upstreamSettleCount", "upstreamAckMet", "upstreamAckTimed",
    "upstreamResolutionMet", "upstreamResolutionTimed")
  VALUES (
    (t."createdAt" AT TIME ZONE 'Asia/Shanghai')::date, t."categoryId", COALESCE(t."assigneeId", 0), conn, s,
    s * (t."escalation" <> 'NONE')::int,
    s * COALESCE(t."slaFirstResponseMinutes", 0), s * (t."slaFirstResponseMinutes" IS NOT NULL)::int,
    s * COALESCE(t."slaFirstResponseMet", false)::int, s * (t."slaFirstResponseMet" IS NOT NULL)::int,
    s * COALESCE(t."slaResolutionMinutes", 0), s * (t."slaResolutionMinutes" IS NOT NULL)::int,
    s * COALESCE(t."slaResolutionMet", false)::int, s * (t."slaResolutionMet" IS NOT NULL)::int,
    s * COALESCE(t."rating", 0), s * (t."rating" IS NOT NULL)::int,
    s * COALESCE(t."upstreamAckMinutes", 0), s * (t."upstreamAckMinutes" IS NOT NULL)::int,
    s * COALESCE(t."upstreamFirstReplyMinutes", 0), s * (t."upstreamFirstReplyMinutes" IS NOT NULL)::int,
    s * COALESCE(t."upstreamSettleMinutes", 0), s * (t."upstreamSettleMinutes" IS NOT NULL)::int,
    s * COALESCE(t."upstreamAckMet", false)::int, s * (t."upstreamAckMet" IS NOT NULL)::int,
    s * COALESCE(t."upstreamResolutionMet", false)::int, s * (t."upstreamResolutionMet" IS NOT NULL)::int)
  ON CONFLICT ("day", "categoryId", "assigneeId", "connectionId") DO UPDATE SET
    "tickets" = r."tickets" + EXCLUDED."tickets",
    "escalated" = r."escalated" + EXCLUDED."escalated",
    "firstResponseSum" = r."firstResponseSum" + EXCLUDED."firstResponseSum",
    "firstResponseCount" = r."firstResponseCount" + EXCLUDED."firstResponseCount",
    "firstResponseMet" = r."firstResponseMet" + EXCLUDED."firstResponseMet",
    "firstResponseTimed" = r."firstResponseTimed" + EXCLUDED."firstResponseTimed",
    "resolutionSum" = r."resolutionSum" + EXCLUDED."resolutionSum",
    "resolutionCount" = r."resolutionCount" + EXCLUDED."resolutionCount",
    "resolutionMet" = r."resolutionMet" + EXCLUDED."resolutionMet",
    "resolutionTimed" = r."resolutionTimed" + EXCLUDED."resolutionTimed",
    "ratingSum" = r."ratingSum" + EXCLUDED."ratingSum",
    "rated" = r."rated" + EXCLUDED."rated",
    "upstreamAckSum" = r."upstreamAckSum" + EXCLUDED."upstreamAckSum",
    "upstreamAckCount" = r."upstreamAckCount" + EXCLUDED."upstreamAckCount",
    "upstreamFirstReplySum" = r."upstreamFirstReplySum" + EXCLUDED."upstreamFirstReplySum",
    "upstreamFirstReplyCount" = r."upstreamFirstReplyCount" + EXCLUDED."upstreamFirstReplyCount",
    "upstreamSettleSum" = r."upstreamSettleSum" + EXCLUDED."upstreamSettleSum",
    "upstreamSettleCount" = r."upstreamSettleCount" + EXCLUDED."upstreamSettleCount",
    "upstreamAckMet" = r."upstreamAckMet" + EXCLUDED."upstreamAckMet",
    "upstreamAckTimed" = r."upstreamAckTimed" + EXCLUDED."upstreamAckTimed",
    "upstreamResolutionMet" = r."upstreamResolutionMet" + EXCLUDED."upstreamResolutionMet",
    "upstreamResolutionTimed" = r."upstreamResolutionTimed" + EXCLUDED."upstreamResolutionTimed";
END
$$;

CREATE FUNCTION "report_day_ticket"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM "report_day_apply"(OLD, COALESCE((SELECT "connectionId" FROM "UpstreamLink" WHERE "ticketId" = OLD."id"), 0), -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM "report_day_apply"(NEW, COALESCE((SELECT "connectionId" FROM "UpstreamLink" WHERE "ticketId" = NEW."id"), 0), 1);
  END IF;
  RETURN NULL;
END
$$;

-- Only the counted columns: the sweep's next looks, the search terms, a reply's timestamps leave
-- the rollup alone (and cost it nothing).
CREATE TRIGGER "report_day_ticket_maintain"
  AFTER INSERT OR DELETE OR UPDATE OF "createdAt", "categoryId", "assigneeId", "escalation", "rating",
    "slaFirstResponseMinutes", "slaFirstResponseMet", "slaResolutionMinutes", "slaResolutionMet",
    "upstreamAckMinutes", "upstreamAckMet", "upstreamFirstReplyMinutes", "upstreamSettleMinutes", "upstreamResolutionMet"
  ON "Ticket" FOR EACH ROW EXECUTE FUNCTION "report_day_ticket"();

-- A ticket's upstream connection is its UpstreamLink's (one per ticket; the link cannot outlive
-- its ticket: ON DELETE RESTRICT, so a deleted link's ticket still exists here).
CREATE FUNCTION "report_day_link"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  t "Ticket";
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    SELECT * INTO t FROM "Ticket" WHERE "id" = OLD."ticketId";
    IF FOUND THEN
      PERFORM "report_day_apply"(t, OLD."connectionId", -1);
      PERFORM "report_day_apply"(t, 0, 1);
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    SELECT * INTO t FROM "Ticket" WHERE "id" = NEW."ticketId";
    IF FOUND THEN
      PERFORM "report_day_apply"(t, 0, -1);
      PERFORM "report_day_apply"(t, NEW."connectionId", 1);
    END IF;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "report_day_link_maintain"
  AFTER INSERT OR DELETE OR UPDATE OF "ticketId", "connectionId" ON "UpstreamLink"
  FOR EACH ROW EXECUTE FUNCTION "report_day_link"();

-- Rebuilt from the tickets in one GROUP BY: the backfill below, and bulk loads that ran with the
-- triggers off (the benchmark's seed).
CREATE FUNCTION "report_day_rebuild"() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
DELETE FROM "TicketReportDay";
INSERT INTO "TicketReportDay"
SELECT (t."createdAt" AT TIME ZONE 'Asia/Shanghai')::date, t."categoryId", COALESCE(t."assigneeId", 0), COALESCE(l."connectionId", 0),
       count(*), count(*) FILTER (WHERE t."escalation" <> 'NONE'),
       COALESCE(sum(t."slaFirstResponseMinutes"), 0), count(t."slaFirstResponseMinutes"),
       count(*) FILTER (WHERE t."slaFirstResponseMet"), count(t."slaFirstResponseMet"),
       COALESCE(sum(t."slaResolutionMinutes"), 0), count(t."slaResolutionMinutes"),
       count(*) FILTER (WHERE t."slaResolutionMet"), count(t."slaResolutionMet"),
       COALESCE(sum(t."rating"), 0), count(t."rating"),
       COALESCE(sum(t."upstreamAckMinutes"), 0), count(t."upstreamAckMinutes"),
       COALESCE(sum(t."upstreamFirstReplyMinutes"), 0), count(t."upstreamFirstReplyMinutes"),
       COALESCE(sum(t."upstreamSettleMinutes"), 0), count(t."upstreamSettleMinutes"),
       count(*) FILTER (WHERE t."upstreamAckMet"), count(t."upstreamAckMet"),
       count(*) FILTER (WHERE t."upstreamResolutionMet"), count(t."upstreamResolutionMet")
  FROM "Ticket" t LEFT JOIN "UpstreamLink" l ON l."ticketId" = t."id"
 GROUP BY 1, 2, 3, 4;
END
$$;

SELECT "report_day_rebuild"();
