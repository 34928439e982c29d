-- Crosshot's analyst and the gateway write the same database. This migration makes the rules
-- that keep it consistent hold whoever writes, in the database:
--   * the entity's period counters (current_period_number, last_period_id, total_periods,
--     first_analysis_at, avg_period_duration_hours) always equal what its periods say: they are
--     computed by entity_period_stats() on every insert, update and delete of a period, and a
--     write of them by anyone else (the analyst sets total_periods = next + 1) is replaced by the
--     computed values; they are recomputed once here for rows an earlier writer left stale;
--   * active period numbers stay dense for every write (insert, update, delete), checked when the
--     transaction commits (so a re-run can supersede a period and insert its replacement in one
--     transaction): a write that would leave a gap is refused, saying which number is missing;
--   * a metric value is a number when it is a JSON number or a string holding one ("246.6", as
--     the analyst writes some): metric_numeric() is that rule, used by detect_metric_anomalies(),
--     metrics_delta() (so recompute_metrics_delta()) and the gateway's series and trends;
--   * v_period_timeline keeps Crosshot's order (entity, then newest period first), which its code
--     reads with LIMIT.
-- A migration of the gateway's own, beyond alembic's revisions.

-- Up Migration
CREATE FUNCTION metric_numeric(p_value jsonb)
RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE jsonb_typeof(p_value)
        WHEN 'number' THEN (p_value::text)::numeric
        WHEN 'string' THEN CASE WHEN (p_value #>> '{}') ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]{1,2})?[ \t\n\r\f\v]*$'
                                THEN (p_value #>> '{}')::numeric END
    END
$$;

-- As float8 for the statistics; a value beyond float8's range counts as no number.
CREATE FUNCTION metric_number(p_value jsonb)
RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN abs(metric_numeric(p_value)) <= 1.7976931348623157e308 THEN metric_numeric(p_value)::float8 END
$$;

CREATE OR REPLACE FUNCTION metrics_delta(p_current jsonb, p_previous jsonb)
RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(jsonb_object_agg(cur.key, metric_numeric(cur.value) - metric_numeric(p_previous -> cur.key)), '{}'::jsonb)
    FROM jsonb_each(coalesce(p_current, '{}'::jsonb)) AS cur
    WHERE metric_numeric(cur.value) IS NOT NULL
      AND metric_numeric(p_previous -> cur.key) IS NOT NULL
$$;

CREATE OR REPLACE FUNCTION detect_metric_anomalies(
    p_entity_type varchar,
    p_entity_id uuid,
    p_metric_key text,
    p_threshold_factor float8 DEFAULT 2.0
)
RETURNS TABLE (
    period_id uuid,
    period_number integer,
    metric_value float8,
    avg_value float8,
    stddev_value float8,
    z_score float8
)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN QUERY
        WITH samples AS (
            SELECT ap.id, ap.period_number, metric_number(ap.metrics -> p_metric_key) AS value
            FROM analysis_periods ap
            WHERE ap.entity_type = p_entity_type
              AND ap.entity_id = p_entity_id
              AND ap.status = 'active'
        ),
        numeric_samples AS (
            SELECT * FROM samples s WHERE s.value IS NOT NULL
        ),
        stats AS (
            SELECT avg(s.value) AS mean, stddev_samp(s.value) AS sd FROM numeric_samples s
        )
        SELECT s.id, s.period_number, s.value, st.mean, st.sd, (s.value - st.mean) / st.sd
        FROM numeric_samples s CROSS JOIN stats st
        WHERE st.sd IS NOT NULL
          AND st.sd > 0
          AND abs((s.value - st.mean) / st.sd) > p_threshold_factor
        ORDER BY s.period_number DESC;
END
$$;

CREATE OR REPLACE VIEW v_period_timeline AS
SELECT
    ap.id,
    ap.entity_type,
    ap.entity_id,
    ap.period_number,
    ap.period_start,
    ap.period_end,
    ap.analyzed_at,
    ap.duration_hours,
    ap.status,
    ap.content_count,
    ap.summary_short,
    ap.insights,
    ap.metrics,
    ap.metrics_delta,
    ap.quality_score,
    ap.completeness_score,
    (SELECT count(*) FROM temporal_events te
      WHERE te.period_id = ap.id AND te.resolved_at IS NULL) AS unresolved_event_count,
    (SELECT count(*) FROM crawl_effectiveness ce WHERE ce.period_id = ap.id) AS crawl_task_count,
    ap.summary,
    ap.knowledge_version,
    ap.created_at,
    (SELECT count(*) FROM tasks t WHERE t.period_id = ap.id) AS tasks_linked_count
FROM analysis_periods ap
WHERE ap.status = 'active'
ORDER BY ap.entity_type, ap.entity_id, ap.period_number DESC;

-- What an entity's periods say of it: its newest active period (number and id), how many are
-- active and their mean length, and when it was first analysed (its earliest period that is or
-- was on the timeline: drafts and failed runs were not analyses).
CREATE FUNCTION entity_period_stats(p_entity_type varchar, p_entity_id uuid)
RETURNS TABLE (current_period_number integer, last_period_id uuid, total_periods integer, first_analysis_at timestamptz, avg_period_duration_hours float8)
LANGUAGE sql STABLE AS $$
    SELECT max(ap.period_number) FILTER (WHERE ap.status = 'active'),
           (array_agg(ap.id ORDER BY ap.period_number DESC) FILTER (WHERE ap.status = 'active'))[1],
           count(*) FILTER (WHERE ap.status = 'active')::int,
           min(ap.analyzed_at) FILTER (WHERE ap.status NOT IN ('draft', 'failed')),
           -- Summed in one order: a float sum depends on it, and the stored average must equal a
           -- recomputation bit for bit, whichever plan (and physical row order) either used.
           avg(ap.duration_hours ORDER BY ap.period_number, ap.id) FILTER (WHERE ap.status = 'active')
    FROM analysis_periods ap
    WHERE ap.entity_type = p_entity_type AND ap.entity_id = p_entity_id
$$;

-- BEFORE INSERT and BEFORE UPDATE OF the counters on topics and users: whoever writes them, they
-- get what entity_period_stats() computes (TG_ARGV[0] is the entity type of the table).
CREATE FUNCTION keep_entity_period_stats()
RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    SELECT s.current_period_number, s.last_period_id, s.total_periods, s.first_analysis_at, s.avg_period_duration_hours
      INTO NEW.current_period_number, NEW.last_period_id, NEW.total_periods, NEW.first_analysis_at, NEW.avg_period_duration_hours
      FROM entity_period_stats(TG_ARGV[0], NEW.id) s;
    RETURN NEW;
END
$$;

CREATE TRIGGER tr_topics_period_stats
    BEFORE INSERT OR UPDATE OF current_period_number, last_period_id, total_periods, first_analysis_at, avg_period_duration_hours ON topics
    FOR EACH ROW EXECUTE FUNCTION keep_entity_period_stats('topic');
CREATE TRIGGER tr_users_period_stats
    BEFORE INSERT OR UPDATE OF current_period_number, last_period_id, total_periods, first_analysis_at, avg_period_duration_hours ON users
    FOR EACH ROW EXECUTE FUNCTION keep_entity_period_stats('user');

-- Naming a counter is enough for the trigger above to compute them all.
CREATE OR REPLACE FUNCTION refresh_entity_period_stats(p_entity_type varchar, p_entity_id uuid)
RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    entity_table text := CASE p_entity_type WHEN 'topic' THEN 'topics' WHEN 'user' THEN 'users' END;
BEGIN
    IF entity_table IS NULL THEN
        RETURN;
    END IF;
    EXECUTE format('UPDATE %I SET total_periods = total_periods, updated_at = now() WHERE id = $1', entity_table) USING p_entity_id;
END
$$;

-- The gap check moves to the commit-time check below; inserts of any status bookkeep (a
-- superseded or archived period counts for first_analysis_at).
CREATE OR REPLACE FUNCTION after_period_insert()
RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    entity record;
BEGIN
    FOR entity IN SELECT DISTINCT n.entity_type, n.entity_id FROM inserted n LOOP
        PERFORM refresh_entity_period_stats(entity.entity_type, entity.entity_id);
    END LOOP;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION after_period_update()
RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refresh_entity_period_stats(NEW.entity_type, NEW.entity_id);
    IF (OLD.entity_type, OLD.entity_id) IS DISTINCT FROM (NEW.entity_type, NEW.entity_id) THEN
        PERFORM refresh_entity_period_stats(OLD.entity_type, OLD.entity_id);
    END IF;
    RETURN NULL;
END
$$;

DROP TRIGGER tr_analysis_periods_after_update ON analysis_periods;
CREATE TRIGGER tr_analysis_periods_after_update
    AFTER UPDATE OF status, period_number, duration_hours, analyzed_at, entity_type, entity_id ON analysis_periods
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.period_number IS DISTINCT FROM NEW.period_number
          OR OLD.duration_hours IS DISTINCT FROM NEW.duration_hours OR OLD.analyzed_at IS DISTINCT FROM NEW.analyzed_at
          OR OLD.entity_type IS DISTINCT FROM NEW.entity_type OR OLD.entity_id IS DISTINCT FROM NEW.entity_id)
    EXECUTE FUNCTION after_period_update();

CREATE FUNCTION after_period_delete()
RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    entity record;
BEGIN
    FOR entity IN SELECT DISTINCT d.entity_type, d.entity_id FROM deleted d LOOP
        PERFORM refresh_entity_period_stats(entity.entity_type, entity.entity_id);
    END LOOP;
    RETURN NULL;
END
$$;

CREATE TRIGGER tr_analysis_periods_after_delete
    AFTER DELETE ON analysis_periods
    REFERENCING OLD TABLE AS deleted
    FOR EACH STATEMENT EXECUTE FUNCTION after_period_delete();

-- At commit, for every period a transaction inserted, changed or deleted: if it is active, the
-- number before it (above 1) is active too; if it no longer holds an active number it held, that
-- number is filled again or no newer one follows it. So a period can be superseded and replaced
-- within a transaction, but no write leaves a hole in an entity's numbering.
CREATE FUNCTION check_period_numbers_dense()
RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    now_row record;
BEGIN
    IF TG_OP <> 'DELETE' THEN
        SELECT ap.entity_type, ap.entity_id, ap.period_number, ap.status INTO now_row FROM analysis_periods ap WHERE ap.id = NEW.id;
        IF FOUND AND now_row.status = 'active' AND now_row.period_number > 1 AND NOT EXISTS (
            SELECT 1 FROM analysis_periods ap
            WHERE ap.entity_type = now_row.entity_type AND ap.entity_id = now_row.entity_id
              AND ap.status = 'active' AND ap.period_number = now_row.period_number - 1) THEN
            RAISE EXCEPTION 'period % of % % would leave a gap: it has no active period %', now_row.period_number, now_row.entity_type, now_row.entity_id, now_row.period_number - 1
                USING ERRCODE = 'check_violation', TABLE = 'analysis_periods', COLUMN = 'period_number',
                      HINT = 'Active period numbers are dense: record the number after the newest active period.';
        END IF;
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.status = 'active'
       AND NOT EXISTS (SELECT 1 FROM analysis_periods ap
                       WHERE ap.entity_type = OLD.entity_type AND ap.entity_id = OLD.entity_id
                         AND ap.status = 'active' AND ap.period_number = OLD.period_number)
       AND EXISTS (SELECT 1 FROM analysis_periods ap
                   WHERE ap.entity_type = OLD.entity_type AND ap.entity_id = OLD.entity_id
                     AND ap.status = 'active' AND ap.period_number = OLD.period_number + 1) THEN
        RAISE EXCEPTION 'taking period % of % % off the timeline would leave a gap before period %', OLD.period_number, OLD.entity_type, OLD.entity_id, OLD.period_number + 1
            USING ERRCODE = 'check_violation', TABLE = 'analysis_periods', COLUMN = 'period_number',
                  HINT = 'Active period numbers are dense: supersede the period (its replacement takes its number) or take the newer periods off first.';
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER tr_analysis_periods_dense_numbers
    AFTER INSERT OR UPDATE OF status, period_number, entity_type, entity_id OR DELETE ON analysis_periods
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION check_period_numbers_dense();

-- Counters an earlier writer left stale are recomputed (only the rows that differ are written).
UPDATE topics t SET total_periods = t.total_periods
WHERE EXISTS (SELECT 1 FROM entity_period_stats('topic', t.id) s
              WHERE (t.current_period_number, t.last_period_id, t.total_periods, t.first_analysis_at, t.avg_period_duration_hours)
                    IS DISTINCT FROM (s.current_period_number, s.last_period_id, s.total_periods, s.first_analysis_at, s.avg_period_duration_hours));
UPDATE users u SET total_periods = u.total_periods
WHERE EXISTS (SELECT 1 FROM entity_period_stats('user', u.id) s
              WHERE (u.current_period_number, u.last_period_id, u.total_periods, u.first_analysis_at, u.avg_period_duration_hours)
                    IS DISTINCT FROM (s.current_period_number, s.last_period_id, s.total_periods, s.first_analysis_at, s.avg_period_duration_hours));

-- Down Migration
DROP TRIGGER tr_analysis_periods_dense_numbers ON analysis_periods;
DROP FUNCTION check_period_numbers_dense();
DROP TRIGGER tr_analysis_periods_after_delete ON analysis_periods;
DROP FUNCTION after_period_delete();
DROP TRIGGER tr_topics_period_stats ON topics;
DROP TRIGGER tr_users_period_stats ON users;
DROP FUNCTION keep_entity_period_stats();

DROP TRIGGER tr_analysis_periods_after_update ON analysis_periods;
CREATE TRIGGER tr_analysis_periods_after_update
    AFTER UPDATE OF status, period_number, duration_hours, analyzed_at ON analysis_periods
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.period_number IS DISTINCT FROM NEW.period_number
          OR OLD.duration_hours IS DISTINCT FROM NEW.duration_hours OR OLD.analyzed_at IS DISTINCT FROM NEW.analyzed_at)
    EXECUTE FUNCTION after_period_update();

CREATE OR REPLACE FUNCTION after_period_update()
RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refresh_entity_period_stats(NEW.entity_type, NEW.entity_id);
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION after_period_insert()
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

CREATE OR REPLACE FUNCTION refresh_entity_period_stats(p_entity_type varchar, p_entity_id uuid)
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
DROP FUNCTION entity_period_stats(varchar, uuid);

CREATE OR REPLACE VIEW v_period_timeline AS
SELECT
    ap.id,
    ap.entity_type,
    ap.entity_id,
    ap.period_number,
    ap.period_start,
    ap.period_end,
    ap.analyzed_at,
    ap.duration_hours,
    ap.status,
    ap.content_count,
    ap.summary_short,
    ap.insights,
    ap.metrics,
    ap.metrics_delta,
    ap.quality_score,
    ap.completeness_score,
    (SELECT count(*) FROM temporal_events te
      WHERE te.period_id = ap.id AND te.resolved_at IS NULL) AS unresolved_event_count,
    (SELECT count(*) FROM crawl_effectiveness ce WHERE ce.period_id = ap.id) AS crawl_task_count,
    ap.summary,
    ap.knowledge_version,
    ap.created_at,
    (SELECT count(*) FROM tasks t WHERE t.period_id = ap.id) AS tasks_linked_count
FROM analysis_periods ap
WHERE ap.status = 'active';

CREATE OR REPLACE FUNCTION detect_metric_anomalies(
    p_entity_type varchar,
    p_entity_id uuid,
    p_metric_key text,
    p_threshold_factor float8 DEFAULT 2.0
)
RETURNS TABLE (
    period_id uuid,
    period_number integer,
    metric_value float8,
    avg_value float8,
    stddev_value float8,
    z_score float8
)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN QUERY
        WITH samples AS (
            SELECT ap.id, ap.period_number,
                   CASE WHEN jsonb_typeof(ap.metrics -> p_metric_key) = 'number' THEN (ap.metrics ->> p_metric_key)::float8 END AS value
            FROM analysis_periods ap
            WHERE ap.entity_type = p_entity_type
              AND ap.entity_id = p_entity_id
              AND ap.status = 'active'
        ),
        numeric_samples AS (
            SELECT * FROM samples s WHERE s.value IS NOT NULL
        ),
        stats AS (
            SELECT avg(s.value) AS mean, stddev_samp(s.value) AS sd FROM numeric_samples s
        )
        SELECT s.id, s.period_number, s.value, st.mean, st.sd, (s.value - st.mean) / st.sd
        FROM numeric_samples s CROSS JOIN stats st
        WHERE st.sd IS NOT NULL
          AND st.sd > 0
          AND abs((s.value - st.mean) / st.sd) > p_threshold_factor
        ORDER BY s.period_number DESC;
END
$$;

CREATE OR REPLACE FUNCTION metrics_delta(p_current jsonb, p_previous jsonb)
RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(jsonb_object_agg(cur.key, (cur.value::text)::numeric - (p_previous ->> cur.key)::numeric), '{}'::jsonb)
    FROM jsonb_each(coalesce(p_current, '{}'::jsonb)) AS cur
    WHERE jsonb_typeof(cur.value) = 'number'
      AND jsonb_typeof(p_previous -> cur.key) = 'number'
$$;
DROP FUNCTION metric_number(jsonb);
DROP FUNCTION metric_numeric(jsonb);
