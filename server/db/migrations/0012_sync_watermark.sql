-- The district's sync watermark without waiting: the last seq handed out, read while holding the
-- district's seq lock, so every row of the district at or below it has committed (writers hold
-- the lock from their seq until commit). NULL while a writer holds the lock. A later statement
-- sees every such row: a pull whose page was not full may move the device's checkpoint up to it
-- (server/sync/fast-pull.ts).
CREATE FUNCTION sync_watermark(p_district uuid) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
  IF pg_try_advisory_xact_lock(7243, hashtext(p_district::text)) THEN
    RETURN (SELECT last_value FROM sync_seq);
  END IF;
  RETURN NULL;
END
$$;
