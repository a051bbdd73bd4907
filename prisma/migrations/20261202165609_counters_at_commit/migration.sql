-- The maintained counts ("TicketCount") and the daily report rollup ("TicketReportDay") are a few
-- rows that many tickets share: every ticket filed today in one category, every escalation from
-- one staff member's 处理中 queue. Their triggers ran at each statement, so a command held those
-- rows locked from its first write to its commit, and concurrent commands on different tickets
-- queued behind each other (an escalation burst: 400 ms waiting at one UPDATE). Now both run at
-- COMMIT (constraint triggers, DEFERRABLE INITIALLY DEFERRED): the rows are locked only while the
-- transaction commits. Each deferred event still carries the OLD and NEW row of its own statement,
-- so the sums are those of the immediate triggers.
--
-- The rollup's upstream connection was read from "UpstreamLink" when the trigger ran; at commit
-- that read would see the link as it ends, not as it was at the event. So the ticket row now
-- carries it ("reportConnectionId"), copied by an immediate trigger on "UpstreamLink", and the
-- rollup reads OLD and NEW only.

ALTER TABLE "Ticket" ADD COLUMN "reportConnectionId" INTEGER NOT NULL DEFAULT 0;
UPDATE "Ticket" t SET "reportConnectionId" = l."connectionId" FROM "UpstreamLink" l WHERE l."ticketId" = t."id";

DROP TRIGGER "report_day_link_maintain" ON "UpstreamLink";
DROP FUNCTION "report_day_link"();

CREATE FUNCTION "report_connection_follow_link"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE "Ticket" SET "reportConnectionId" = 0 WHERE "id" = OLD."ticketId" AND "reportConnectionId" <> 0;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE "Ticket" SET "reportConnectionId" = NEW."connectionId"
     WHERE "id" = NEW."ticketId" AND "reportConnectionId" <> NEW."connectionId";
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "report_connection_follow_link"
  AFTER INSERT OR DELETE OR UPDATE OF "ticketId", "connectionId" ON "UpstreamLink"
  FOR EACH ROW EXECUTE FUNCTION "report_connection_follow_link"();

CREATE OR REPLACE FUNCTION "report_day_ticket"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND (OLD."createdAt" AT TIME ZONE 'Asia/Shanghai')::date = (NEW."createdAt" AT TIME ZONE 'Asia/Shanghai')::date
     AND OLD."categoryId" = NEW."categoryId"
     AND OLD."assigneeId" IS NOT DISTINCT FROM NEW."assigneeId"
     AND OLD."reportConnectionId" = NEW."reportConnectionId"
     AND (OLD."escalation" <> 'NONE') = (NEW."escalation" <> 'NONE')
     AND OLD."rating" IS NOT DISTINCT FROM NEW."rating"
     AND OLD."slaFirstResponseMinutes" IS NOT DISTINCT FROM NEW."slaFirstResponseMinutes"
     AND OLD."slaFirstResponseMet" IS NOT DISTINCT FROM NEW."slaFirstResponseMet"
     AND OLD."slaResolutionMinutes" IS NOT DISTINCT FROM NEW."slaResolutionMinutes"
     AND OLD."slaResolutionMet" IS NOT DISTINCT FROM NEW."slaResolutionMet"
     AND OLD."upstreamAckMinutes" IS NOT DISTINCT FROM NEW."upstreamAckMinutes"
     AND OLD."upstreamAckMet" IS NOT DISTINCT FROM NEW."upstreamAckMet"
     AND OLD."upstreamFirstReplyMinutes" IS NOT DISTINCT FROM NEW."upstreamFirstReplyMinutes"
     AND OLD."upstreamSettleMinutes" IS NOT DISTINCT FROM NEW."upstreamSettleMinutes"
     AND OLD."upstreamResolutionMet" IS NOT DISTINCT FROM NEW."upstreamResolutionMet" THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM "report_day_apply"(OLD, OLD."reportConnectionId", -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM "report_day_apply"(NEW, NEW."reportConnectionId", 1);
  END IF;
  RETURN NULL;
END
$$;

DROP TRIGGER "report_day_ticket_maintain" ON "Ticket";
CREATE CONSTRAINT TRIGGER "report_day_ticket_maintain"
  AFTER INSERT OR DELETE OR UPDATE OF "createdAt", "categoryId", "assigneeId", "escalation", "rating",
    "slaFirstResponseMinutes", "slaFirstResponseMet", "slaResolutionMinutes", "slaResolutionMet",
    "upstreamAckMinutes", "upstreamAckMet", "upstreamFirstReplyMinutes", "upstreamSettleMinutes", "upstreamResolutionMet",
    "reportConnectionId"
  ON "Ticket" DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION "report_day_ticket"();

DROP TRIGGER "ticket_count_maintain" ON "Ticket";
CREATE CONSTRAINT TRIGGER "ticket_count_maintain"
  AFTER INSERT OR DELETE OR UPDATE OF "status", "escalation", "categoryId", "assigneeId" ON "Ticket"
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION "ticket_count_apply"();

-- Rebuilt from the tickets alone (each carries its connection now).
CREATE OR REPLACE FUNCTION "report_day_rebuild"() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
DELETE FROM "TicketReportDay";
INSERT INTO "TicketReportDay"
SELECT (t."createdAt" AT TIME ZONE 'Asia/Shanghai')::date, t."categoryId", COALESCE(t."assigneeId", 0), t."reportConnectionId",
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
  FROM "Ticket" t
 GROUP BY 1, 2, 3, 4;
END
$$;
