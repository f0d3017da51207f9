-- A child's grade has one source: her open primary enrollment (not deleted, no end date; the
-- latest started if a district ever holds two). students.grade_level is that grade, kept here in
-- the same transaction as every change to the enrollment, so the students document a device
-- pulls (Today matches announcements' grades against it) and the announcements pull (which
-- matches the enrollment's grade) never disagree. Closing an enrollment keeps the last grade.
-- Updating the student bumps its seq (bump_seq), so devices receive the new grade.
CREATE FUNCTION follow_enrollment_grade() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE students s SET grade_level = e.grade_level
    FROM (SELECT grade_level FROM enrollments
           WHERE district_id = NEW.district_id AND student_id = NEW.student_id
             AND kind = 'primary' AND NOT deleted AND end_date IS NULL
           ORDER BY start_date DESC, id DESC LIMIT 1) e
   WHERE s.district_id = NEW.district_id AND s.id = NEW.student_id
     AND s.grade_level IS DISTINCT FROM e.grade_level;
  RETURN NULL;
END
$$;

CREATE TRIGGER enrollments_set_grade
  AFTER INSERT OR UPDATE OF grade_level, kind, end_date, deleted ON enrollments
  FOR EACH ROW EXECUTE FUNCTION follow_enrollment_grade();

-- Students whose record already disagrees with their open enrollment take its grade.
UPDATE students s SET grade_level = e.grade_level
  FROM (SELECT DISTINCT ON (district_id, student_id) district_id, student_id, grade_level FROM enrollments
         WHERE kind = 'primary' AND NOT deleted AND end_date IS NULL
         ORDER BY district_id, student_id, start_date DESC, id DESC) e
 WHERE s.district_id = e.district_id AND s.id = e.student_id AND s.grade_level <> e.grade_level;
