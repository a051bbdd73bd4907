-- The bell is live: a new notification tells its one recipient's streams (ids only; the stream
-- routes it by recipient, so nobody else hears of it).
CREATE FUNCTION "live_on_notification"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM "live_notify"(jsonb_build_object('k', 'notification', 'r', NEW."recipientKind", 'i', NEW."recipientId"));
  RETURN NULL;
END $fn$;
CREATE TRIGGER "live_notification" AFTER INSERT ON "Notification"
  FOR EACH ROW EXECUTE FUNCTION "live_on_notification"();
