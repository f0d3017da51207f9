-- Tell every server instance which district's tables changed, once per statement, so the
-- sync stream can ask the district's devices to pull. Payload: '<district_id>:<table>'.
-- NOTIFY is delivered at commit, and identical payloads in one transaction fold into one.
CREATE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE district uuid;
BEGIN
  FOR district IN SELECT DISTINCT district_id FROM changed_rows LOOP
    PERFORM pg_notify('homeroom_changes', district::text || ':' || TG_TABLE_NAME);
  END LOOP;
  RETURN NULL;
END
$$;

DO $$
DECLARE t text;
BEGIN
  FOR t IN
    SELECT c.table_name FROM information_schema.columns c
    JOIN information_schema.tables tb ON tb.table_name = c.table_name AND tb.table_schema = c.table_schema
    WHERE c.table_schema = current_schema() AND c.column_name = 'seq' AND tb.table_type = 'BASE TABLE' AND c.table_name <> 'districts'
  LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_change()', t || '_notify_insert', t);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_change()', t || '_notify_update', t);
  END LOOP;
END
$$;
