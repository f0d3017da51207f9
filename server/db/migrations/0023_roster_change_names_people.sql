-- A change to who belongs where names whom it is about (issue 12: a device is told only about
-- changes in its own scope), as record tables do since migration 0010: enrollments, section
-- rosters and caseloads name their students, and a staff location names its staff member's person
-- (it reaches her own devices only: her announcements' audience, server/sync/messages.ts). Whoever
-- gains or loses students by such a change hears it through access_grants (migration 0020), whose
-- notification the source table's grant trigger sends first. Before, these named no one and woke
-- every device of the district whose collections read them.
--
-- notify_change(column) names the values of the changed rows' column; notify_change(column, 'staff')
-- reads the column as staff ids and names their persons. As before, 1 to 40 named in a statement
-- (at most 40 × 37 bytes of ids) or no one: a statement touching more (the date-windows job, an
-- import) or a row naming no one wakes every device of the district.
CREATE OR REPLACE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE d record;
BEGIN
  IF TG_NARGS = 0 THEN
    FOR d IN SELECT DISTINCT district_id FROM changed_rows LOOP
      PERFORM pg_notify('homeroom_changes', d.district_id::text || ':' || TG_TABLE_NAME);
    END LOOP;
    RETURN NULL;
  END IF;
  FOR d IN SELECT x.district_id, count(DISTINCT x.named) AS n, bool_or(x.named IS NULL) AS unnamed, string_agg(DISTINCT x.named, ',') AS ids
             FROM (SELECT r.district_id,
                          CASE WHEN TG_NARGS > 1 AND TG_ARGV[1] = 'staff'
                               THEN (SELECT t.person_id::text FROM staff t WHERE t.district_id = r.district_id AND t.id = (to_jsonb(r) ->> TG_ARGV[0])::uuid)
                               ELSE to_jsonb(r) ->> TG_ARGV[0] END AS named
                     FROM changed_rows r) x
            GROUP BY x.district_id
  LOOP
    IF d.n BETWEEN 1 AND 40 AND NOT d.unnamed THEN
      PERFORM pg_notify('homeroom_changes', d.district_id::text || ':' || TG_TABLE_NAME || ':' || d.ids);
    ELSE
      PERFORM pg_notify('homeroom_changes', d.district_id::text || ':' || TG_TABLE_NAME);
    END IF;
  END LOOP;
  RETURN NULL;
END
$$;

DO $$
DECLARE source record;
BEGIN
  FOR source IN SELECT * FROM (VALUES
      ('enrollments', 'student_id', NULL),
      ('section_enrollments', 'student_id', NULL),
      ('counselor_caseloads', 'student_id', NULL),
      ('staff_locations', 'staff_id', 'staff')) AS v (tbl, col, kind)
  LOOP
    EXECUTE format('DROP TRIGGER %I ON %I', source.tbl || '_notify_insert', source.tbl);
    EXECUTE format('DROP TRIGGER %I ON %I', source.tbl || '_notify_update', source.tbl);
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_change(%s)',
                   source.tbl || '_notify_insert', source.tbl, concat_ws(', ', quote_literal(source.col), quote_literal(source.kind)));
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_change(%s)',
                   source.tbl || '_notify_update', source.tbl, concat_ws(', ', quote_literal(source.col), quote_literal(source.kind)));
  END LOOP;
END
$$;
