-- The instructional days of each school's calendar (no weekends, holidays or breaks). Not synced:
-- the server reads them to work out "the last 30 school days" that staff devices hold
-- (server/access/sync-windows.ts), and the daily job moves that window.
CREATE TABLE school_days (
  district_id uuid NOT NULL,
  school_id uuid NOT NULL,
  date date NOT NULL,
  PRIMARY KEY (district_id, school_id, date),
  FOREIGN KEY (district_id, school_id) REFERENCES schools (district_id, id)
);

-- The first day of a school's last `days` school days up to `today` (all of them when the calendar
-- holds fewer). A school without a calendar counts five school days a week.
CREATE FUNCTION recent_school_days_start(p_district uuid, p_school uuid, p_today date, p_days integer) RETURNS date
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN count(*) = 0 THEN p_today - (p_days * 7 / 5) ELSE min(d.date) END
    FROM (SELECT date FROM school_days WHERE district_id = p_district AND school_id = p_school AND date <= p_today
           ORDER BY date DESC LIMIT p_days) d
$$;

-- The last seq every change of the district up to now was committed with: it waits for the
-- district's writers (they hold its seq lock until they commit) and reads the sequence while
-- holding the lock. A device's first pull takes it as its base: what was hidden from the user
-- at or before it, the device never held, so pulls need not send its tombstones.
CREATE FUNCTION committed_seq(p_district uuid) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
  PERFORM lock_district_seq(p_district);
  RETURN (SELECT last_value FROM sync_seq);
END
$$;

-- A fee's payments (its balance and its order key in every fees pull) are found by the fee.
CREATE INDEX payments_by_fee ON payments (district_id, fee_id);
