-- Grant refreshes cost what their keys do (issue 12, step 2). A trigger refreshes either some
-- people or some students, the other list empty; the generic plan of refresh_access_grants still
-- ran every branch of the empty side (a guardianship's change walked every teacher's rosters:
-- about 40 ms on the 1,000-student district). An empty list now stops its half before it runs
-- (a one-time filter in the generic plan), and the stored rows compared with the chains are
-- only those of the keys (their indexes), not the district's every grant (a hash of all of
-- them, another 30 ms): a single-row change costs a few milliseconds.
CREATE OR REPLACE FUNCTION refresh_access_grants(p_district uuid, p_persons uuid[], p_students uuid[]) RETURNS bigint LANGUAGE plpgsql
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
    SELECT * FROM access_grant_chains(p_district) c WHERE cardinality(persons) > 0 AND c.person_id = ANY(persons)
    UNION ALL
    SELECT * FROM access_grant_chains(p_district) c WHERE cardinality(students) > 0 AND c.student_id = ANY(students) AND NOT c.person_id = ANY(persons)
  ),
  updated AS (
    UPDATE access_grants g
       SET school_id = d.school_id, section_id = d.section_id, tool = d.tool, reads = d.reads, writes = d.writes,
           start_date = d.start_date, end_date = d.end_date, active = true
      FROM desired d
     WHERE g.district_id = p_district AND (g.person_id = ANY(persons) OR g.student_id = ANY(students))
       AND g.person_id = d.person_id AND g.student_id = d.student_id AND g.via = d.via AND g.source = d.source
       AND (g.school_id, g.section_id, g.tool, g.reads, g.writes, g.start_date, g.end_date, g.active)
           IS DISTINCT FROM (d.school_id, d.section_id, d.tool, d.reads, d.writes, d.start_date, d.end_date, true)
    RETURNING 1
  ),
  added AS (
    INSERT INTO access_grants (district_id, person_id, student_id, via, source, school_id, section_id, tool, reads, writes, start_date, end_date)
    SELECT * FROM desired d
     WHERE NOT EXISTS (SELECT 1 FROM access_grants g WHERE g.district_id = p_district AND (g.person_id = ANY(persons) OR g.student_id = ANY(students))
                                                     AND g.person_id = d.person_id AND g.student_id = d.student_id AND g.via = d.via AND g.source = d.source)
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
