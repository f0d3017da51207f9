-- The grade levels a district or school announcement is meant for (issue 13): the values
-- students and enrollments use for grade_level (-1 pre-kindergarten, 0 kindergarten, 1 to 12).
-- NULL or an empty list: every grade. A class's announcement is for its roster, whatever
-- their grades, so it names none. The messages pull matches them against the grade of each
-- enrollment (server/sync/messages.ts); the staff route keeps them sorted, distinct and taught
-- at the school (server/routes/staff-messages.ts).
ALTER TABLE announcements
  ADD COLUMN grades smallint[],
  ADD CONSTRAINT announcements_grades_check CHECK (
    grades IS NULL OR (
      cardinality(grades) <= 14
      AND (cardinality(grades) = 0 OR array_ndims(grades) = 1)
      AND array_position(grades, NULL) IS NULL
      AND -1 <= ALL (grades) AND 12 >= ALL (grades)
      AND (scope <> 'section' OR cardinality(grades) = 0)
    )
  );
