-- Views, the metrics-trend materialized view and the PL/pgSQL functions
-- (alembic revision 20260301_0300). Every view reads active periods only: superseded,
-- draft, failed and archived periods stay in analysis_periods for audit but are not timeline.

-- Up Migration
-- Crosshot's timeline view, with its columns and its order (entity, then newest period first:
-- Crosshot's code reads it with LIMIT); crawl_task_count counts the period's crawl-effectiveness
-- records, as Crosshot's does.
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
    (SELECT count(*) FROM crawl_effectiveness ce WHERE ce.period_id = ap.id) AS crawl_task_count
FROM analysis_periods ap
WHERE ap.status = 'active'
ORDER BY ap.entity_type, ap.entity_id, ap.period_number DESC;

CREATE VIEW v_entity_timeline_summary AS
SELECT
    ap.entity_type,
    ap.entity_id,
    count(*) AS total_periods,
    min(ap.period_start) AS first_period_start,
    max(ap.period_end) AS last_period_end,
    avg(ap.duration_hours) AS avg_period_duration,
    sum(ap.content_count) AS total_content_across_periods,
    avg(ap.quality_score) AS avg_quality_score,
    avg(ap.completeness_score) AS avg_completeness_score
FROM analysis_periods ap
WHERE ap.status = 'active'
GROUP BY ap.entity_type, ap.entity_id;

-- Crosshot's 11 columns. "Recent" is the 3 newest rows of the same entity and platform; the
-- window is partitioned by those columns so a filter on entity is pushed below it.
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
        OVER (PARTITION BY r.entity_type, r.entity_id, r.platform) AS recent_avg_effectiveness
FROM ranked r
ORDER BY r.effectiveness_score DESC NULLS LAST;

CREATE MATERIALIZED VIEW mv_period_metrics_trend AS
SELECT
    ap.entity_type,
    ap.entity_id,
    ap.period_number,
    ap.analyzed_at,
    ap.metrics,
    ap.metrics_delta,
    lag(ap.metrics, 1) OVER entity_timeline AS prev_metrics,
    lag(ap.metrics, 2) OVER entity_timeline AS prev_prev_metrics
FROM analysis_periods ap
WHERE ap.status = 'active'
WINDOW entity_timeline AS (PARTITION BY ap.entity_type, ap.entity_id ORDER BY ap.period_number)
WITH DATA;

CREATE FUNCTION get_period_by_number(p_entity_type varchar, p_entity_id uuid, p_period_number integer)
RETURNS SETOF analysis_periods
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN QUERY
        SELECT ap.*
        FROM analysis_periods ap
        WHERE ap.entity_type = p_entity_type
          AND ap.entity_id = p_entity_id
          AND ap.period_number = p_period_number
          AND ap.status = 'active';
END
$$;

-- Crosshot's argument names; equal relevance ordered by content id, so the order is deterministic.
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
        SELECT pcs.content_id, ap.id, ap.period_number, pcs.contribution_type,
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

-- Crosshot's argument names and meaning: a metric is a number when it is a JSON number or a
-- string holding one ("246.6"); any other value is skipped (Crosshot's cast failed on it).
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
            SELECT ap.id, ap.period_number, (ap.metrics ->> p_metric_key)::float8 AS value
            FROM analysis_periods ap
            WHERE ap.entity_type = p_entity_type
              AND ap.entity_id = p_entity_id
              AND ap.status = 'active'
              AND (jsonb_typeof(ap.metrics -> p_metric_key) = 'number'
                   OR (ap.metrics ->> p_metric_key) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]{1,2})?[ \t\n\r\f\v]*$')
        ),
        stats AS (
            SELECT avg(s.value) AS mean, stddev_samp(s.value) AS sd FROM samples s
        )
        SELECT s.id, s.period_number, s.value, st.mean, st.sd, (s.value - st.mean) / st.sd
        FROM samples s CROSS JOIN stats st
        WHERE st.sd IS NOT NULL
          AND st.sd > 0
          AND abs((s.value - st.mean) / st.sd) > p_threshold_factor
        ORDER BY s.period_number DESC;
END
$$;

-- The flat {"key": current - previous} shape is what the analyst writes and the web
-- timeline reads; richer per-metric detail is computed in the GraphQL layer.
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

    IF previous_metrics IS NULL THEN
        delta := '{}'::jsonb;
    ELSE
        SELECT coalesce(jsonb_object_agg(cur.key, (cur.value::text)::numeric - (previous_metrics ->> cur.key)::numeric), '{}'::jsonb)
        INTO delta
        FROM jsonb_each(target.metrics) AS cur
        WHERE jsonb_typeof(cur.value) = 'number'
          AND jsonb_typeof(previous_metrics -> cur.key) = 'number';
    END IF;

    UPDATE analysis_periods SET metrics_delta = delta, updated_at = now() WHERE id = p_period_id;
    RETURN delta;
END
$$;

-- REFRESH ... CONCURRENTLY refuses a materialized view without a unique index. Alembic's 0300
-- made a plain one (idx_mv_period_metrics_entity); adopting such a database builds this one
-- (or counts an equivalent unique index an operator added by hand, whatever its name).
-- Finishing Steps
CREATE UNIQUE INDEX uq_mv_period_metrics_trend_entity_period ON mv_period_metrics_trend (entity_type, entity_id, period_number);

-- Down Migration
DROP FUNCTION recompute_metrics_delta(uuid);
DROP FUNCTION detect_metric_anomalies(varchar, uuid, text, float8);
DROP FUNCTION get_content_timeline(varchar, uuid, timestamptz, timestamptz, float8);
DROP FUNCTION get_period_by_number(varchar, uuid, integer);
DROP MATERIALIZED VIEW mv_period_metrics_trend;
DROP VIEW v_crawl_effectiveness_ranking;
DROP VIEW v_entity_timeline_summary;
DROP VIEW v_period_timeline;
