-- A password change or reset voids every outstanding reset link of the account (and its
-- activation keys), so a link mailed or stolen earlier cannot undo it.
ALTER TABLE password_resets ADD COLUMN revoked_at timestamptz;
