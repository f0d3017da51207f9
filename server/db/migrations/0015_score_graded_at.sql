-- When a score got its present result (issue 13: Today lists the work graded in the last 14 days).
-- A result is what a family reads as "graded": points, or a mark of missing, exempt or
-- incomplete. Late, dropped and the comment are notes on a result, not one: changing only them
-- keeps the time. The time is set when a score gets a result or its result changes, and cleared
-- when the result is removed (or the score is). Synced as the scores collection's `gradedAt`
-- (schema version 1); only this trigger sets it, so no writer (the scores pusher, the seed, a
-- tool) can get it wrong. Its clock is the app's: a transaction may name it in the setting
-- homeroom.now (the scores pusher does, with its request's time), else the database's now().
-- A writer that sets graded_at itself with the result (the seed, an import) keeps its time.
ALTER TABLE scores ADD COLUMN graded_at timestamptz;

-- Scores graded before this column existed: as of their last change. Their seq stays (devices
-- pull the collection again under version 1), so the sync triggers are off for the backfill.
ALTER TABLE scores DISABLE TRIGGER USER;
UPDATE scores SET graded_at = updated_at
 WHERE NOT deleted AND (points IS NOT NULL OR missing OR exempt OR incomplete);
ALTER TABLE scores ENABLE TRIGGER USER;

CREATE FUNCTION score_graded_at() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  graded boolean := NOT NEW.deleted AND (NEW.points IS NOT NULL OR NEW.missing OR NEW.exempt OR NEW.incomplete);
  at timestamptz := coalesce(nullif(current_setting('homeroom.now', true), '')::timestamptz, now());
BEGIN
  IF NOT graded THEN
    NEW.graded_at := NULL;
  ELSIF TG_OP = 'INSERT' THEN
    NEW.graded_at := coalesce(NEW.graded_at, at);
  ELSIF OLD.deleted OR (OLD.points, OLD.missing, OLD.exempt, OLD.incomplete) IS DISTINCT FROM (NEW.points, NEW.missing, NEW.exempt, NEW.incomplete) THEN
    -- A new result: now, unless the statement gave its own time.
    IF NEW.graded_at IS NOT DISTINCT FROM OLD.graded_at THEN
      NEW.graded_at := at;
    END IF;
  ELSE
    -- The same result: its time stays (a statement may correct it, never blank it).
    NEW.graded_at := coalesce(NEW.graded_at, OLD.graded_at, at);
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER scores_graded_at BEFORE INSERT OR UPDATE ON scores FOR EACH ROW EXECUTE FUNCTION score_graded_at();
