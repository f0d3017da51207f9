-- Whether a school holds class on a date. Within the school's calendar (table school_days, from
-- its first to its last day) the calendar decides: weekends, holidays and breaks are not school
-- days. Before or after it, and for a school without a calendar, Monday to Friday are. New
-- attendance marks and absence notes need a school day (server/sync/attendance.ts, requests.ts).
CREATE FUNCTION is_school_day(p_district uuid, p_school uuid, p_date date) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN p_date BETWEEN c.first_day AND c.last_day
      THEN EXISTS (SELECT 1 FROM school_days d WHERE d.district_id = p_district AND d.school_id = p_school AND d.date = p_date)
    ELSE extract(isodow FROM p_date) < 6
  END
    FROM (SELECT min(date) AS first_day, max(date) AS last_day FROM school_days
           WHERE district_id = p_district AND school_id = p_school) c
$$;
