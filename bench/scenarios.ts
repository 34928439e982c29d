/**
 * The benchmark's read scenarios: the GraphQL document the gateway answers, and the one
 * hand-written SQL statement with which the floor server (bench/floor.ts) answers the same
 * question, rendering the JSON in PostgreSQL. The runner checks that both return equal data.
 */

/** A timestamp as the gateway's DateTime prints it (JavaScript's toISOString: UTC, milliseconds). */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The topics list's order (pinned first, then position, name, id). */
const TOPIC_ORDER = 'is_pinned DESC, position ASC, name ASC, id ASC';

const PERIOD_FIELDS = (p: string) =>
  `'periodNumber', ${p}.period_number, 'periodStart', ${iso(`${p}.period_start`)}, 'periodEnd', ${iso(`${p}.period_end`)},
   'summaryShort', ${p}.summary_short, 'metrics', ${p}.metrics`;

/** The newest `n` active periods of entity `e` as a JSON edge list, newest first. */
const periodEdges = (entity: string, n: number, extra = '') => `
  (SELECT COALESCE(json_agg(json_build_object('node', json_build_object(${PERIOD_FIELDS('p')}${extra})) ORDER BY p.period_number DESC), '[]')
   FROM (SELECT * FROM analysis_periods ap
         WHERE ap.entity_type = 'topic' AND ap.entity_id = ${entity}.id AND ap.status = 'active'
         ORDER BY ap.period_number DESC LIMIT ${n}) p)`;

const EVENTS_AND_CRAWL = `,
   'events', (SELECT COALESCE(json_agg(json_build_object('title', te.title, 'severity', upper(te.severity), 'resolvedAt', ${iso('te.resolved_at')})
                                       ORDER BY te.first_detected_at, te.id), '[]')
              FROM temporal_events te WHERE te.period_id = p.id),
   'crawlEffectiveness', (SELECT COALESCE(json_agg(json_build_object('query', ce.query, 'effectivenessScore', ce.effectiveness_score)
                                                   ORDER BY ce.effectiveness_score DESC NULLS LAST, ce.id), '[]')
                          FROM crawl_effectiveness ce WHERE ce.period_id = p.id)`;

/** Metric changes between two metric maps, as MetricChange objects sorted by key (see services/periods/metricChanges.ts). */
const metricChanges = (before: string, after: string) => `
  (SELECT COALESCE(json_agg(json_build_object(
            'key', k.key, 'previous', ${before} -> k.key, 'current', ${after} -> k.key,
            'absolute', CASE WHEN num.b IS NOT NULL AND num.a IS NOT NULL THEN num.a - num.b END,
            'percent', CASE WHEN num.b IS NOT NULL AND num.a IS NOT NULL AND num.b <> 0 THEN (num.a - num.b) / num.b * 100 END)
          ORDER BY k.key COLLATE "C"), '[]')
   FROM (SELECT jsonb_object_keys(${before}) AS key UNION SELECT jsonb_object_keys(${after})) k
   CROSS JOIN LATERAL (
     SELECT CASE WHEN jsonb_typeof(${before} -> k.key) = 'number' THEN (${before} ->> k.key)::float8 END AS b,
            CASE WHEN jsonb_typeof(${after} -> k.key) = 'number' THEN (${after} ->> k.key)::float8 END AS a) num)`;

export interface Scenario {
  name: string;
  description: string;
  query: string;
  /** Variables; `$topic` is replaced by the benchmark topic's id. */
  variables: Record<string, unknown>;
  /** The floor's statement: one row whose `body` column is the whole response, or (rowsAs) rows joined into it. */
  floorSql: string;
  /** For a statement returning one row per item: the JSON around the comma-joined rows. */
  rowsAs?: { prefix: string; suffix: string };
}

/** The read path's goals (issue 21): each scenario's throughput as a ratio to the floor's, measured in the same rounds. */
export const RATIO_GOALS: Record<string, number> = { Q1: 0.7, Q2: 0.5, Q3: 0.65, Q4: 0.55 };
/** Other goals: RSS under load, and p99 at the largest scale over p99 at the smallest. */
export const RSS_GOAL_MIB = 300;
export const P99_GROWTH_GOAL = 1.5;

export const SCENARIOS: Scenario[] = [
  {
    name: 'Q1',
    description: 'nested timeline: 20 topics x 10 periods x (events, crawl effectiveness)',
    query: `query Q1 {
  topics(first: 20) { edges { node { id name
    periods(first: 10) { edges { node { periodNumber periodStart periodEnd summaryShort metrics
      events { title severity resolvedAt }
      crawlEffectiveness { query effectivenessScore } } } } } } }
}`,
    variables: {},
    floorSql: `SELECT json_build_object('node', json_build_object('id', t.id, 'name', t.name,
                 'periods', json_build_object('edges', ${periodEdges('t', 10, EVENTS_AND_CRAWL)})))::text AS body
               FROM (SELECT id, name, is_pinned, position FROM topics ORDER BY ${TOPIC_ORDER} LIMIT 20) t
               ORDER BY ${TOPIC_ORDER}`,
    rowsAs: { prefix: '{"data":{"topics":{"edges":[', suffix: ']}}}' },
  },
  {
    name: 'Q2',
    description: 'one topic with its newest 20 periods',
    query: `query Q2($id: ID!) {
  topic(id: $id) { id name status totalPeriods currentPeriodNumber
    periods(first: 20) { edges { node { periodNumber periodStart periodEnd summaryShort metrics } } } }
}`,
    variables: { id: '$topic' },
    floorSql: `SELECT json_build_object('data', json_build_object('topic', json_build_object(
                 'id', t.id, 'name', t.name, 'status', t.status, 'totalPeriods', t.total_periods, 'currentPeriodNumber', t.current_period_number,
                 'periods', json_build_object('edges', ${periodEdges('t', 20)}))))::text AS body
               FROM topics t WHERE t.id = $1`,
  },
  {
    name: 'Q3',
    description: 'analysis: comparePeriods(1, 40) + anomalies + metricTrend(last 20)',
    query: `query Q3($id: ID!) {
  comparePeriods(entityType: TOPIC, entityId: $id, from: 1, to: 40) {
    elapsedHours
    metrics { key previous current absolute percent }
    eventsOpened { id title } eventsResolved { id title } eventsOngoing { id title }
    contentOverlap { shared onlyFrom onlyTo }
    contentCountChange qualityChange completenessChange
  }
  topic(id: $id) {
    anomalies(metric: "total_posts", threshold: 1.5) { periodNumber metricValue zScore }
    metricTrend(metric: "total_posts", last: 20) { periodNumber value previousValue }
  }
}`,
    variables: { id: '$topic' },
    floorSql: `WITH f AS (SELECT * FROM analysis_periods WHERE entity_type = 'topic' AND entity_id = $1::uuid AND period_number = 1 AND status = 'active'),
                    t AS (SELECT * FROM analysis_periods WHERE entity_type = 'topic' AND entity_id = $1::uuid AND period_number = 40 AND status = 'active'),
                    ev AS (SELECT te.id, te.title, te.first_detected_at, te.resolved_at FROM temporal_events te, f, t
                           WHERE te.entity_type = 'topic' AND te.entity_id = $1::uuid AND te.first_detected_at <= t.period_end
                             AND (te.first_detected_at > f.period_end OR te.resolved_at IS NULL OR te.resolved_at > f.period_end)),
                    snap AS (SELECT s.period_id, s.content_id FROM period_content_snapshots s WHERE s.period_id IN (SELECT id FROM f UNION ALL SELECT id FROM t))
               SELECT json_build_object('data', json_build_object(
                 'comparePeriods', json_build_object(
                   'elapsedHours', EXTRACT(EPOCH FROM t.period_end - f.period_end)::float8 / 3600,
                   'metrics', ${metricChanges('f.metrics', 't.metrics')},
                   'eventsOpened', (SELECT COALESCE(json_agg(json_build_object('id', id, 'title', title) ORDER BY first_detected_at, id), '[]')
                                    FROM ev WHERE first_detected_at > f.period_end),
                   'eventsResolved', (SELECT COALESCE(json_agg(json_build_object('id', id, 'title', title) ORDER BY first_detected_at, id), '[]')
                                      FROM ev WHERE resolved_at > f.period_end AND resolved_at <= t.period_end),
                   'eventsOngoing', (SELECT COALESCE(json_agg(json_build_object('id', id, 'title', title) ORDER BY first_detected_at, id), '[]')
                                     FROM ev WHERE resolved_at IS NULL OR resolved_at > t.period_end),
                   'contentOverlap', (SELECT json_build_object(
                       'shared', count(*) FILTER (WHERE a.content_id IS NOT NULL AND b.content_id IS NOT NULL),
                       'onlyFrom', count(*) FILTER (WHERE b.content_id IS NULL), 'onlyTo', count(*) FILTER (WHERE a.content_id IS NULL))
                     FROM (SELECT content_id FROM snap WHERE period_id = f.id) a
                     FULL JOIN (SELECT content_id FROM snap WHERE period_id = t.id) b ON a.content_id = b.content_id),
                   'contentCountChange', t.content_count - f.content_count,
                   'qualityChange', t.quality_score - f.quality_score,
                   'completenessChange', t.completeness_score - f.completeness_score),
                 'topic', json_build_object(
                   'anomalies', (SELECT COALESCE(json_agg(json_build_object('periodNumber', a.period_number, 'metricValue', a.metric_value,
                                                                            'zScore', a.z_score) ORDER BY a.period_number DESC), '[]')
                                 FROM detect_metric_anomalies('topic', $1::uuid, 'total_posts', 1.5) a),
                   'metricTrend', (SELECT COALESCE(json_agg(json_build_object('periodNumber', m.period_number,
                                     'value', CASE WHEN jsonb_typeof(m.metrics -> 'total_posts') = 'number' THEN (m.metrics ->> 'total_posts')::float8 END,
                                     'previousValue', CASE WHEN jsonb_typeof(m.prev_metrics -> 'total_posts') = 'number' THEN (m.prev_metrics ->> 'total_posts')::float8 END)
                                   ORDER BY m.period_number), '[]')
                                   FROM (SELECT * FROM mv_period_metrics_trend
                                         WHERE entity_type = 'topic' AND entity_id = $1::uuid AND metrics ? 'total_posts'
                                         ORDER BY period_number DESC LIMIT 20) m))))::text AS body
               FROM f, t`,
  },
  {
    name: 'Q4',
    description: 'temporal analytics: metricSeries by WEEK with PREVIOUS fill over the whole history + eventStats over the last 30 days',
    query: `query Q4($id: ID!) {
  topic(id: $id) {
    metricSeries(metric: "total_posts", bucket: WEEK, fill: PREVIOUS) { start end value periodCount filled }
    eventStats(window: { last: "30d" }) {
      opened resolved stillOpen timeToResolveP50Hours timeToResolveP90Hours timeToResolveMaxHours
      bySeverity { key opened resolved stillOpen }
    }
  }
}`,
    variables: { id: '$topic' },
    floorSql: `WITH p0 AS (SELECT period_start, period_end, (metrics ->> 'total_posts')::float8 AS v FROM analysis_periods
                         WHERE entity_type = 'topic' AND entity_id = $1::uuid AND status = 'active' AND jsonb_typeof(metrics -> 'total_posts') = 'number'),
                    b AS (SELECT s AT TIME ZONE 'UTC' AS bstart, (s + interval '1 week') AT TIME ZONE 'UTC' AS bend
                          FROM generate_series(date_trunc('week', (SELECT min(period_start) FROM p0) AT TIME ZONE 'UTC'),
                                               (SELECT max(period_end) FROM p0) AT TIME ZONE 'UTC' - interval '1 microsecond', interval '1 week') s),
                    o AS (SELECT b.bstart, b.bend, p0.v, extract(epoch FROM least(p0.period_end, b.bend) - greatest(p0.period_start, b.bstart))::float8 AS overlap
                          FROM b LEFT JOIN p0 ON p0.period_start < b.bend AND p0.period_end > b.bstart),
                    agg AS (SELECT bstart, bend, count(v)::int AS n, sum(v * overlap) / NULLIF(sum(overlap), 0) AS value FROM o GROUP BY bstart, bend),
                    g AS (SELECT agg.*, count(value) OVER (ORDER BY bstart) AS grp FROM agg),
                    series AS (SELECT bstart, bend, n, COALESCE(value, first_value(value) OVER (PARTITION BY grp ORDER BY bstart)) AS value FROM g),
                    e AS (SELECT severity, first_detected_at >= now() - interval '30 days' AND first_detected_at < now() AS opened,
                                 resolved_at >= now() - interval '30 days' AND resolved_at < now() AS resolved,
                                 (resolved_at IS NULL OR resolved_at >= now()) AS still_open,
                                 (extract(epoch FROM resolved_at - first_detected_at) / 3600)::float8 AS hours
                          FROM temporal_events WHERE entity_type = 'topic' AND entity_id = $1::uuid AND first_detected_at < now())
               SELECT json_build_object('data', json_build_object('topic', json_build_object(
                 'metricSeries', (SELECT COALESCE(json_agg(json_build_object('start', ${iso('bstart')}, 'end', ${iso('bend')}, 'value', value,
                                                                              'periodCount', n, 'filled', n = 0) ORDER BY bstart), '[]') FROM series),
                 'eventStats', (SELECT json_build_object(
                     'opened', count(*) FILTER (WHERE opened), 'resolved', count(*) FILTER (WHERE resolved), 'stillOpen', count(*) FILTER (WHERE still_open),
                     'timeToResolveP50Hours', percentile_cont(0.5) WITHIN GROUP (ORDER BY hours) FILTER (WHERE resolved),
                     'timeToResolveP90Hours', percentile_cont(0.9) WITHIN GROUP (ORDER BY hours) FILTER (WHERE resolved),
                     'timeToResolveMaxHours', max(hours) FILTER (WHERE resolved),
                     'bySeverity', (SELECT COALESCE(json_agg(json_build_object('key', upper(c.severity), 'opened', c.opened, 'resolved', c.resolved,
                                                                               'stillOpen', c.still_open) ORDER BY c.severity), '[]')
                                    FROM (SELECT severity, count(*) FILTER (WHERE opened) AS opened, count(*) FILTER (WHERE resolved) AS resolved,
                                                 count(*) FILTER (WHERE still_open) AS still_open
                                          FROM e WHERE opened OR resolved OR still_open GROUP BY severity) c))
                   FROM e))))::text AS body`,
  },
];

/** Replaces the `$topic` placeholder in a scenario's variables. */
export function variablesFor(scenario: Pick<Scenario, 'variables'>, topicId: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(scenario.variables).map(([k, v]) => [k, v === '$topic' ? topicId : v]));
}

/** The topic Q2 and Q3 read: the first in the topics list. */
export const BENCH_TOPIC_SQL = `SELECT id FROM topics ORDER BY ${TOPIC_ORDER} LIMIT 1`;
