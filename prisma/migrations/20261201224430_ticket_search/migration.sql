-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "searchAll" tsvector NOT NULL DEFAULT ''::tsvector,
ADD COLUMN     "searchHead" tsvector NOT NULL DEFAULT ''::tsvector,
ADD COLUMN     "searchPublic" tsvector;

-- ---------------------------------------------------------------------------
-- Search (docs/SEARCH.md). One tokenizer, in SQL, so that every writer — console, portal,
-- upstream callbacks and sync, partner protocol requests, bulk SQL — is indexed the same way,
-- and the query is cut by the same code as the text.
--
-- search_split(text): the text's units in order, NFKC-folded and lower-cased:
--   * ops tokens whole: letters/digits joined by . _ @ - (IPv4, host names, e-mail addresses,
--     business IDs such as vps-10086, GUIDs) and by : between hex digits (IPv6, times);
--     an IPv4 address's :port and a word's "key:" are split off; connectors at a token's ends
--     are dropped; a token longer than 200 characters is skipped;
--   * a run of CJK characters (kana, hangul included) as one unit.
-- search_vector(text): one position per Latin token and per CJK character: every CJK character
--   yields the bigram it starts (the run's last character: itself), so any 2+ character word is
--   a phrase of bigrams and any single character a prefix query.
-- search_query(text): the same units as a tsquery: each unquoted unit must occur (AND; a CJK run
--   as its bigram phrase), a "quoted part" must occur as a phrase.
-- ---------------------------------------------------------------------------

CREATE FUNCTION "search_split"(doc text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT array_remove(string_to_array(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
           lower(normalize(doc, NFKC)),
           '[^0-9a-z\u00df-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff._@:\-\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+|([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+)', ' \1 ', 'g'),
           '([0-9]{1,3}(\.[0-9]{1,3}){3}):', '\1 ', 'g'),
           '(?<=[g-z\u00df-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff]):|:(?=[g-z\u00df-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff])', ' ', 'g'),
           '(^|\s)[._@:\-]+|[._@:\-]+(?=\s|$)', '\1', 'g'), ' '), '')
$fn$;

CREATE FUNCTION "search_vector"(doc text) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $fn$
DECLARE
  tok text;
  len int;
  pos int := 0;
  literal text := ''; -- tsvector input, 'lexeme':position … (a string: array appends are slow in PGlite)
BEGIN
  IF doc IS NULL THEN
    RETURN ''::tsvector;
  END IF;
  FOREACH tok IN ARRAY "search_split"(doc) LOOP
    len := length(tok);
    CONTINUE WHEN len > 200;
    IF ascii(tok) >= 12352 THEN -- U+3040: a CJK run (every other unit is Latin, Greek or Cyrillic)
      FOR i IN 1..len LOOP
        literal := literal || ' ''' || substr(tok, i, 2) || ''':' || (pos + i);
      END LOOP;
      pos := pos + len;
    ELSE
      pos := pos + 1;
      literal := literal || ' ''' || tok || ''':' || pos;
    END IF;
  END LOOP;
  RETURN literal::tsvector;
END
$fn$;

CREATE FUNCTION "search_query"(q text) RETURNS tsquery
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $fn$
DECLARE
  seg text;
  n int := 0;
  tok text;
  len int;
  pos int;
  prev int;
  phrase text;
  groups text[] := '{}';
  quoted boolean;
BEGIN
  IF q IS NULL THEN
    RETURN NULL;
  END IF;
  FOREACH seg IN ARRAY string_to_array(q, '"') LOOP
    n := n + 1;
    quoted := n % 2 = 0;
    phrase := NULL;
    pos := 0;
    FOREACH tok IN ARRAY "search_split"(seg) LOOP
      len := length(tok);
      CONTINUE WHEN len > 200;
      IF NOT quoted THEN
        phrase := NULL;
      END IF;
      IF ascii(tok) >= 12352 AND len > 1 THEN
        FOR i IN 1..len - 1 LOOP
          phrase := CASE WHEN phrase IS NULL THEN '' ELSE phrase || ' <' || (pos + i - prev) || '> ' END
                    || '''' || substr(tok, i, 2) || '''';
          prev := pos + i;
        END LOOP;
        pos := pos + len;
      ELSE
        pos := pos + 1;
        phrase := CASE WHEN phrase IS NULL THEN '' ELSE phrase || ' <' || (pos - prev) || '> ' END
                  || '''' || tok || '''' || CASE WHEN ascii(tok) >= 12352 THEN ':*' ELSE '' END;
        prev := pos;
      END IF;
      IF NOT quoted THEN
        groups := groups || ('(' || phrase || ')');
      END IF;
    END LOOP;
    IF quoted AND phrase IS NOT NULL THEN
      groups := groups || ('(' || phrase || ')');
    END IF;
  END LOOP;
  RETURN NULLIF(array_to_string(groups, ' & '), '')::tsquery;
END
$fn$;

-- A ticket's terms from its heading and its conversation (system lines are not the ticket's
-- text). public_terms is NULL when no entry is staff-only (then it equals all_terms).
CREATE FUNCTION "ticket_search_terms"(ticket_id int, title text, business_id text, business_ip text,
                                      OUT head tsvector, OUT all_terms tsvector, OUT public_terms tsvector)
LANGUAGE plpgsql STABLE AS $fn$
DECLARE
  m record;
  v tsvector;
  internal boolean := false;
BEGIN
  head := "search_vector"(concat_ws(' ', title, business_id, business_ip));
  all_terms := head;
  public_terms := head;
  FOR m IN SELECT "body", "visibility" FROM "TicketMessage"
            WHERE "ticketId" = ticket_id AND "authorKind" <> 'SYSTEM' ORDER BY "id" LOOP
    v := "search_vector"(m."body");
    -- A tsvector holds at most 1 MB: a conversation beyond ~900 kB of terms stops growing its
    -- index rather than failing the write (its later entries are then not searchable).
    CONTINUE WHEN pg_column_size(all_terms) + pg_column_size(v) > 900000;
    all_terms := all_terms || v;
    IF m."visibility" = 'PUBLIC' THEN
      public_terms := public_terms || v;
    ELSE
      internal := true;
    END IF;
  END LOOP;
  IF NOT internal THEN
    public_terms := NULL;
  END IF;
END
$fn$;

-- Backfill: every existing ticket, with the same functions the triggers use.
UPDATE "Ticket" t
   SET ("searchHead", "searchAll", "searchPublic") =
       (SELECT s.head, s.all_terms, s.public_terms FROM "ticket_search_terms"(t."id", t."title", t."businessId", t."businessIp") s);

-- The heading changed (or a new ticket): recompute everything, heading first.
CREATE FUNCTION "ticket_search_on_ticket"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'UPDATE'
     AND OLD."title" IS NOT DISTINCT FROM NEW."title"
     AND OLD."businessId" IS NOT DISTINCT FROM NEW."businessId"
     AND OLD."businessIp" IS NOT DISTINCT FROM NEW."businessIp" THEN
    RETURN NEW;
  END IF;
  SELECT s.head, s.all_terms, s.public_terms INTO NEW."searchHead", NEW."searchAll", NEW."searchPublic"
    FROM "ticket_search_terms"(NEW."id", NEW."title", NEW."businessId", NEW."businessIp") s;
  RETURN NEW;
END
$fn$;

CREATE TRIGGER "ticket_search_heading"
  BEFORE INSERT OR UPDATE OF "title", "businessId", "businessIp" ON "Ticket"
  FOR EACH ROW EXECUTE FUNCTION "ticket_search_on_ticket"();

-- A new entry: append its terms (no re-reading of the conversation). A first staff-only entry
-- splits the member's terms off.
CREATE FUNCTION "ticket_search_on_message"() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  v tsvector;
BEGIN
  IF TG_OP = 'INSERT' THEN
    v := "search_vector"(NEW."body");
    -- Same bound as ticket_search_terms().
    UPDATE "Ticket"
       SET "searchAll" = "searchAll" || v,
           "searchPublic" = CASE WHEN NEW."visibility" = 'PUBLIC' THEN "searchPublic" || v
                                 ELSE COALESCE("searchPublic", "searchAll") END
     WHERE "id" = NEW."ticketId" AND pg_column_size("searchAll") + pg_column_size(v) <= 900000;
    RETURN NULL;
  END IF;
  -- Entries are append-only; should one ever change or go, rebuild the tickets it touched.
  UPDATE "Ticket" t
     SET ("searchAll", "searchPublic") =
         (SELECT s.all_terms, s.public_terms FROM "ticket_search_terms"(t."id", t."title", t."businessId", t."businessIp") s)
   WHERE t."id" IN (OLD."ticketId", CASE WHEN TG_OP = 'UPDATE' THEN NEW."ticketId" END);
  RETURN NULL;
END
$fn$;

CREATE TRIGGER "ticket_search_message_added"
  AFTER INSERT ON "TicketMessage"
  FOR EACH ROW WHEN (NEW."authorKind" <> 'SYSTEM') EXECUTE FUNCTION "ticket_search_on_message"();

CREATE TRIGGER "ticket_search_message_changed"
  AFTER UPDATE OF "body", "visibility", "authorKind", "ticketId" OR DELETE ON "TicketMessage"
  FOR EACH ROW EXECUTE FUNCTION "ticket_search_on_message"();

CREATE INDEX "Ticket_searchHead_idx" ON "Ticket" USING gin ("searchHead");
CREATE INDEX "Ticket_searchAll_idx" ON "Ticket" USING gin ("searchAll");
