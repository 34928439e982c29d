-- Periods written by other processes with plain SQL (Crosshot's analyst computes the next
-- number itself, without a lock) get the rules the gateway's own writes follow, in the
-- database where every writer meets them:
--   * writers of one entity's periods queue on the entity's row, as the gateway's do, so a
--     second concurrent cycle sees the first one's period instead of colliding blindly; the
--     one that lost gets a message naming the next free number;
--   * the entity must exist (entity_type/entity_id is a polymorphic pair with no foreign key);
--   * active period numbers stay dense going forward: number n (n > 1) needs an active n - 1;
--   * the entity's period bookkeeping (current_period_number, last_period_id, total_periods,
--     first_analysis_at, avg_period_duration_hours) follows its active periods after every
--     statement that adds or changes them: refresh_entity_period_stats() is the one place it is
--     computed, for the gateway's writes too.
-- Windows may leave holes (the exclusion constraint forbids overlaps only). A migration of the
-- gateway's own, beyond alembic's revisions.

-- Up Migration
CREATE FUNCTION refresh_entity_period_stats(p_entity_type varchar, p_entity_id uuid)
RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    entity_table text := CASE p_entity_type WHEN 'topic' THEN 'topics' WHEN 'user' THEN 'users' END;
BEGIN
    IF entity_table IS NULL THEN
        RETURN;
    END IF;
    EXECUTE format(
        'UPDATE %I e
         SET current_period_number = s.newest_number,
             last_period_id = s.newest_id,
             total_periods = s.total,
             first_analysis_at = COALESCE(e.first_analysis_at, s.first_analyzed_at),
             avg_period_duration_hours = s.avg_hours,
             updated_at = now()
         FROM (
           SELECT max(ap.period_number) AS newest_number,
                  (array_agg(ap.id ORDER BY ap.period_number DESC))[1] AS newest_id,
                  count(*)::int AS total, min(ap.analyzed_at) AS first_analyzed_at, avg(ap.duration_hours) AS avg_hours
           FROM analysis_periods ap
           WHERE ap.entity_type = $1 AND ap.entity_id = $2 AND ap.status = ''active''
         ) s
         WHERE e.id = $2', entity_table)
    USING p_entity_type, p_entity_id;
END
$$;

CREATE FUNCTION guard_active_period_insert()
RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    entity_table text := CASE NEW.entity_type WHEN 'topic' THEN 'topics' WHEN 'user' THEN 'users' END;
    entity_found boolean;
    newest integer;
BEGIN
    IF NEW.status <> 'active' OR entity_table IS NULL THEN
        RETURN NEW; -- an unknown entity_type is the CHECK constraint's to report
    END IF;
    -- Held until the writer's transaction ends; a second writer of this entity waits here and
    -- then, in its next statement, sees what the first committed.
    EXECUTE format('SELECT true FROM %I WHERE id = $1 FOR UPDATE', entity_table) INTO entity_found USING NEW.entity_id;
    IF entity_found IS NULL THEN
        RAISE EXCEPTION 'no % with id % for the period to belong to', NEW.entity_type, NEW.entity_id
            USING ERRCODE = 'foreign_key_violation', TABLE = 'analysis_periods', COLUMN = 'entity_id';
    END IF;
    IF EXISTS (SELECT 1 FROM analysis_periods ap
               WHERE ap.entity_type = NEW.entity_type AND ap.entity_id = NEW.entity_id
                 AND ap.status = 'active' AND ap.period_number = NEW.period_number) THEN
        SELECT max(ap.period_number) INTO newest FROM analysis_periods ap
        WHERE ap.entity_type = NEW.entity_type AND ap.entity_id = NEW.entity_id AND ap.status = 'active';
        RAISE EXCEPTION '% % already has an active period %: another writer recorded it first', NEW.entity_type, NEW.entity_id, NEW.period_number
            USING ERRCODE = 'unique_violation', TABLE = 'analysis_periods', COLUMN = 'period_number',
                  HINT = format('The next free number is %s, starting where period %s ended; read the newest period again and retry.', newest + 1, newest);
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION after_period_insert()
RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    gap record;
    entity record;
BEGIN
    SELECT n.entity_type, n.entity_id, n.period_number INTO gap
    FROM inserted n
    WHERE n.status = 'active' AND n.period_number > 1
      AND NOT EXISTS (SELECT 1 FROM analysis_periods ap
                      WHERE ap.entity_type = n.entity_type AND ap.entity_id = n.entity_id
                        AND ap.status = 'active' AND ap.period_number = n.period_number - 1)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'period % of % % would leave a gap: it has no active period %', gap.period_number, gap.entity_type, gap.entity_id, gap.period_number - 1
            USING ERRCODE = 'check_violation', TABLE = 'analysis_periods', COLUMN = 'period_number',
                  HINT = 'Active period numbers are dense: record the number after the newest active period.';
    END IF;
    FOR entity IN SELECT DISTINCT n.entity_type, n.entity_id FROM inserted n WHERE n.status = 'active' LOOP
        PERFORM refresh_entity_period_stats(entity.entity_type, entity.entity_id);
    END LOOP;
    RETURN NULL;
END
$$;

CREATE FUNCTION after_period_update()
RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refresh_entity_period_stats(NEW.entity_type, NEW.entity_id);
    RETURN NULL;
END
$$;

CREATE TRIGGER tr_analysis_periods_guard_insert
    BEFORE INSERT ON analysis_periods
    FOR EACH ROW EXECUTE FUNCTION guard_active_period_insert();
-- Once per statement, so a bulk insert checks and bookkeeps each entity once.
CREATE TRIGGER tr_analysis_periods_after_insert
    AFTER INSERT ON analysis_periods
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION after_period_insert();
-- Only updates of what the bookkeeping reads fire it: the content counts and deltas every
-- recorded period updates right after its insert cost nothing here.
CREATE TRIGGER tr_analysis_periods_after_update
    AFTER UPDATE OF status, period_number, duration_hours, analyzed_at ON analysis_periods
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.period_number IS DISTINCT FROM NEW.period_number
          OR OLD.duration_hours IS DISTINCT FROM NEW.duration_hours OR OLD.analyzed_at IS DISTINCT FROM NEW.analyzed_at)
    EXECUTE FUNCTION after_period_update();

-- Down Migration
DROP TRIGGER tr_analysis_periods_after_update ON analysis_periods;
DROP TRIGGER tr_analysis_periods_after_insert ON analysis_periods;
DROP TRIGGER tr_analysis_periods_guard_insert ON analysis_periods;
DROP FUNCTION after_period_update();
DROP FUNCTION after_period_insert();
DROP FUNCTION guard_active_period_insert();
DROP FUNCTION refresh_entity_period_stats(varchar, uuid);
