-- Homeroom school model: every row carries district_id, and every foreign key includes it,
-- so no row can point across districts (and Citus can shard on it later).
-- Synced tables carry seq (one global sequence, bumped on insert and update) and a soft
-- deleted flag: deletion is a flagged update, never a lost event.

CREATE SEQUENCE sync_seq AS bigint;

-- Writers of one district take seq one transaction at a time (the lock lasts until commit),
-- so a pull can never see seq 11 committed while seq 10 is still open.
CREATE FUNCTION lock_district_seq(district uuid) RETURNS void LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock(7243, hashtext(district::text));
$$;

CREATE FUNCTION bump_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'districts' THEN
    PERFORM lock_district_seq(NEW.id);
  ELSE
    PERFORM lock_district_seq(NEW.district_id);
  END IF;
  NEW.seq := nextval('sync_seq');
  NEW.updated_at := now();
  RETURN NEW;
END
$$;

-- Only a maintenance purge of a whole district (set by the seed tool, never by the app) may delete.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('homeroom.purge', true) = OLD.district_id::text THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TABLE districts (
  id uuid PRIMARY KEY,
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]{2,40}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  timezone text NOT NULL DEFAULT 'America/Chicago',
  default_language text NOT NULL DEFAULT 'en' CHECK (default_language IN ('en', 'es', 'so', 'vi')),
  currency char(3) NOT NULL DEFAULT 'USD',
  lockout_threshold smallint NOT NULL DEFAULT 3 CHECK (lockout_threshold BETWEEN 1 AND 20),
  missing_counts_as_zero boolean NOT NULL DEFAULT true,
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE grading_scales (
  district_id uuid NOT NULL REFERENCES districts (id),
  id uuid NOT NULL,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('letter', 'proficiency')),
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id)
);

CREATE TABLE grading_scale_bands (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  grading_scale_id uuid NOT NULL,
  mark text NOT NULL CHECK (length(mark) BETWEEN 1 AND 8),
  label text,
  min_percent numeric(5, 2) NOT NULL CHECK (min_percent BETWEEN 0 AND 100),
  grade_points numeric(3, 2),
  passing boolean NOT NULL DEFAULT true,
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, grading_scale_id, mark),
  FOREIGN KEY (district_id, grading_scale_id) REFERENCES grading_scales (district_id, id)
);

CREATE TABLE schools (
  district_id uuid NOT NULL REFERENCES districts (id),
  id uuid NOT NULL,
  code text NOT NULL CHECK (code ~ '^[A-Z0-9-]{2,12}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  level text NOT NULL CHECK (level IN ('elementary', 'middle', 'high')),
  grade_low smallint NOT NULL CHECK (grade_low BETWEEN -1 AND 12),
  grade_high smallint NOT NULL CHECK (grade_high BETWEEN -1 AND 12),
  address text NOT NULL DEFAULT '',
  phone text NOT NULL DEFAULT '',
  grading_scale_id uuid NOT NULL,
  rounding_decimals smallint NOT NULL DEFAULT 1 CHECK (rounding_decimals BETWEEN 0 AND 2),
  student_accounts_from_grade smallint CHECK (student_accounts_from_grade BETWEEN -1 AND 12),
  lockout_threshold smallint CHECK (lockout_threshold BETWEEN 1 AND 20),
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, code),
  CHECK (grade_low <= grade_high),
  FOREIGN KEY (district_id, grading_scale_id) REFERENCES grading_scales (district_id, id)
);

CREATE TABLE school_years (
  district_id uuid NOT NULL REFERENCES districts (id),
  id uuid NOT NULL,
  name text NOT NULL,
  start_date date NOT NULL,
  end_date date NOT NULL,
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, name),
  CHECK (start_date < end_date)
);

CREATE TABLE terms (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  school_id uuid NOT NULL,
  school_year_id uuid NOT NULL,
  name text NOT NULL,
  sequence smallint NOT NULL CHECK (sequence BETWEEN 1 AND 12),
  start_date date NOT NULL,
  end_date date NOT NULL,
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, school_id, school_year_id, sequence),
  CHECK (start_date < end_date),
  FOREIGN KEY (district_id, school_id) REFERENCES schools (district_id, id),
  FOREIGN KEY (district_id, school_year_id) REFERENCES school_years (district_id, id)
);

CREATE TABLE grading_periods (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  term_id uuid NOT NULL,
  name text NOT NULL,
  sequence smallint NOT NULL CHECK (sequence BETWEEN 1 AND 12),
  start_date date NOT NULL,
  end_date date NOT NULL,
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, term_id, sequence),
  CHECK (start_date < end_date),
  FOREIGN KEY (district_id, term_id) REFERENCES terms (district_id, id)
);

CREATE TABLE bell_schedules (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  school_id uuid NOT NULL,
  name text NOT NULL,
  is_default boolean NOT NULL DEFAULT false,
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, school_id, name),
  FOREIGN KEY (district_id, school_id) REFERENCES schools (district_id, id)
);

CREATE TABLE periods (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  bell_schedule_id uuid NOT NULL,
  name text NOT NULL,
  sequence smallint NOT NULL CHECK (sequence BETWEEN 0 AND 20),
  start_time time NOT NULL,
  end_time time NOT NULL,
  is_instructional boolean NOT NULL DEFAULT true,
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, bell_schedule_id, sequence),
  CHECK (start_time < end_time),
  FOREIGN KEY (district_id, bell_schedule_id) REFERENCES bell_schedules (district_id, id)
);

CREATE TABLE rooms (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  school_id uuid NOT NULL,
  name text NOT NULL,
  capacity smallint CHECK (capacity > 0),
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, school_id, name),
  FOREIGN KEY (district_id, school_id) REFERENCES schools (district_id, id)
);

CREATE TABLE courses (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  school_id uuid NOT NULL,
  code text NOT NULL,
  name text NOT NULL,
  subject text NOT NULL,
  credits numeric(3, 2) NOT NULL DEFAULT 0 CHECK (credits >= 0),
  grading_kind text NOT NULL DEFAULT 'letter' CHECK (grading_kind IN ('letter', 'standards')),
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, school_id, code),
  FOREIGN KEY (district_id, school_id) REFERENCES schools (district_id, id)
);

CREATE TABLE sections (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  school_id uuid NOT NULL,
  course_id uuid NOT NULL,
  term_id uuid NOT NULL,
  period_id uuid,
  room_id uuid,
  section_number text NOT NULL,
  grading_method text NOT NULL DEFAULT 'weighted' CHECK (grading_method IN ('weighted', 'points')),
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, course_id, term_id, section_number),
  FOREIGN KEY (district_id, school_id) REFERENCES schools (district_id, id),
  FOREIGN KEY (district_id, course_id) REFERENCES courses (district_id, id),
  FOREIGN KEY (district_id, term_id) REFERENCES terms (district_id, id),
  FOREIGN KEY (district_id, period_id) REFERENCES periods (district_id, id),
  FOREIGN KEY (district_id, room_id) REFERENCES rooms (district_id, id)
);

CREATE TABLE people (
  district_id uuid NOT NULL REFERENCES districts (id),
  id uuid NOT NULL,
  first_name text NOT NULL CHECK (length(first_name) BETWEEN 1 AND 100),
  middle_name text,
  last_name text NOT NULL CHECK (length(last_name) BETWEEN 1 AND 100),
  preferred_name text,
  birth_date date,
  gender text CHECK (gender IN ('F', 'M', 'X')),
  email text CHECK (email IS NULL OR email ~ '^[^@\s]+@[^@\s]+$'),
  preferred_language text NOT NULL DEFAULT 'en' CHECK (preferred_language IN ('en', 'es', 'so', 'vi')),
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id)
);

CREATE TABLE staff (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  person_id uuid NOT NULL,
  employee_number text NOT NULL,
  title text NOT NULL DEFAULT '',
  active boolean NOT NULL DEFAULT true,
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, person_id),
  UNIQUE (district_id, employee_number),
  FOREIGN KEY (district_id, person_id) REFERENCES people (district_id, id)
);

-- Staff access is role x school location; school_id NULL means district-wide (district admin).
CREATE TABLE staff_locations (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  staff_id uuid NOT NULL,
  school_id uuid,
  role text NOT NULL CHECK (role IN ('teacher', 'counselor', 'nurse', 'office', 'principal', 'district_admin')),
  start_date date NOT NULL,
  end_date date,
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  FOREIGN KEY (district_id, staff_id) REFERENCES staff (district_id, id),
  FOREIGN KEY (district_id, school_id) REFERENCES schools (district_id, id),
  CHECK ((role = 'district_admin') = (school_id IS NULL)),
  CHECK (end_date IS NULL OR start_date <= end_date)
);
CREATE UNIQUE INDEX staff_locations_one_role_per_school
  ON staff_locations (district_id, staff_id, COALESCE(school_id, '00000000-0000-0000-0000-000000000000'::uuid), role)
  WHERE NOT deleted;

CREATE TABLE trainings (
  district_id uuid NOT NULL REFERENCES districts (id),
  id uuid NOT NULL,
  code text NOT NULL,
  name text NOT NULL,
  valid_months smallint NOT NULL CHECK (valid_months BETWEEN 1 AND 120),
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, code)
);

CREATE TABLE staff_trainings (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  staff_id uuid NOT NULL,
  training_id uuid NOT NULL,
  completed_on date NOT NULL,
  expires_on date NOT NULL,
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  FOREIGN KEY (district_id, staff_id) REFERENCES staff (district_id, id),
  FOREIGN KEY (district_id, training_id) REFERENCES trainings (district_id, id),
  CHECK (completed_on < expires_on)
);

-- Sensitive functions need a right: a completed training, a manager's approval, a renewal date.
CREATE TABLE tool_rights (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  staff_id uuid NOT NULL,
  tool text NOT NULL CHECK (tool IN ('health', 'fees', 'accounts', 'attendance_admin', 'grades_admin', 'access_log', 'staff_admin', 'announcements')),
  school_id uuid,
  required_training_id uuid,
  approved_by_staff_id uuid NOT NULL,
  approved_on date NOT NULL,
  expires_on date NOT NULL,
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  FOREIGN KEY (district_id, staff_id) REFERENCES staff (district_id, id),
  FOREIGN KEY (district_id, school_id) REFERENCES schools (district_id, id),
  FOREIGN KEY (district_id, required_training_id) REFERENCES trainings (district_id, id),
  FOREIGN KEY (district_id, approved_by_staff_id) REFERENCES staff (district_id, id),
  CHECK (approved_by_staff_id <> staff_id),
  CHECK (approved_on < expires_on)
);

CREATE TABLE section_staff (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  section_id uuid NOT NULL,
  staff_id uuid NOT NULL,
  role text NOT NULL DEFAULT 'primary' CHECK (role IN ('primary', 'co_teacher', 'aide')),
  start_date date NOT NULL,
  end_date date,
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, section_id, staff_id),
  FOREIGN KEY (district_id, section_id) REFERENCES sections (district_id, id),
  FOREIGN KEY (district_id, staff_id) REFERENCES staff (district_id, id)
);

CREATE TABLE students (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  person_id uuid NOT NULL,
  student_number text NOT NULL CHECK (student_number ~ '^[0-9]{6,10}$'),
  grade_level smallint NOT NULL CHECK (grade_level BETWEEN -1 AND 12),
  home_language text NOT NULL CHECK (home_language IN ('en', 'es', 'so', 'vi')),
  english_learner boolean NOT NULL DEFAULT false,
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, person_id),
  UNIQUE (district_id, student_number),
  FOREIGN KEY (district_id, person_id) REFERENCES people (district_id, id)
);

-- Counselors see their caseload.
CREATE TABLE counselor_caseloads (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  staff_id uuid NOT NULL,
  student_id uuid NOT NULL,
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, staff_id, student_id),
  FOREIGN KEY (district_id, staff_id) REFERENCES staff (district_id, id),
  FOREIGN KEY (district_id, student_id) REFERENCES students (district_id, id)
);

CREATE TABLE households (
  district_id uuid NOT NULL REFERENCES districts (id),
  id uuid NOT NULL,
  name text NOT NULL,
  primary_language text NOT NULL DEFAULT 'en' CHECK (primary_language IN ('en', 'es', 'so', 'vi')),
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id)
);

CREATE TABLE household_members (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  household_id uuid NOT NULL,
  person_id uuid NOT NULL,
  role text NOT NULL CHECK (role IN ('guardian', 'student', 'other')),
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, household_id, person_id),
  FOREIGN KEY (district_id, household_id) REFERENCES households (district_id, id),
  FOREIGN KEY (district_id, person_id) REFERENCES people (district_id, id)
);

CREATE TABLE addresses (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  household_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('home', 'mailing')),
  line1 text NOT NULL,
  line2 text,
  city text NOT NULL,
  region text NOT NULL,
  postal_code text NOT NULL,
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  FOREIGN KEY (district_id, household_id) REFERENCES households (district_id, id)
);
CREATE UNIQUE INDEX addresses_one_kind_per_household ON addresses (district_id, household_id, kind) WHERE NOT deleted;

CREATE TABLE phones (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  household_id uuid,
  person_id uuid,
  kind text NOT NULL CHECK (kind IN ('home', 'mobile', 'work')),
  number text NOT NULL CHECK (number ~ '^\+?[0-9 ().-]{7,20}$'),
  sms_ok boolean NOT NULL DEFAULT false,
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  FOREIGN KEY (district_id, household_id) REFERENCES households (district_id, id),
  FOREIGN KEY (district_id, person_id) REFERENCES people (district_id, id),
  CHECK ((household_id IS NULL) <> (person_id IS NULL))
);

-- How each guardian wants to be reached, per purpose.
CREATE TABLE contact_preferences (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  person_id uuid NOT NULL,
  purpose text NOT NULL CHECK (purpose IN ('emergency', 'attendance', 'general', 'teacher')),
  voice boolean NOT NULL DEFAULT true,
  sms boolean NOT NULL DEFAULT false,
  email boolean NOT NULL DEFAULT true,
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, person_id, purpose),
  FOREIGN KEY (district_id, person_id) REFERENCES people (district_id, id)
);

CREATE TABLE guardianships (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  student_id uuid NOT NULL,
  guardian_person_id uuid NOT NULL,
  household_id uuid,
  relationship text NOT NULL CHECK (relationship IN ('mother', 'father', 'stepmother', 'stepfather', 'grandmother', 'grandfather', 'aunt', 'uncle', 'foster_parent', 'guardian', 'other')),
  legal_rights boolean NOT NULL DEFAULT true,
  portal_access boolean NOT NULL DEFAULT true,
  contact_order smallint NOT NULL DEFAULT 1 CHECK (contact_order BETWEEN 1 AND 20),
  emergency_contact boolean NOT NULL DEFAULT true,
  lives_with boolean NOT NULL DEFAULT true,
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, student_id, guardian_person_id),
  FOREIGN KEY (district_id, student_id) REFERENCES students (district_id, id),
  FOREIGN KEY (district_id, guardian_person_id) REFERENCES people (district_id, id),
  FOREIGN KEY (district_id, household_id) REFERENCES households (district_id, id)
);
CREATE INDEX guardianships_by_guardian ON guardianships (district_id, guardian_person_id);

CREATE TABLE enrollments (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  student_id uuid NOT NULL,
  school_id uuid NOT NULL,
  school_year_id uuid NOT NULL,
  grade_level smallint NOT NULL CHECK (grade_level BETWEEN -1 AND 12),
  kind text NOT NULL DEFAULT 'primary' CHECK (kind IN ('primary', 'secondary')),
  start_date date NOT NULL,
  end_date date,
  end_reason text,
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  FOREIGN KEY (district_id, student_id) REFERENCES students (district_id, id),
  FOREIGN KEY (district_id, school_id) REFERENCES schools (district_id, id),
  FOREIGN KEY (district_id, school_year_id) REFERENCES school_years (district_id, id),
  CHECK (end_date IS NULL OR start_date <= end_date)
);
CREATE INDEX enrollments_by_school ON enrollments (district_id, school_id);
CREATE INDEX enrollments_by_student ON enrollments (district_id, student_id);

-- The roster: which student is in which section, and when.
CREATE TABLE section_enrollments (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  section_id uuid NOT NULL,
  student_id uuid NOT NULL,
  start_date date NOT NULL,
  end_date date,
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, section_id, student_id, start_date),
  FOREIGN KEY (district_id, section_id) REFERENCES sections (district_id, id),
  FOREIGN KEY (district_id, student_id) REFERENCES students (district_id, id)
);
CREATE INDEX section_enrollments_by_student ON section_enrollments (district_id, student_id);

CREATE TABLE assignment_categories (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  section_id uuid NOT NULL,
  name text NOT NULL,
  weight numeric(5, 2) NOT NULL DEFAULT 0 CHECK (weight BETWEEN 0 AND 100),
  drop_lowest smallint NOT NULL DEFAULT 0 CHECK (drop_lowest BETWEEN 0 AND 10),
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, section_id, name),
  FOREIGN KEY (district_id, section_id) REFERENCES sections (district_id, id)
);

CREATE TABLE assignments (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  section_id uuid NOT NULL,
  category_id uuid NOT NULL,
  grading_period_id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '',
  points_possible numeric(6, 2) NOT NULL CHECK (points_possible >= 0),
  assigned_on date NOT NULL,
  due_on date NOT NULL,
  published boolean NOT NULL DEFAULT true,
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  FOREIGN KEY (district_id, section_id) REFERENCES sections (district_id, id),
  FOREIGN KEY (district_id, category_id) REFERENCES assignment_categories (district_id, id),
  FOREIGN KEY (district_id, grading_period_id) REFERENCES grading_periods (district_id, id),
  CHECK (assigned_on <= due_on)
);
CREATE INDEX assignments_by_section ON assignments (district_id, section_id);

CREATE TABLE scores (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  assignment_id uuid NOT NULL,
  student_id uuid NOT NULL,
  points numeric(6, 2) CHECK (points >= 0),
  missing boolean NOT NULL DEFAULT false,
  late boolean NOT NULL DEFAULT false,
  exempt boolean NOT NULL DEFAULT false,
  incomplete boolean NOT NULL DEFAULT false,
  dropped boolean NOT NULL DEFAULT false,
  comment text NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
  entered_by_staff_id uuid,
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, assignment_id, student_id),
  FOREIGN KEY (district_id, assignment_id) REFERENCES assignments (district_id, id),
  FOREIGN KEY (district_id, student_id) REFERENCES students (district_id, id),
  FOREIGN KEY (district_id, entered_by_staff_id) REFERENCES staff (district_id, id)
);
CREATE INDEX scores_by_student ON scores (district_id, student_id);

CREATE TABLE grading_tasks (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  course_id uuid NOT NULL,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('progress', 'quarter', 'semester', 'final')),
  sequence smallint NOT NULL DEFAULT 1,
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, course_id, name),
  FOREIGN KEY (district_id, course_id) REFERENCES courses (district_id, id)
);

CREATE TABLE term_grades (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  section_id uuid NOT NULL,
  student_id uuid NOT NULL,
  grading_task_id uuid NOT NULL,
  grading_period_id uuid NOT NULL,
  percent numeric(5, 2) CHECK (percent BETWEEN 0 AND 200),
  mark text,
  status text NOT NULL DEFAULT 'in_progress' CHECK (status IN ('in_progress', 'posted')),
  posted_at timestamptz,
  posted_by_staff_id uuid,
  comment text NOT NULL DEFAULT '',
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, section_id, student_id, grading_task_id, grading_period_id),
  FOREIGN KEY (district_id, section_id) REFERENCES sections (district_id, id),
  FOREIGN KEY (district_id, student_id) REFERENCES students (district_id, id),
  FOREIGN KEY (district_id, grading_task_id) REFERENCES grading_tasks (district_id, id),
  FOREIGN KEY (district_id, grading_period_id) REFERENCES grading_periods (district_id, id),
  FOREIGN KEY (district_id, posted_by_staff_id) REFERENCES staff (district_id, id),
  CHECK ((status = 'posted') = (posted_at IS NOT NULL))
);
CREATE INDEX term_grades_by_student ON term_grades (district_id, student_id);

CREATE TABLE standards (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  course_id uuid NOT NULL,
  code text NOT NULL,
  description text NOT NULL,
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, course_id, code),
  FOREIGN KEY (district_id, course_id) REFERENCES courses (district_id, id)
);

-- Standards-based marks (elementary): 1 beginning, 2 approaching, 3 meeting, 4 exceeding.
CREATE TABLE standard_marks (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  section_id uuid NOT NULL,
  student_id uuid NOT NULL,
  standard_id uuid NOT NULL,
  grading_period_id uuid NOT NULL,
  proficiency smallint CHECK (proficiency BETWEEN 1 AND 4),
  status text NOT NULL DEFAULT 'in_progress' CHECK (status IN ('in_progress', 'posted')),
  comment text NOT NULL DEFAULT '',
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, section_id, student_id, standard_id, grading_period_id),
  FOREIGN KEY (district_id, section_id) REFERENCES sections (district_id, id),
  FOREIGN KEY (district_id, student_id) REFERENCES students (district_id, id),
  FOREIGN KEY (district_id, standard_id) REFERENCES standards (district_id, id),
  FOREIGN KEY (district_id, grading_period_id) REFERENCES grading_periods (district_id, id)
);
CREATE INDEX standard_marks_by_student ON standard_marks (district_id, student_id);

CREATE TABLE attendance_reasons (
  district_id uuid NOT NULL REFERENCES districts (id),
  id uuid NOT NULL,
  code text NOT NULL CHECK (code ~ '^[A-Z]{2,6}$'),
  label text NOT NULL,
  excuse text NOT NULL CHECK (excuse IN ('excused', 'unexcused', 'unknown')),
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, code)
);

-- One row per student per day (section_id NULL: the whole day) or per section period.
CREATE TABLE attendance (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  student_id uuid NOT NULL,
  school_id uuid NOT NULL,
  date date NOT NULL,
  section_id uuid,
  period_id uuid,
  status text NOT NULL CHECK (status IN ('present', 'absent', 'tardy', 'early_release')),
  excuse text NOT NULL DEFAULT 'unknown' CHECK (excuse IN ('excused', 'unexcused', 'unknown')),
  reason_id uuid,
  minutes smallint CHECK (minutes BETWEEN 0 AND 600),
  comment text NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
  recorded_by_staff_id uuid,
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  FOREIGN KEY (district_id, student_id) REFERENCES students (district_id, id),
  FOREIGN KEY (district_id, school_id) REFERENCES schools (district_id, id),
  FOREIGN KEY (district_id, section_id) REFERENCES sections (district_id, id),
  FOREIGN KEY (district_id, period_id) REFERENCES periods (district_id, id),
  FOREIGN KEY (district_id, reason_id) REFERENCES attendance_reasons (district_id, id),
  FOREIGN KEY (district_id, recorded_by_staff_id) REFERENCES staff (district_id, id),
  CHECK ((section_id IS NULL) = (period_id IS NULL))
);
CREATE UNIQUE INDEX attendance_one_mark_per_slot
  ON attendance (district_id, student_id, date, COALESCE(section_id, '00000000-0000-0000-0000-000000000000'::uuid));
CREATE INDEX attendance_by_school_date ON attendance (district_id, school_id, date);

CREATE TABLE immunization_requirements (
  district_id uuid NOT NULL REFERENCES districts (id),
  id uuid NOT NULL,
  vaccine text NOT NULL CHECK (vaccine IN ('DTaP', 'Tdap', 'Polio', 'MMR', 'HepB', 'Varicella', 'MenACWY', 'HepA')),
  grade_low smallint NOT NULL CHECK (grade_low BETWEEN -1 AND 12),
  grade_high smallint NOT NULL CHECK (grade_high BETWEEN -1 AND 12),
  doses_required smallint NOT NULL CHECK (doses_required BETWEEN 1 AND 6),
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, vaccine, grade_low)
);

CREATE TABLE immunizations (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  student_id uuid NOT NULL,
  vaccine text NOT NULL CHECK (vaccine IN ('DTaP', 'Tdap', 'Polio', 'MMR', 'HepB', 'Varicella', 'MenACWY', 'HepA')),
  dose_number smallint NOT NULL CHECK (dose_number BETWEEN 1 AND 6),
  administered_on date,
  exemption text NOT NULL DEFAULT 'none' CHECK (exemption IN ('none', 'medical', 'religious', 'personal')),
  source text NOT NULL DEFAULT 'record' CHECK (source IN ('record', 'registry', 'guardian')),
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, student_id, vaccine, dose_number),
  FOREIGN KEY (district_id, student_id) REFERENCES students (district_id, id),
  CHECK ((exemption = 'none') = (administered_on IS NOT NULL))
);

CREATE TABLE fees (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  student_id uuid NOT NULL,
  school_id uuid NOT NULL,
  school_year_id uuid NOT NULL,
  category text NOT NULL CHECK (category IN ('meals', 'course', 'activity', 'device', 'transport', 'library', 'other')),
  description text NOT NULL,
  amount_cents integer NOT NULL CHECK (amount_cents > 0),
  assessed_on date NOT NULL,
  due_on date NOT NULL,
  waived boolean NOT NULL DEFAULT false,
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  FOREIGN KEY (district_id, student_id) REFERENCES students (district_id, id),
  FOREIGN KEY (district_id, school_id) REFERENCES schools (district_id, id),
  FOREIGN KEY (district_id, school_year_id) REFERENCES school_years (district_id, id)
);
CREATE INDEX fees_by_student ON fees (district_id, student_id);

CREATE TABLE payments (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  fee_id uuid NOT NULL,
  amount_cents integer NOT NULL CHECK (amount_cents > 0),
  paid_on date NOT NULL,
  method text NOT NULL CHECK (method IN ('cash', 'check', 'card', 'online', 'adjustment')),
  reference text NOT NULL DEFAULT '',
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  FOREIGN KEY (district_id, fee_id) REFERENCES fees (district_id, id)
);

-- Title and body are translations keyed by language: {"en": "...", "es": "..."}.
CREATE TABLE announcements (
  district_id uuid NOT NULL REFERENCES districts (id),
  id uuid NOT NULL,
  scope text NOT NULL CHECK (scope IN ('district', 'school', 'section')),
  school_id uuid,
  section_id uuid,
  title jsonb NOT NULL CHECK (jsonb_typeof(title) = 'object' AND title ? 'en'),
  body jsonb NOT NULL CHECK (jsonb_typeof(body) = 'object' AND body ? 'en'),
  starts_on date NOT NULL,
  ends_on date NOT NULL,
  author_staff_id uuid,
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  FOREIGN KEY (district_id, school_id) REFERENCES schools (district_id, id),
  FOREIGN KEY (district_id, section_id) REFERENCES sections (district_id, id),
  FOREIGN KEY (district_id, author_staff_id) REFERENCES staff (district_id, id),
  CHECK (starts_on <= ends_on),
  CHECK ((scope = 'district' AND school_id IS NULL AND section_id IS NULL)
      OR (scope = 'school' AND school_id IS NOT NULL AND section_id IS NULL)
      OR (scope = 'section' AND section_id IS NOT NULL))
);

CREATE TABLE messages (
  district_id uuid NOT NULL REFERENCES districts (id),
  id uuid NOT NULL,
  sender_person_id uuid NOT NULL,
  section_id uuid,
  about_student_id uuid,
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
  sent_at timestamptz NOT NULL,
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  FOREIGN KEY (district_id, sender_person_id) REFERENCES people (district_id, id),
  FOREIGN KEY (district_id, section_id) REFERENCES sections (district_id, id),
  FOREIGN KEY (district_id, about_student_id) REFERENCES students (district_id, id)
);

CREATE TABLE message_recipients (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  message_id uuid NOT NULL,
  person_id uuid NOT NULL,
  read_at timestamptz,
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, message_id, person_id),
  FOREIGN KEY (district_id, message_id) REFERENCES messages (district_id, id),
  FOREIGN KEY (district_id, person_id) REFERENCES people (district_id, id)
);
CREATE INDEX message_recipients_by_person ON message_recipients (district_id, person_id);

-- Household changes and absence notes: families ask, office staff decide.
CREATE TABLE requests (
  district_id uuid NOT NULL REFERENCES districts (id),
  id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('household_change', 'absence_note')),
  requested_by_person_id uuid NOT NULL,
  household_id uuid,
  student_id uuid,
  school_id uuid,
  payload jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
  submitted_at timestamptz NOT NULL,
  decided_by_staff_id uuid,
  decided_at timestamptz,
  decision_note text NOT NULL DEFAULT '',
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  FOREIGN KEY (district_id, requested_by_person_id) REFERENCES people (district_id, id),
  FOREIGN KEY (district_id, household_id) REFERENCES households (district_id, id),
  FOREIGN KEY (district_id, student_id) REFERENCES students (district_id, id),
  FOREIGN KEY (district_id, school_id) REFERENCES schools (district_id, id),
  FOREIGN KEY (district_id, decided_by_staff_id) REFERENCES staff (district_id, id),
  CHECK ((kind = 'household_change') = (household_id IS NOT NULL)),
  CHECK ((kind = 'absence_note') = (student_id IS NOT NULL)),
  CHECK ((status IN ('approved', 'rejected')) = (decided_at IS NOT NULL))
);

-- One account per person; usernames are unique across the deployment (case-insensitive).
CREATE TABLE accounts (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  person_id uuid NOT NULL,
  username text CHECK (username IS NULL OR length(username) BETWEEN 3 AND 64),
  password_hash text,
  status text NOT NULL DEFAULT 'unclaimed' CHECK (status IN ('unclaimed', 'active', 'disabled')),
  failed_logins smallint NOT NULL DEFAULT 0,
  disabled_reason text CHECK (disabled_reason IN ('lockout', 'staff', 'left_district')),
  preferred_language text NOT NULL DEFAULT 'en' CHECK (preferred_language IN ('en', 'es', 'so', 'vi')),
  created_at timestamptz NOT NULL DEFAULT now(),
  claimed_at timestamptz,
  last_login_at timestamptz,
  password_changed_at timestamptz,
  seq bigint NOT NULL DEFAULT 0,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, person_id),
  FOREIGN KEY (district_id, person_id) REFERENCES people (district_id, id),
  CHECK ((status = 'unclaimed') = (username IS NULL)),
  CHECK ((status = 'disabled') = (disabled_reason IS NOT NULL))
);
CREATE UNIQUE INDEX accounts_username ON accounts (lower(username)) WHERE username IS NOT NULL;

-- Activation keys and reset tokens are stored as SHA-256 hashes; the secret is only printed or mailed.
CREATE TABLE activation_keys (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  account_id uuid NOT NULL,
  key_hash text NOT NULL UNIQUE,
  language text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'es', 'so', 'vi')),
  issued_at timestamptz NOT NULL DEFAULT now(),
  issued_by_staff_id uuid,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  revoked_at timestamptz,
  PRIMARY KEY (district_id, id),
  FOREIGN KEY (district_id, account_id) REFERENCES accounts (district_id, id),
  FOREIGN KEY (district_id, issued_by_staff_id) REFERENCES staff (district_id, id)
);

CREATE TABLE password_resets (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  account_id uuid NOT NULL,
  token_hash text NOT NULL UNIQUE,
  requested_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  PRIMARY KEY (district_id, id),
  FOREIGN KEY (district_id, account_id) REFERENCES accounts (district_id, id)
);

-- A session is one signed-in device; refresh tokens rotate within it (family = session).
CREATE TABLE sessions (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  account_id uuid NOT NULL,
  refresh_hash text NOT NULL UNIQUE,
  previous_refresh_hash text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_reason text,
  ip text NOT NULL DEFAULT '',
  user_agent text NOT NULL DEFAULT '',
  PRIMARY KEY (district_id, id),
  FOREIGN KEY (district_id, account_id) REFERENCES accounts (district_id, id)
);
CREATE INDEX sessions_by_account ON sessions (district_id, account_id);

-- Append-only: who signed in, failed, was locked out, and who read or wrote protected records.
CREATE TABLE access_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  district_id uuid NOT NULL REFERENCES districts (id),
  at timestamptz NOT NULL DEFAULT now(),
  account_id uuid,
  event text NOT NULL,
  ip text NOT NULL DEFAULT '',
  user_agent text NOT NULL DEFAULT '',
  student_id uuid,
  record_type text,
  record_id uuid,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb,
  FOREIGN KEY (district_id, account_id) REFERENCES accounts (district_id, id),
  FOREIGN KEY (district_id, student_id) REFERENCES students (district_id, id)
);
CREATE INDEX access_log_by_account ON access_log (district_id, account_id, at);
CREATE INDEX access_log_by_student ON access_log (district_id, student_id, at) WHERE student_id IS NOT NULL;
CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Append-only: every staff change with who, when, old and new values.
CREATE TABLE audit_trail (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  district_id uuid NOT NULL REFERENCES districts (id),
  at timestamptz NOT NULL DEFAULT now(),
  actor_account_id uuid,
  table_name text NOT NULL,
  row_id uuid NOT NULL,
  action text NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
  old_values jsonb,
  new_values jsonb,
  FOREIGN KEY (district_id, actor_account_id) REFERENCES accounts (district_id, id)
);
CREATE INDEX audit_trail_by_row ON audit_trail (district_id, table_name, row_id);
CREATE TRIGGER audit_trail_append_only BEFORE UPDATE OR DELETE ON audit_trail
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Every table with seq: bump it on insert and update, and index it for pulls. An insert that
-- brings its own seq skips the trigger: only bulk loaders do that, after lock_district_seq().
DO $$
DECLARE t text;
BEGIN
  FOR t IN
    SELECT c.table_name FROM information_schema.columns c
    JOIN information_schema.tables tb ON tb.table_name = c.table_name AND tb.table_schema = c.table_schema
    WHERE c.table_schema = current_schema() AND c.column_name = 'seq' AND tb.table_type = 'BASE TABLE'
  LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE INSERT ON %I FOR EACH ROW WHEN (NEW.seq = 0) EXECUTE FUNCTION bump_seq()', t || '_seq_insert', t);
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION bump_seq()', t || '_seq_update', t);
    IF t <> 'districts' THEN
      EXECUTE format('CREATE INDEX %I ON %I (district_id, seq)', t || '_by_seq', t);
    END IF;
  END LOOP;
END
$$;
