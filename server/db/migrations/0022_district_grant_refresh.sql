-- A whole district's grants in one set-based statement (the first start's demo seed, an import).
-- refresh_access_grants(d, NULL, NULL) ran under the generic plan its per-key refreshes need, and
-- on a district with no grants yet the planner took the table for empty: each new chain's
-- NOT EXISTS scanned the heap its own statement was filling (37,801 rescans, about 30 s of CPU
-- for the 1,200-student demo on PGlite, against about 1 s for the chains). This path is planned
-- for the call and looks for new chains among the stored keys as they were when it began. The
-- rules stay: new chains are inserted, changed ones updated, lost ones made inactive, and a row
-- that stays as it was keeps its seq.
CREATE FUNCTION refresh_district_access_grants(p_district uuid) RETURNS bigint LANGUAGE plpgsql
SET plan_cache_mode = force_custom_plan AS $$
DECLARE changed bigint;
BEGIN
  -- What bump_seq would take for each new row, once: the new rows bring their seq.
  PERFORM lock_district_seq(p_district);
  WITH desired AS MATERIALIZED (
    SELECT * FROM access_grant_chains(p_district)
  ),
  stored AS MATERIALIZED (
    SELECT g.person_id, g.student_id, g.via, g.source FROM access_grants g WHERE g.district_id = p_district
  ),
  updated AS (
    UPDATE access_grants g
       SET school_id = d.school_id, section_id = d.section_id, tool = d.tool, reads = d.reads, writes = d.writes,
           start_date = d.start_date, end_date = d.end_date, active = true
      FROM desired d
     WHERE g.district_id = p_district
       AND g.person_id = d.person_id AND g.student_id = d.student_id AND g.via = d.via AND g.source = d.source
       AND (g.school_id, g.section_id, g.tool, g.reads, g.writes, g.start_date, g.end_date, g.active)
           IS DISTINCT FROM (d.school_id, d.section_id, d.tool, d.reads, d.writes, d.start_date, d.end_date, true)
    RETURNING 1
  ),
  added AS (
    INSERT INTO access_grants (district_id, person_id, student_id, via, source, school_id, section_id, tool, reads, writes, start_date, end_date, seq)
    SELECT d.*, nextval('sync_seq') FROM desired d
     WHERE NOT EXISTS (SELECT 1 FROM stored g WHERE g.person_id = d.person_id AND g.student_id = d.student_id AND g.via = d.via AND g.source = d.source)
    RETURNING 1
  ),
  revoked AS (
    UPDATE access_grants g SET active = false
     WHERE g.district_id = p_district AND g.active
       AND NOT EXISTS (SELECT 1 FROM desired d WHERE d.person_id = g.person_id AND d.student_id = g.student_id AND d.via = g.via AND d.source = g.source)
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM updated) + (SELECT count(*) FROM added) + (SELECT count(*) FROM revoked) INTO changed;
  RETURN changed;
END
$$;

-- Migration 0019's function, with both lists null (the whole district) handed to the function above.
CREATE OR REPLACE FUNCTION refresh_access_grants(p_district uuid, p_persons uuid[], p_students uuid[]) RETURNS bigint LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  persons uuid[] := coalesce(p_persons, '{}');
  students uuid[] := coalesce(p_students, '{}');
  changed bigint;
BEGIN
  IF p_persons IS NULL AND p_students IS NULL THEN
    RETURN refresh_district_access_grants(p_district);
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
