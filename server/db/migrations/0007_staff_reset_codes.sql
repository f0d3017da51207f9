-- A reset made by school staff is a one-time code printed for the family and typed with the
-- username, never a link the staff member's browser could open. It names who made it and for
-- which school, so the owner can be told and each staff member's resets counted.
ALTER TABLE password_resets
  ADD COLUMN kind text NOT NULL DEFAULT 'link' CHECK (kind IN ('link', 'code')),
  ADD COLUMN issued_by_staff_id uuid,
  ADD COLUMN school_id uuid,
  ADD FOREIGN KEY (district_id, issued_by_staff_id) REFERENCES staff (district_id, id),
  ADD FOREIGN KEY (district_id, school_id) REFERENCES schools (district_id, id),
  ADD CHECK ((kind = 'code') = (issued_by_staff_id IS NOT NULL));
CREATE INDEX password_resets_by_staff ON password_resets (district_id, issued_by_staff_id, requested_at) WHERE issued_by_staff_id IS NOT NULL;

-- How many password resets one staff member may make in 24 hours.
ALTER TABLE districts ADD COLUMN staff_resets_per_day smallint NOT NULL DEFAULT 20 CHECK (staff_resets_per_day BETWEEN 0 AND 500);
