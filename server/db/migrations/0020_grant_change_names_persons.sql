-- A change of access_grants names the people whose grants changed, so only their devices read
-- their scope again and pull (server/sync/routes.ts); before, it named no one and woke every
-- device of the district. Payload: '<district_id>:access_grants:<person_id>,<person_id>…', at most
-- 180 ids a notification (36 + 15 + 180 × 37 = 6,711 bytes, under pg_notify's 8,000); beyond 1,000
-- people in one statement (a district's refresh) one notification names no one: every device.
CREATE FUNCTION notify_grant_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d record;
  chunk integer := 180;
BEGIN
  FOR d IN SELECT r.district_id, array_agg(DISTINCT r.person_id::text) AS persons FROM changed_rows r GROUP BY r.district_id LOOP
    IF cardinality(d.persons) > 1000 THEN
      PERFORM pg_notify('homeroom_changes', d.district_id::text || ':access_grants');
    ELSE
      FOR i IN 0 .. (cardinality(d.persons) - 1) / chunk LOOP
        PERFORM pg_notify('homeroom_changes', d.district_id::text || ':access_grants:' || array_to_string(d.persons[i * chunk + 1 : (i + 1) * chunk], ','));
      END LOOP;
    END IF;
  END LOOP;
  RETURN NULL;
END
$$;

DROP TRIGGER access_grants_notify_insert ON access_grants;
DROP TRIGGER access_grants_notify_update ON access_grants;
CREATE TRIGGER access_grants_notify_insert AFTER INSERT ON access_grants REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_grant_change();
CREATE TRIGGER access_grants_notify_update AFTER UPDATE ON access_grants REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_grant_change();

-- A guardianship names its student (migration 0010's notify_change), so only the devices that
-- reach the student hear of it; whoever gains or loses the student hears it through the grants above.
DROP TRIGGER guardianships_notify_insert ON guardianships;
DROP TRIGGER guardianships_notify_update ON guardianships;
CREATE TRIGGER guardianships_notify_insert AFTER INSERT ON guardianships REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_change('student_id');
CREATE TRIGGER guardianships_notify_update AFTER UPDATE ON guardianships REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_change('student_id');
