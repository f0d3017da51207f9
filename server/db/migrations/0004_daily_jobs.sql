-- The last day each daily job finished for a district. Not synced (no seq): server state only.
CREATE TABLE daily_jobs (
  district_id uuid NOT NULL REFERENCES districts (id),
  job text NOT NULL CHECK (job ~ '^[a-z_]{2,40}$'),
  last_date date NOT NULL,
  finished_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, job)
);
