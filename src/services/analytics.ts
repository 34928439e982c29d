import { empty, join, queryRows, raw, sql, type Sql } from '../db/sql.js';
import type { Queryable } from '../db/queryable.js';
import { badUserInput } from '../errors.js';
import { decodeCursor, encodeCursor, type Page } from './pagination.js';
import { entityKeysTable, groupByKey, type EntityKey } from './entityKeys.js';
import { numericMetric } from './metricSeries.js';
import { defineRead } from './sqlReads.js';

/**
 * The views, the materialized view and detect_metric_anomalies(), read for many entities in
 * one statement each.
 */

export interface EntityTimelineSummary {
  totalPeriods: number;
  firstPeriodStart: Date;
  lastPeriodEnd: Date;
  avgPeriodDurationHours: number | null;
  totalContentAcrossPeriods: number;
  avgQualityScore: number | null;
  avgCompletenessScore: number | null;
  /** Time covered by active periods / (last end − first start): below 1 when the timeline has holes. */
  coverageRatio: number | null;
}

/** v_entity_timeline_summary; null for an entity without active periods. */
export async function timelineSummaries(db: Queryable, keys: EntityKey[]): Promise<(EntityTimelineSummary | null)[]> {
  const rows = await queryRows<(EntityTimelineSummary & { ord: string })>(
    db,
    sql`
    SELECT k.ord, s.total_periods::int AS "totalPeriods", s.first_period_start AS "firstPeriodStart",
           s.last_period_end AS "lastPeriodEnd", s.avg_period_duration::float8 AS "avgPeriodDurationHours",
           s.total_content_across_periods::int AS "totalContentAcrossPeriods",
           s.avg_quality_score::float8 AS "avgQualityScore", s.avg_completeness_score::float8 AS "avgCompletenessScore",
           (SELECT sum(extract(epoch FROM ap.period_end - ap.period_start)) FROM analysis_periods ap
            WHERE ap.entity_type = k.entity_type AND ap.entity_id = k.entity_id AND ap.status = 'active')::float8
             / NULLIF(extract(epoch FROM s.last_period_end - s.first_period_start), 0)::float8 AS "coverageRatio"
    FROM ${entityKeysTable(keys)}
    JOIN v_entity_timeline_summary s ON s.entity_type = k.entity_type AND s.entity_id = k.entity_id`,
  );
  return groupByKey(keys, rows).map((group) => group[0] ?? null);
}

/**
 * What a trend point can hold besides its period number: the view's columns, the metric asked
 * for, and that metric's value in the period and in the two before it (null where it is not a
 * number there, or no metric was asked for).
 */
export const TREND_COLUMNS = ['analyzedAt', 'metrics', 'metricsDelta', 'prevMetrics', 'prevPrevMetrics', 'metric', 'value', 'previousValue', 'previousPreviousValue'] as const;
export type TrendColumn = (typeof TREND_COLUMNS)[number];

/** A point of the trend: its period number and the columns asked for (the others absent). */
export interface MetricTrendPoint {
  periodNumber: number;
  /** A Date read as a row, an ISO string read inside the entity's statement. */
  analyzedAt?: Date | string;
  metrics?: unknown;
  metricsDelta?: unknown;
  prevMetrics?: unknown;
  prevPrevMetrics?: unknown;
  metric?: string | null;
  value?: number | null;
  previousValue?: number | null;
  previousPreviousValue?: number | null;
}

export interface TrendOptions {
  metric?: string | null;
  /** The newest `last` points (null: all of them; the API always gives a number). */
  last: number | null;
  /** The columns to read (only those a request selects: the metrics are whole JSON documents). */
  columns: readonly TrendColumn[];
}

/** Each column's expression over the view's row `t`. */
function trendColumn(column: TrendColumn, metric: string | null | undefined): Sql {
  switch (column) {
    case 'analyzedAt':
      return sql`t.analyzed_at`;
    case 'metrics':
      return sql`t.metrics`;
    case 'metricsDelta':
      return sql`t.metrics_delta`;
    case 'prevMetrics':
      return sql`t.prev_metrics`;
    case 'prevPrevMetrics':
      return sql`t.prev_prev_metrics`;
    case 'metric':
      return sql`${metric ?? null}::text`;
    case 'value':
      return numericMetric(sql`t.metrics`, metric);
    case 'previousValue':
      return numericMetric(sql`t.prev_metrics`, metric);
    case 'previousPreviousValue':
      return numericMetric(sql`t.prev_prev_metrics`, metric);
  }
}

/** The trend points of entity `entity` (the newest `last` holding `metric`, if given), as rows of the view `t`. */
function trendRows(entity: { type: Sql; id: Sql }, options: TrendOptions): Sql {
  return sql`SELECT * FROM mv_period_metrics_trend t
    WHERE t.entity_type = ${entity.type} AND t.entity_id = ${entity.id} AND ${options.metric ? sql`t.metrics ? ${options.metric}` : sql`true`}
    ORDER BY t.period_number DESC LIMIT ${options.last}::int`;
}

/**
 * `Entity.metricTrend`: mv_period_metrics_trend, oldest first; with `metric`, only the points
 * holding it; with `last`, the newest `last` points.
 */
export const METRIC_TREND = defineRead('entity', 'Entity.metricTrend', (entity, options: TrendOptions) => {
  const pairs = options.columns.map((column) => sql`${raw(`'${column}'`)}, ${trendColumn(column, options.metric)}`);
  return sql`(SELECT COALESCE(json_agg(json_build_object(${join([sql`'periodNumber', t.period_number`, ...pairs], ', ')}) ORDER BY t.period_number), '[]')
              FROM (${trendRows(entity, options)}) t)`;
});

export interface MetricAnomaly {
  periodId: string;
  periodNumber: number;
  metricValue: number;
  avgValue: number;
  stddevValue: number;
  zScore: number;
}

export interface AnomalyOptions {
  metric: string;
  threshold: number;
  /** At most this many, the newest (absent: all, for the change feed's anomaly filter, which looks for one period among them). */
  limit?: number | null;
}

/** A z-score threshold as the fields take it: a non-negative number of standard deviations. */
export function zThreshold(threshold: number): number {
  if (!(threshold >= 0)) throw badUserInput('`threshold` must be a non-negative number of standard deviations', 'threshold');
  return threshold;
}

/** detect_metric_anomalies' own default threshold, in standard deviations. */
export const DEFAULT_Z_THRESHOLD = 2.0;

/** The anomaly search's options, validated; no threshold is the function's default. */
export function anomalyOptions(metric: string, threshold?: number | null, limit: number | null = null): AnomalyOptions {
  return { metric, threshold: zThreshold(threshold ?? DEFAULT_Z_THRESHOLD), limit };
}

/** `Entity.anomalies`: detect_metric_anomalies() of the entity, newest first, at most `limit`. */
export const ENTITY_ANOMALIES = defineRead(
  'entity',
  'Entity.anomalies',
  (entity, options: AnomalyOptions) =>
    sql`(SELECT COALESCE(json_agg(json_build_object('periodId', a.period_id, 'periodNumber', a.period_number, 'metricValue', a.metric_value,
                'avgValue', a.avg_value, 'stddevValue', a.stddev_value, 'zScore', a.z_score) ORDER BY a.period_number DESC), '[]')
        FROM (SELECT * FROM detect_metric_anomalies(${entity.type}, ${entity.id}, ${options.metric}, ${options.threshold}::float8) LIMIT ${options.limit ?? null}::int) a)`,
);

/** `AnalysisPeriod.anomalies`: the period's anomaly of the metric among its entity's active periods, if it is one. */
export const PERIOD_ANOMALIES = defineRead(
  'period',
  'AnalysisPeriod.anomalies',
  (period, options: AnomalyOptions) =>
    sql`(SELECT COALESCE(json_agg(json_build_object('periodId', a.period_id, 'periodNumber', a.period_number, 'metricValue', a.metric_value,
                'avgValue', a.avg_value, 'stddevValue', a.stddev_value, 'zScore', a.z_score)), '[]')
        FROM detect_metric_anomalies(${period.row}.entity_type, ${period.row}.entity_id, ${options.metric}, ${options.threshold}::float8) a
        WHERE a.period_id = ${period.row}.id)`,
);

export interface PeriodTimelineEntry {
  id: string;
  entityType: string;
  entityId: string;
  periodNumber: number;
  periodStart: Date;
  periodEnd: Date;
  analyzedAt: Date;
  durationHours: number;
  contentCount: number;
  summaryShort: string | null;
  qualityScore: number | null;
  completenessScore: number | null;
  unresolvedEventCount: number;
  /** Crawl-effectiveness records (Crosshot's crawl_task_count). */
  crawlTaskCount: number;
  linkedTaskCount: number;
  /** analyzed_at at full (microsecond) precision, for the cursor. */
  analyzedAtExact: string;
}

/**
 * The cursor keeps analyzed_at to the microsecond, so the page order can be the plain
 * (analyzed_at, id) that the analyzed_at index serves.
 */
export function periodTimelineCursor(entry: Pick<PeriodTimelineEntry, 'analyzedAtExact' | 'id'>): string {
  return encodeCursor([entry.analyzedAtExact, entry.id]);
}

/** v_period_timeline across entities, most recently analysed first. */
export async function periodTimelinePage(
  db: Queryable,
  request: { entityType?: string | null; size: number; after?: string | null },
): Promise<Page<PeriodTimelineEntry>> {
  let cursor: [string, string] | null = null;
  if (request.after) {
    const [at, id] = decodeCursor(request.after);
    if (typeof at !== 'string' || Number.isNaN(Date.parse(at)) || typeof id !== 'string') {
      throw badUserInput('`after` is not a cursor of this list', 'after');
    }
    cursor = [at, id];
  }
  // The page is chosen on the table (an index-friendly sort of narrow rows) before the view's
  // per-row counts are computed, so they are computed for the page only.
  const rows = await queryRows<PeriodTimelineEntry>(
    db,
    sql`
    SELECT v.id, v.entity_type AS "entityType", v.entity_id AS "entityId", v.period_number AS "periodNumber",
           v.period_start AS "periodStart", v.period_end AS "periodEnd", v.analyzed_at AS "analyzedAt",
           v.duration_hours AS "durationHours", v.content_count AS "contentCount", v.summary_short AS "summaryShort",
           v.quality_score AS "qualityScore", v.completeness_score AS "completenessScore",
           v.unresolved_event_count::int AS "unresolvedEventCount", v.crawl_task_count::int AS "crawlTaskCount",
           v.tasks_linked_count::int AS "linkedTaskCount",
           to_char(v.analyzed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "analyzedAtExact"
    FROM (
      SELECT ap.id FROM analysis_periods ap
      WHERE ap.status = 'active' ${request.entityType ? sql`AND ap.entity_type = ${request.entityType}` : empty}
        ${cursor ? sql`AND (ap.analyzed_at, ap.id) < (${cursor[0]}::timestamptz, ${cursor[1]}::uuid)` : empty}
      ORDER BY ap.analyzed_at DESC, ap.id DESC
      LIMIT ${request.size + 1}
    ) page
    JOIN v_period_timeline v ON v.id = page.id
    ORDER BY v.analyzed_at DESC, v.id DESC`,
  );
  return { nodes: rows.slice(0, request.size), hasNextPage: rows.length > request.size, totalCount: 0 };
}

/** The view's rows are the active periods: counted on the table, without the view's per-row counts. */
export async function countPeriodTimeline(db: Queryable, entityType: string | null | undefined): Promise<number> {
  const rows = await queryRows<{ total: number }>(
    db,
    sql`
    SELECT count(*)::int AS total FROM analysis_periods ap
    WHERE ap.status = 'active' ${entityType ? sql`AND ap.entity_type = ${entityType}` : empty}`,
  );
  return rows[0]?.total ?? 0;
}
