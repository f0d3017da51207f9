/**
 * The names the district's records use that families read (course, term, grading period and
 * task, assignment category, fee, standard, period of the day, room), as rows `(source, kind)`;
 * `$1` is the district. A name without a letter ("104") has nothing to translate.
 * The translation screen lists them and the demo seed translates them (server/seed/district-words.ts).
 */
export const NAMES_IN_USE_SQL = `
  SELECT name AS source, 'course' AS kind FROM courses WHERE district_id = $1 AND NOT deleted AND name <> ''
  UNION ALL SELECT name, 'term' FROM terms WHERE district_id = $1 AND NOT deleted AND name <> ''
  UNION ALL SELECT name, 'term' FROM grading_periods WHERE district_id = $1 AND NOT deleted AND name <> ''
  UNION ALL SELECT name, 'grading_task' FROM grading_tasks WHERE district_id = $1 AND NOT deleted AND name <> ''
  UNION ALL SELECT name, 'category' FROM assignment_categories WHERE district_id = $1 AND NOT deleted AND name <> ''
  UNION ALL SELECT description, 'fee' FROM fees WHERE district_id = $1 AND NOT deleted AND description <> ''
  UNION ALL SELECT description, 'standard' FROM standards WHERE district_id = $1 AND NOT deleted AND description <> ''
  UNION ALL SELECT name, 'period' FROM periods WHERE district_id = $1 AND NOT deleted AND name ~ '[[:alpha:]]'
  UNION ALL SELECT name, 'room' FROM rooms WHERE district_id = $1 AND NOT deleted AND name ~ '[[:alpha:]]'`;
