-- Aligns the views and functions with what Crosshot's own code reads and calls, on every
-- database the gateway runs on: one whose 0003 the gateway ran, and one Alembic's revision
-- 20260301_0300 built (adopted as 0003), which differs:
--   * v_crawl_effectiveness_ranking has 11 columns (no id, period_id, coverage_ratio,
--     recommendations); v_period_timeline carries insights, metrics and metrics_delta and its
--     crawl_task_count counts the period's crawl_effectiveness rows;
--   * recompute_metrics_delta() is a placeholder that overwrites real deltas with a note;
--   * detect_metric_anomalies() fails when any period holds a non-numeric value for the key;
--   * get_content_timeline() has no deterministic order among equal relevance.
-- The views become supersets (every column of Crosshot's, with Crosshot's meaning, plus the
-- gateway's); the functions keep Crosshot's argument names, so existing callers keep working.
-- What is replaced is kept in gateway_replaced_definitions, and the Down part puts exactly
-- that back: the database can be handed back to Alembic as it was.

-- Up Migration
CREATE TABLE gateway_replaced_definitions (
    object_name  text PRIMARY KEY,
    object_kind  text NOT NULL CHECK (object_kind IN ('view', 'function')),
    definition   text NOT NULL,
    replaced_at  timestamptz NOT NULL DEFAULT now()
);

INSERT INTO gateway_replaced_definitions (object_name, object_kind, definition)
SELECT c.relname, 'view', format('CREATE VIEW %I AS %s', c.relname, pg_get_viewdef(c.oid))
FROM pg_class c
WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'v'
  AND c.relname IN ('v_period_timeline', 'v_crawl_effectiveness_ranking')
UNION ALL
SELECT p.oid::regprocedure::text, 'function', pg_get_functiondef(p.oid)
FROM pg_proc p
WHERE p.pronamespace = 'public'::regnamespace
  AND p.proname IN ('get_content_timeline', 'detect_metric_anomalies', 'recompute_metrics_delta');

DROP VIEW v_period_timeline;
DROP VIEW v_crawl_effectiveness_ranking;
DO $$
DECLARE
    routine regprocedure;
BEGIN
    FOR routine IN SELECT p.oid::regprocedure FROM pg_proc p
                   WHERE p.pronamespace = 'public'::regnamespace
                     AND p.proname IN ('get_content_timeline', 'detect_metric_anomalies', 'recompute_metrics_delta')
    LOOP
        EXECUTE format('DROP FUNCTION %s', routine);
    END LOOP;
END
$$;

-- Crosshot's columns first, in their meaning (crawl_task_count: the period's
-- crawl_effectiveness rows), then the gateway's (tasks_linked_count: tasks pointing at it).
CREATE VIEW v_period_timeline AS
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

-- "Recent" is the 3 newest rows of the same entity and platform; the window is partitioned
-- by those columns so a filter on entity is pushed below it.
CREATE VIEW v_crawl_effectiveness_ranking AS
WITH ranked AS (
    SELECT
        ce.*,
        row_number() OVER (PARTITION BY ce.entity_type, ce.entity_id, ce.platform
                           ORDER BY ce.created_at DESC, ce.id DESC) AS recency_rank
    FROM crawl_effectiveness ce
)
SELECT
    r.entity_type,
    r.entity_id,
    r.platform,
    r.query,
    r.effectiveness_score,
    r.total_found,
    r.relevant_count,
    r.high_value_count,
    r.avg_relevance,
    r.created_at,
    avg(r.effectiveness_score) FILTER (WHERE r.recency_rank <= 3)
        OVER (PARTITION BY r.entity_type, r.entity_id, r.platform) AS recent_avg_effectiveness,
    r.id,
    r.period_id,
    r.coverage_ratio,
    r.recommendations
FROM ranked r
ORDER BY r.effectiveness_score DESC NULLS LAST;

-- The flat {"key": current - previous} delta over the keys numeric in both: the one
-- definition of the formula, used by recompute_metrics_delta() and by the gateway's writes.
CREATE FUNCTION metrics_delta(p_current jsonb, p_previous jsonb)
RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(jsonb_object_agg(cur.key, (cur.value::text)::numeric - (p_previous ->> cur.key)::numeric), '{}'::jsonb)
    FROM jsonb_each(coalesce(p_current, '{}'::jsonb)) AS cur
    WHERE jsonb_typeof(cur.value) = 'number'
      AND jsonb_typeof(p_previous -> cur.key) = 'number'
$$;

CREATE FUNCTION recompute_metrics_delta(p_period_id uuid)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    target analysis_periods%ROWTYPE;
    previous_metrics jsonb;
    delta jsonb;
BEGIN
    SELECT * INTO target FROM analysis_periods WHERE id = p_period_id AND status = 'active';
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;

    SELECT ap.metrics INTO previous_metrics
    FROM analysis_periods ap
    WHERE ap.entity_type = target.entity_type
      AND ap.entity_id = target.entity_id
      AND ap.period_number = target.period_number - 1
      AND ap.status = 'active';

    delta := CASE WHEN previous_metrics IS NULL THEN '{}'::jsonb ELSE metrics_delta(target.metrics, previous_metrics) END;
    UPDATE analysis_periods SET metrics_delta = delta, updated_at = now() WHERE id = p_period_id;
    RETURN delta;
END
$$;

-- Only JSON numbers count (a string such as "12" does not, and neither breaks the query).
CREATE FUNCTION detect_metric_anomalies(
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

CREATE FUNCTION get_content_timeline(
    p_entity_type varchar,
    p_entity_id uuid,
    p_start_time timestamptz DEFAULT NULL,
    p_end_time timestamptz DEFAULT NULL,
    p_min_relevance float8 DEFAULT 0
)
RETURNS TABLE (
    content_id uuid,
    period_id uuid,
    period_number integer,
    contribution_type varchar,
    relevance_score float8,
    text_snapshot text,
    period_start timestamptz,
    period_end timestamptz
)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN QUERY
        SELECT pcs.content_id, ap.id, ap.period_number, pcs.contribution_type::varchar,
               pcs.relevance_score, pcs.text_snapshot, ap.period_start, ap.period_end
        FROM analysis_periods ap
        JOIN period_content_snapshots pcs ON pcs.period_id = ap.id
        WHERE ap.entity_type = p_entity_type
          AND ap.entity_id = p_entity_id
          AND ap.status = 'active'
          AND (p_start_time IS NULL OR ap.period_start >= p_start_time)
          AND (p_end_time IS NULL OR ap.period_end <= p_end_time)
          AND (pcs.relevance_score IS NULL OR pcs.relevance_score >= p_min_relevance)
        ORDER BY ap.period_number DESC, pcs.relevance_score DESC NULLS LAST, pcs.content_id;
END
$$;

-- Down Migration
DROP VIEW v_period_timeline;
DROP VIEW v_crawl_effectiveness_ranking;
DROP FUNCTION get_content_timeline(varchar, uuid, timestamptz, timestamptz, float8);
DROP FUNCTION detect_metric_anomalies(varchar, uuid, text, float8);
DROP FUNCTION recompute_metrics_delta(uuid);
DROP FUNCTION metrics_delta(jsonb, jsonb);
DO $$
DECLARE
    saved record;
BEGIN
    FOR saved IN SELECT definition FROM gateway_replaced_definitions ORDER BY object_kind, object_name LOOP
        EXECUTE saved.definition;
    END LOOP;
END
$$;
DROP TABLE gateway_replaced_definitions;
