-- CreateTable
CREATE TABLE "TicketPresence" (
    "ticketId" INTEGER NOT NULL,
    "staffId" INTEGER NOT NULL,
    "typing" BOOLEAN NOT NULL DEFAULT false,
    "since" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TicketPresence_pkey" PRIMARY KEY ("ticketId","staffId")
);

-- CreateIndex
CREATE INDEX "TicketPresence_expiresAt_idx" ON "TicketPresence"("expiresAt");

-- The live channel (docs/LIVE.md). Every write path records a changed ticket in one of these
-- tables, so the triggers are the one place that publishes: NOTIFY is delivered at commit (never
-- for a rolled-back change), to every process listening on PostgreSQL and in-process on PGlite.
-- Payloads carry ids and kinds only, never content: whoever receives one re-reads what it may see.
CREATE FUNCTION "live_notify"(payload jsonb) RETURNS void LANGUAGE sql AS $$
  SELECT pg_notify('relaydesk_live', payload::text)
$$;

CREATE FUNCTION "live_on_ticket_event"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM "live_notify"(jsonb_build_object('k', 'event', 't', NEW."ticketId", 'e', NEW."id"));
  RETURN NULL;
END $fn$;
CREATE TRIGGER "live_ticket_event" AFTER INSERT ON "TicketEvent"
  FOR EACH ROW EXECUTE FUNCTION "live_on_ticket_event"();

-- 转移中 → GUID, 已回转, the sync cursor: the link moves without an audit row of its own.
CREATE FUNCTION "live_on_upstream_link"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM "live_notify"(jsonb_build_object('k', 'link', 't', NEW."ticketId"));
  RETURN NULL;
END $fn$;
CREATE TRIGGER "live_upstream_link" AFTER INSERT OR UPDATE ON "UpstreamLink"
  FOR EACH ROW EXECUTE FUNCTION "live_on_upstream_link"();

-- 同步与投递: a delivery queued, delivered, retried or dead. Equal payloads within one
-- transaction are delivered once by PostgreSQL, so a batch does not flood the channel.
CREATE FUNCTION "live_on_outbox"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM "live_notify"(jsonb_build_object('k', 'delivery', 't', NEW."ticketId"));
  RETURN NULL;
END $fn$;
CREATE TRIGGER "live_outbox" AFTER INSERT OR UPDATE OF "status" ON "OutboxMessage"
  FOR EACH ROW EXECUTE FUNCTION "live_on_outbox"();

-- Someone opened or left a ticket page, or started or stopped typing (not every heartbeat).
CREATE FUNCTION "live_on_presence"() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  row_ticket int := COALESCE(NEW."ticketId", OLD."ticketId");
BEGIN
  IF TG_OP = 'UPDATE' AND NEW."typing" = OLD."typing" AND NEW."since" = OLD."since" THEN
    RETURN NULL;
  END IF;
  PERFORM "live_notify"(jsonb_build_object('k', 'presence', 't', row_ticket));
  RETURN NULL;
END $fn$;
CREATE TRIGGER "live_presence" AFTER INSERT OR UPDATE OR DELETE ON "TicketPresence"
  FOR EACH ROW EXECUTE FUNCTION "live_on_presence"();
