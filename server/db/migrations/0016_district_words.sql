-- Names the district defines (courses, terms and grading periods, grading tasks, assignment
-- categories, fee descriptions, standards) in the families' languages, entered by district staff.
-- One row per name as it is written in the district's records (English); each translation is
-- used wherever that name appears, and a missing one falls back to the name as written.
-- Not synced as records: every signed-in person of the district may read them
-- (GET /api/district/words), and devices keep the reader's language's list.
-- A translations object holds only es, so and vi, each a text of 1 to 400 characters.
CREATE FUNCTION district_word_translations_valid(t jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN jsonb_typeof(t) <> 'object' THEN false
              ELSE coalesce((SELECT bool_and(key IN ('es', 'so', 'vi') AND jsonb_typeof(value) = 'string' AND length(value #>> '{}') BETWEEN 1 AND 400)
                               FROM jsonb_each(t)), true) END
$$;

CREATE TABLE district_words (
  district_id uuid NOT NULL REFERENCES districts (id),
  id uuid NOT NULL,
  source text NOT NULL CHECK (length(source) BETWEEN 1 AND 400),
  -- {"es": "...", "so": "...", "vi": "..."}: only the languages translated so far.
  translations jsonb NOT NULL CHECK (district_word_translations_valid(translations)),
  updated_by_account_id uuid,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, id),
  UNIQUE (district_id, source),
  FOREIGN KEY (district_id, updated_by_account_id) REFERENCES accounts (district_id, id)
);
