-- A second factor at sign-in: a TOTP authenticator (RFC 6238) and one-time recovery codes.
-- Staff holding a tool right must have one; families may turn it on.

-- One authenticator per account. The secret is sealed (AES-256-GCM under MFA_KEY, bound to the
-- account), so a dump of the store alone does not give codes. An enrolment waits unconfirmed
-- until its first code is typed; the last step used is kept so no code works twice.
CREATE TABLE second_factors (
  district_id uuid NOT NULL,
  account_id uuid NOT NULL,
  secret_sealed text NOT NULL,
  created_at timestamptz NOT NULL,
  confirmed_at timestamptz,
  last_used_step bigint,
  PRIMARY KEY (district_id, account_id),
  FOREIGN KEY (district_id, account_id) REFERENCES accounts (district_id, id)
);

-- Ten per enrolment, shown once, stored as SHA-256 (they are random, 50 bits each), each used once.
CREATE TABLE recovery_codes (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  account_id uuid NOT NULL,
  code_hash text NOT NULL,
  created_at timestamptz NOT NULL,
  used_at timestamptz,
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, account_id, code_hash),
  FOREIGN KEY (district_id, account_id) REFERENCES accounts (district_id, id)
);

-- Between the password and the second factor: a short-lived, single-purpose challenge (stored
-- hashed). It is not a session and opens nothing but the second step of its own sign-in.
CREATE TABLE sign_in_challenges (
  district_id uuid NOT NULL,
  id uuid NOT NULL,
  account_id uuid NOT NULL,
  challenge_hash text NOT NULL UNIQUE,
  purpose text NOT NULL CHECK (purpose IN ('code', 'enrol')),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  attempts smallint NOT NULL DEFAULT 0,
  PRIMARY KEY (district_id, id),
  FOREIGN KEY (district_id, account_id) REFERENCES accounts (district_id, id),
  CHECK (created_at < expires_at)
);
CREATE INDEX sign_in_challenges_by_account ON sign_in_challenges (district_id, account_id);

-- Whether the session was opened with a second factor: a session without one carries no tool right.
ALTER TABLE sessions ADD COLUMN second_factor boolean NOT NULL DEFAULT false;
