-- A device's change stream lives only as long as its session. Every server instance hears, at
-- commit, when a session ends (sign-out, sign-out everywhere, a password reset, an idle kiosk
-- session refreshed away) or when an account stops being active, and closes those streams.
-- Payloads on 'homeroom_sessions': '<district_id>:session:<session_id>' or '<district_id>:account:<account_id>'.
CREATE FUNCTION notify_session_end() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
  FOR r IN SELECT n.district_id, n.id FROM ended_new n JOIN ended_old o ON o.district_id = n.district_id AND o.id = n.id
            WHERE n.revoked_at IS NOT NULL AND o.revoked_at IS NULL
  LOOP
    PERFORM pg_notify('homeroom_sessions', r.district_id::text || ':session:' || r.id::text);
  END LOOP;
  RETURN NULL;
END
$$;
CREATE TRIGGER sessions_notify_end AFTER UPDATE ON sessions
  REFERENCING OLD TABLE AS ended_old NEW TABLE AS ended_new FOR EACH STATEMENT EXECUTE FUNCTION notify_session_end();

CREATE FUNCTION notify_account_stop() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
  FOR r IN SELECT n.district_id, n.id FROM stopped_new n JOIN stopped_old o ON o.district_id = n.district_id AND o.id = n.id
            WHERE n.status <> 'active' AND o.status = 'active'
  LOOP
    PERFORM pg_notify('homeroom_sessions', r.district_id::text || ':account:' || r.id::text);
  END LOOP;
  RETURN NULL;
END
$$;
CREATE TRIGGER accounts_notify_stop AFTER UPDATE ON accounts
  REFERENCING OLD TABLE AS stopped_old NEW TABLE AS stopped_new FOR EACH STATEMENT EXECUTE FUNCTION notify_account_stop();

-- A device hears only of changes in its own scope: a statement that changed the records of a
-- few students (a class's marks, one child's fee) names them, '<district_id>:<table>:<id>,<id>…',
-- and each stream passes on only what concerns students it may see (server/sync/routes.ts).
-- Statements touching many students, or rows without a student, name only the table.
CREATE OR REPLACE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE d record;
BEGIN
  IF TG_NARGS = 0 THEN
    FOR d IN SELECT DISTINCT district_id FROM changed_rows LOOP
      PERFORM pg_notify('homeroom_changes', d.district_id::text || ':' || TG_TABLE_NAME);
    END LOOP;
  ELSE
    FOR d IN SELECT x.district_id, count(DISTINCT x.student) AS n, bool_or(x.student IS NULL) AS unnamed, string_agg(DISTINCT x.student, ',') AS ids
               FROM (SELECT r.district_id, to_jsonb(r) ->> TG_ARGV[0] AS student FROM changed_rows r) x
              GROUP BY x.district_id
    LOOP
      IF d.n BETWEEN 1 AND 40 AND NOT d.unnamed THEN
        PERFORM pg_notify('homeroom_changes', d.district_id::text || ':' || TG_TABLE_NAME || ':' || d.ids);
      ELSE
        PERFORM pg_notify('homeroom_changes', d.district_id::text || ':' || TG_TABLE_NAME);
      END IF;
    END LOOP;
  END IF;
  RETURN NULL;
END
$$;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['attendance', 'fees', 'immunizations', 'requests', 'scores', 'standard_marks', 'term_grades'] LOOP
    EXECUTE format('DROP TRIGGER %I ON %I', t || '_notify_insert', t);
    EXECUTE format('DROP TRIGGER %I ON %I', t || '_notify_update', t);
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_change(%L)', t || '_notify_insert', t, 'student_id');
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_change(%L)', t || '_notify_update', t, 'student_id');
  END LOOP;
END
$$;
