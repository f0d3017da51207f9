-- Grants in one place (issue 12): who may see which student, for which record kinds, through
-- what, with the dates between which it holds and a seq. One row per chain of source rows
-- (a guardianship; a staff location and an enrollment at its school; a teacher's section and a
-- roster entry; a caseload entry and a counselor location; each of these with a tool right and its
-- training for the kinds that need one). Kept in the transaction of every change to a source
-- (the statement triggers below) and by the daily date-window job, which bumps the seq of rows
-- whose window opened or closed (server/sync/date-windows.ts). A row's seq changes only when the
-- row does: its kinds, dates, school or section, or `active` (false once its chain is gone).
-- In force on day d: active AND (start_date IS NULL OR start_date <= d) AND (end_date IS NULL OR d <= end_date).

-- What each relation gives, and the tool right a kind needs on top of it (server/access/policy.ts):
-- adding a role or a record kind is a row here. `via` is a family relation (guardian, self), a
-- teacher's section, a counselor's caseload, or a staff role over its school (district_admin: the district).
CREATE FUNCTION access_rules() RETURNS TABLE (via text, kind text, action text, tool text) LANGUAGE sql IMMUTABLE AS $$
  VALUES
    ('guardian', 'profile', 'read', NULL), ('guardian', 'schedule', 'read', NULL), ('guardian', 'grades', 'read', NULL),
    ('guardian', 'attendance', 'read', NULL), ('guardian', 'health', 'read', NULL), ('guardian', 'fees', 'read', NULL),
    ('guardian', 'household', 'read', NULL), ('guardian', 'requests', 'read', NULL), ('guardian', 'requests', 'write', NULL),
    ('self', 'profile', 'read', NULL), ('self', 'schedule', 'read', NULL), ('self', 'grades', 'read', NULL),
    ('self', 'attendance', 'read', NULL), ('self', 'health', 'read', NULL), ('self', 'fees', 'read', NULL),
    ('section', 'profile', 'read', NULL), ('section', 'schedule', 'read', NULL), ('section', 'grades', 'read', NULL),
    ('section', 'grades', 'write', NULL), ('section', 'attendance', 'read', NULL), ('section', 'attendance', 'write', NULL),
    ('caseload', 'profile', 'read', NULL), ('caseload', 'schedule', 'read', NULL), ('caseload', 'grades', 'read', NULL),
    ('caseload', 'attendance', 'read', NULL), ('caseload', 'health', 'read', 'health'),
    ('counselor', 'profile', 'read', NULL), ('counselor', 'schedule', 'read', NULL), ('counselor', 'grades', 'read', NULL),
    ('counselor', 'attendance', 'read', NULL),
    ('nurse', 'profile', 'read', NULL), ('nurse', 'health', 'read', 'health'), ('nurse', 'health', 'write', 'health'),
    ('office', 'profile', 'read', NULL), ('office', 'profile', 'write', NULL), ('office', 'schedule', 'read', NULL),
    ('office', 'grades', 'read', NULL), ('office', 'attendance', 'read', NULL), ('office', 'attendance', 'write', 'attendance_admin'),
    ('office', 'fees', 'read', 'fees'), ('office', 'fees', 'write', 'fees'), ('office', 'household', 'read', NULL),
    ('office', 'household', 'write', NULL), ('office', 'requests', 'read', NULL), ('office', 'requests', 'write', NULL),
    ('office', 'account', 'read', 'accounts'), ('office', 'account', 'write', 'accounts'), ('office', 'health', 'read', 'health'),
    ('office', 'access_log', 'read', 'access_log'),
    ('principal', 'profile', 'read', NULL), ('principal', 'schedule', 'read', NULL), ('principal', 'grades', 'read', NULL),
    ('principal', 'grades', 'write', 'grades_admin'), ('principal', 'attendance', 'read', NULL), ('principal', 'fees', 'read', 'fees'),
    ('principal', 'household', 'read', NULL), ('principal', 'requests', 'read', NULL), ('principal', 'account', 'read', 'accounts'),
    ('principal', 'account', 'write', 'accounts'), ('principal', 'health', 'read', 'health'), ('principal', 'access_log', 'read', 'access_log'),
    ('district_admin', 'profile', 'read', NULL), ('district_admin', 'profile', 'write', NULL), ('district_admin', 'schedule', 'read', NULL),
    ('district_admin', 'grades', 'read', NULL), ('district_admin', 'attendance', 'read', NULL), ('district_admin', 'fees', 'read', 'fees'),
    ('district_admin', 'household', 'read', NULL), ('district_admin', 'requests', 'read', NULL), ('district_admin', 'account', 'read', 'accounts'),
    ('district_admin', 'account', 'write', 'accounts'), ('district_admin', 'health', 'read', 'health'), ('district_admin', 'access_log', 'read', 'access_log')
$$;

CREATE TABLE access_grants (
  district_id uuid NOT NULL REFERENCES districts (id),
  person_id uuid NOT NULL,
  student_id uuid NOT NULL,
  via text NOT NULL,
  -- The ids of the chain's rows, joined by ':' (location:enrollment[:right:training]…).
  source text NOT NULL,
  school_id uuid,
  section_id uuid,
  tool text,
  reads text[] NOT NULL,
  writes text[] NOT NULL,
  start_date date,
  end_date date,
  active boolean NOT NULL DEFAULT true,
  -- The synced tables' flag (the date job and pulls read it): a grant whose chain is gone.
  deleted boolean GENERATED ALWAYS AS (NOT active) STORED,
  seq bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, person_id, student_id, via, source)
);
CREATE INDEX access_grants_by_student ON access_grants (district_id, student_id);
CREATE INDEX access_grants_by_seq ON access_grants (district_id, seq);
CREATE TRIGGER access_grants_seq_insert BEFORE INSERT ON access_grants FOR EACH ROW WHEN (NEW.seq = 0) EXECUTE FUNCTION bump_seq();
CREATE TRIGGER access_grants_seq_update BEFORE UPDATE ON access_grants FOR EACH ROW EXECUTE FUNCTION bump_seq();
CREATE TRIGGER access_grants_notify_insert AFTER INSERT ON access_grants REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_change();
CREATE TRIGGER access_grants_notify_update AFTER UPDATE ON access_grants REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_change();

-- Every grant chain of a district as its sources stand (dates apart). Inlined by the planner, so
-- a filter on person_id or student_id reaches each branch's indexes. A staff member's options are
-- "no tool" plus each tool right with its training (one chain per training record); a right
-- counts only where the person also holds a role (principal.ts): its school's location, a
-- district-wide location, or no school at all.
CREATE FUNCTION access_grant_chains(p_district uuid)
RETURNS TABLE (district_id uuid, person_id uuid, student_id uuid, via text, source text, school_id uuid, section_id uuid, tool text,
               reads text[], writes text[], start_date date, end_date date)
LANGUAGE sql STABLE AS $$
  WITH kinds AS (
    SELECT r.via, r.tool, coalesce(array_agg(r.kind ORDER BY r.kind) FILTER (WHERE r.action = 'read'), '{}') AS reads,
           coalesce(array_agg(r.kind ORDER BY r.kind) FILTER (WHERE r.action = 'write'), '{}') AS writes
      FROM access_rules() r GROUP BY r.via, r.tool
  ),
  options AS (
    SELECT t.id AS staff_id, t.person_id, NULL::text AS tool, NULL::uuid AS school_id, NULL::text AS source, NULL::date AS start_date, NULL::date AS end_date
      FROM staff t WHERE t.district_id = p_district AND t.active AND NOT t.deleted
    UNION ALL
    SELECT t.id, t.person_id, r.tool, r.school_id, concat_ws(':', r.id, st.id),
           greatest(r.approved_on, st.completed_on), least(r.expires_on, st.expires_on)
      FROM staff t
      JOIN tool_rights r ON r.district_id = t.district_id AND r.staff_id = t.id AND NOT r.deleted
      LEFT JOIN staff_trainings st ON st.district_id = r.district_id AND st.staff_id = r.staff_id AND st.training_id = r.required_training_id AND NOT st.deleted
     WHERE t.district_id = p_district AND t.active AND NOT t.deleted AND (r.required_training_id IS NULL OR st.id IS NOT NULL)
  )
  SELECT g.district_id, g.guardian_person_id, g.student_id, 'guardian', g.id::text, NULL::uuid, NULL::uuid, NULL::text, k.reads, k.writes, NULL::date, NULL::date
    FROM guardianships g
    JOIN students s ON s.district_id = g.district_id AND s.id = g.student_id AND NOT s.deleted
    JOIN kinds k ON k.via = 'guardian' AND k.tool IS NULL
   WHERE g.district_id = p_district AND g.portal_access AND NOT g.deleted
  UNION ALL
  SELECT s.district_id, s.person_id, s.id, 'self', s.id::text, NULL, NULL, NULL, k.reads, k.writes, NULL, NULL
    FROM students s JOIN kinds k ON k.via = 'self' AND k.tool IS NULL
   WHERE s.district_id = p_district AND NOT s.deleted
  UNION ALL
  -- A staff role over a school: the students enrolled there.
  SELECT l.district_id, o.person_id, e.student_id, l.role, concat_ws(':', l.id, e.id, o.source), l.school_id, NULL, o.tool, k.reads, k.writes,
         greatest(l.start_date, o.start_date), least(l.end_date, o.end_date)
    FROM staff_locations l
    JOIN options o ON o.staff_id = l.staff_id AND (o.school_id IS NULL OR o.school_id = l.school_id)
    JOIN kinds k ON k.via = l.role AND k.tool IS NOT DISTINCT FROM o.tool
    JOIN enrollments e ON e.district_id = l.district_id AND e.school_id = l.school_id AND NOT e.deleted AND e.end_date IS NULL
    JOIN students s ON s.district_id = e.district_id AND s.id = e.student_id AND NOT s.deleted
   WHERE l.district_id = p_district AND NOT l.deleted AND l.school_id IS NOT NULL
  UNION ALL
  -- A district administrator: every student, or with a school's right the students enrolled there.
  SELECT l.district_id, o.person_id, s.id, l.role, concat_ws(':', l.id, o.source, e.id), NULL, NULL, o.tool, k.reads, k.writes,
         greatest(l.start_date, o.start_date), least(l.end_date, o.end_date)
    FROM staff_locations l
    JOIN options o ON o.staff_id = l.staff_id
    JOIN kinds k ON k.via = l.role AND k.tool IS NOT DISTINCT FROM o.tool
    JOIN students s ON s.district_id = l.district_id AND NOT s.deleted
    LEFT JOIN enrollments e ON o.school_id IS NOT NULL AND e.district_id = s.district_id AND e.student_id = s.id AND e.school_id = o.school_id
         AND NOT e.deleted AND e.end_date IS NULL
   WHERE l.district_id = p_district AND NOT l.deleted AND l.school_id IS NULL AND (o.school_id IS NULL OR e.id IS NOT NULL)
  UNION ALL
  -- A teacher: the roster of a section she teaches (both with their dates).
  SELECT ss.district_id, o.person_id, r.student_id, 'section', concat_ws(':', ss.id, r.id, o.source, e.id, h.id), x.school_id, ss.section_id, o.tool,
         k.reads, k.writes, greatest(ss.start_date, r.start_date, o.start_date, h.start_date), least(ss.end_date, r.end_date, o.end_date, h.end_date)
    FROM section_staff ss
    JOIN sections x ON x.district_id = ss.district_id AND x.id = ss.section_id AND NOT x.deleted
    JOIN section_enrollments r ON r.district_id = ss.district_id AND r.section_id = ss.section_id AND NOT r.deleted
    JOIN students s ON s.district_id = r.district_id AND s.id = r.student_id AND NOT s.deleted
    JOIN options o ON o.staff_id = ss.staff_id
    JOIN kinds k ON k.via = 'section' AND k.tool IS NOT DISTINCT FROM o.tool
    LEFT JOIN enrollments e ON o.school_id IS NOT NULL AND e.district_id = r.district_id AND e.student_id = r.student_id AND e.school_id = o.school_id
         AND NOT e.deleted AND e.end_date IS NULL
    LEFT JOIN staff_locations h ON o.school_id IS NOT NULL AND h.district_id = ss.district_id AND h.staff_id = ss.staff_id AND NOT h.deleted
         AND (h.role = 'district_admin' OR h.school_id = o.school_id)
   WHERE ss.district_id = p_district AND NOT ss.deleted AND (o.school_id IS NULL OR (e.id IS NOT NULL AND h.id IS NOT NULL))
  UNION ALL
  -- A counselor: her caseload, while she works as a counselor somewhere.
  SELECT c.district_id, o.person_id, c.student_id, 'caseload', concat_ws(':', c.id, cl.id, o.source, e.id, h.id), NULL, NULL, o.tool,
         k.reads, k.writes, greatest(cl.start_date, o.start_date, h.start_date), least(cl.end_date, o.end_date, h.end_date)
    FROM counselor_caseloads c
    JOIN students s ON s.district_id = c.district_id AND s.id = c.student_id AND NOT s.deleted
    JOIN staff_locations cl ON cl.district_id = c.district_id AND cl.staff_id = c.staff_id AND cl.role = 'counselor' AND NOT cl.deleted
    JOIN options o ON o.staff_id = c.staff_id
    JOIN kinds k ON k.via = 'caseload' AND k.tool IS NOT DISTINCT FROM o.tool
    LEFT JOIN enrollments e ON o.school_id IS NOT NULL AND e.district_id = c.district_id AND e.student_id = c.student_id AND e.school_id = o.school_id
         AND NOT e.deleted AND e.end_date IS NULL
    LEFT JOIN staff_locations h ON o.school_id IS NOT NULL AND h.district_id = c.district_id AND h.staff_id = c.staff_id AND NOT h.deleted
         AND (h.role = 'district_admin' OR h.school_id = o.school_id)
   WHERE c.district_id = p_district AND NOT c.deleted AND (o.school_id IS NULL OR (e.id IS NOT NULL AND h.id IS NOT NULL))
$$;

-- Brings the stored grants of some people and students (both null: the whole district) to their
-- sources: new chains are inserted, changed ones updated, lost ones made inactive; a row that
-- stays as it was keeps its seq (and takes none: no insert is tried for it). Returns how many
-- rows changed. One static statement with a generic plan, so each session plans it once (the
-- chains are many joins: planning them costs more than running them for a few people).
CREATE FUNCTION refresh_access_grants(p_district uuid, p_persons uuid[], p_students uuid[]) RETURNS bigint LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  persons uuid[] := coalesce(p_persons, '{}');
  students uuid[] := coalesce(p_students, '{}');
  changed bigint;
BEGIN
  IF p_persons IS NULL AND p_students IS NULL THEN
    students := ARRAY(SELECT id FROM students WHERE district_id = p_district);
  END IF;
  WITH desired AS MATERIALIZED (
    SELECT * FROM access_grant_chains(p_district) c WHERE c.person_id = ANY(persons)
    UNION ALL
    SELECT * FROM access_grant_chains(p_district) c WHERE c.student_id = ANY(students) AND NOT c.person_id = ANY(persons)
  ),
  updated AS (
    UPDATE access_grants g
       SET school_id = d.school_id, section_id = d.section_id, tool = d.tool, reads = d.reads, writes = d.writes,
           start_date = d.start_date, end_date = d.end_date, active = true
      FROM desired d
     WHERE g.district_id = p_district AND g.person_id = d.person_id AND g.student_id = d.student_id AND g.via = d.via AND g.source = d.source
       AND (g.school_id, g.section_id, g.tool, g.reads, g.writes, g.start_date, g.end_date, g.active)
           IS DISTINCT FROM (d.school_id, d.section_id, d.tool, d.reads, d.writes, d.start_date, d.end_date, true)
    RETURNING 1
  ),
  added AS (
    INSERT INTO access_grants (district_id, person_id, student_id, via, source, school_id, section_id, tool, reads, writes, start_date, end_date)
    SELECT * FROM desired d
     WHERE NOT EXISTS (SELECT 1 FROM access_grants g WHERE g.district_id = p_district AND g.person_id = d.person_id AND g.student_id = d.student_id
                                                     AND g.via = d.via AND g.source = d.source)
    RETURNING 1
  ),
  revoked AS (
    UPDATE access_grants g SET active = false
     WHERE g.district_id = p_district AND g.active AND (g.person_id = ANY(persons) OR g.student_id = ANY(students))
       AND NOT EXISTS (SELECT 1 FROM desired d WHERE d.person_id = g.person_id AND d.student_id = g.student_id AND d.via = g.via AND d.source = g.source)
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM updated) + (SELECT count(*) FROM added) + (SELECT count(*) FROM revoked) INTO changed;
  RETURN changed;
END
$$;

-- A statement on a source table refreshes the grants of the people or students its rows name,
-- before and after (TG_ARGV: 'person', 'student', 'staff' or 'section', and the column). The bulk
-- loader (the seed) says homeroom.bulk_load = on and refreshes the whole district at the end.
CREATE FUNCTION access_grants_follow_keys(p_kind text, p_district uuid, p_keys uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF p_kind = 'person' THEN
    PERFORM refresh_access_grants(p_district, p_keys, '{}');
  ELSIF p_kind = 'student' THEN
    PERFORM refresh_access_grants(p_district, '{}', p_keys);
  ELSIF p_kind = 'staff' THEN
    PERFORM refresh_access_grants(p_district, ARRAY(SELECT person_id FROM staff WHERE district_id = p_district AND id = ANY(p_keys)), '{}');
  ELSE
    PERFORM refresh_access_grants(p_district, '{}',
      ARRAY(SELECT DISTINCT student_id FROM section_enrollments WHERE district_id = p_district AND section_id = ANY(p_keys)));
  END IF;
END
$$;

CREATE FUNCTION access_grants_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE d record;
BEGIN
  IF current_setting('homeroom.bulk_load', true) = 'on' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    FOR d IN SELECT x.district_id, array_agg(DISTINCT x.key) AS keys
               FROM (SELECT r.district_id, (to_jsonb(r) ->> TG_ARGV[1])::uuid AS key FROM new_rows r
                     UNION ALL
                     SELECT r.district_id, (to_jsonb(r) ->> TG_ARGV[1])::uuid FROM old_rows r) x
              WHERE x.key IS NOT NULL GROUP BY x.district_id
    LOOP
      PERFORM access_grants_follow_keys(TG_ARGV[0], d.district_id, d.keys);
    END LOOP;
  ELSE
    FOR d IN SELECT r.district_id, array_agg(DISTINCT (to_jsonb(r) ->> TG_ARGV[1])::uuid) AS keys FROM new_rows r GROUP BY r.district_id
    LOOP
      PERFORM access_grants_follow_keys(TG_ARGV[0], d.district_id, d.keys);
    END LOOP;
  END IF;
  RETURN NULL;
END
$$;

DO $$
DECLARE source record;
BEGIN
  FOR source IN SELECT * FROM (VALUES
      ('guardianships', 'person', 'guardian_person_id'),
      ('students', 'student', 'id'),
      ('staff', 'staff', 'id'),
      ('staff_locations', 'staff', 'staff_id'),
      ('section_staff', 'staff', 'staff_id'),
      ('counselor_caseloads', 'staff', 'staff_id'),
      ('tool_rights', 'staff', 'staff_id'),
      ('staff_trainings', 'staff', 'staff_id'),
      ('section_enrollments', 'student', 'student_id'),
      ('enrollments', 'student', 'student_id'),
      ('sections', 'section', 'id')) AS v (tbl, kind, col)
  LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION access_grants_follow(%L, %L)',
                   source.tbl || '_grants_insert', source.tbl, source.kind, source.col);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION access_grants_follow(%L, %L)',
                   source.tbl || '_grants_update', source.tbl, source.kind, source.col);
  END LOOP;
END
$$;

-- Districts that exist already.
SELECT refresh_access_grants(id, NULL, NULL) FROM districts;
