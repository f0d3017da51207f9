-- Signing keys for access tokens. Deployment-wide infrastructure, not district data: the one
-- table without district_id. Kept in the store so every server instance verifies every token.
CREATE TABLE signing_keys (
  kid text PRIMARY KEY,
  algorithm text NOT NULL CHECK (algorithm = 'EdDSA'),
  public_jwk jsonb NOT NULL,
  private_jwk jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  -- New tokens are signed with the newest key; a retired key still verifies until it expires.
  retire_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  CHECK (created_at < retire_at AND retire_at < expires_at)
);

CREATE INDEX access_log_by_ip ON access_log (ip, at) WHERE event IN ('login.failure', 'login.throttled');
CREATE INDEX activation_keys_by_account ON activation_keys (district_id, account_id);
CREATE INDEX password_resets_by_account ON password_resets (district_id, account_id);
CREATE INDEX sessions_previous_refresh ON sessions (previous_refresh_hash) WHERE previous_refresh_hash IS NOT NULL;
