-- Shared computers in school media centers (kiosks), and sessions on computers that are not
-- the person's own.

-- Enrolling and revoking kiosks is a tool right of its own.
ALTER TABLE tool_rights DROP CONSTRAINT tool_rights_tool_check;
ALTER TABLE tool_rights ADD CONSTRAINT tool_rights_tool_check
  CHECK (tool IN ('health', 'fees', 'accounts', 'attendance_admin', 'grades_admin', 'access_log', 'staff_admin', 'announcements', 'kiosks'));

-- Minutes without a key or a tap before a kiosk signs its user out.
ALTER TABLE schools ADD COLUMN kiosk_idle_minutes smallint NOT NULL DEFAULT 2 CHECK (kiosk_idle_minutes BETWEEN 1 AND 15);

-- A browser enrolled by school staff as a shared computer. It proves it is one with a device
-- credential (an HttpOnly cookie, stored here hashed), given once it presents the one-time
-- enrolment code a staff member made; revoking it ends that proof and every session on it.
CREATE TABLE kiosks (
  district_id uuid NOT NULL REFERENCES districts (id),
  id uuid NOT NULL,
  school_id uuid NOT NULL,
  label text NOT NULL DEFAULT '' CHECK (length(label) <= 80),
  code_hash text UNIQUE,
  code_expires_at timestamptz,
  credential_hash text UNIQUE,
  created_by_account_id uuid NOT NULL,
  created_at timestamptz NOT NULL,
  enrolled_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz,
  revoked_by_account_id uuid,
  PRIMARY KEY (district_id, id),
  FOREIGN KEY (district_id, school_id) REFERENCES schools (district_id, id),
  FOREIGN KEY (district_id, created_by_account_id) REFERENCES accounts (district_id, id),
  FOREIGN KEY (district_id, revoked_by_account_id) REFERENCES accounts (district_id, id),
  CHECK ((code_hash IS NULL) = (code_expires_at IS NULL))
);
CREATE INDEX kiosks_by_school ON kiosks (district_id, school_id);

-- A session on a shared computer (an enrolled kiosk, or a person's "this is not my device"):
-- its refresh token lives only as long as the idle limit, and each use moves that on.
ALTER TABLE sessions
  ADD COLUMN idle_minutes smallint CHECK (idle_minutes BETWEEN 1 AND 15),
  ADD COLUMN kiosk_id uuid,
  ADD FOREIGN KEY (district_id, kiosk_id) REFERENCES kiosks (district_id, id);
CREATE INDEX sessions_by_kiosk ON sessions (district_id, kiosk_id) WHERE kiosk_id IS NOT NULL;
