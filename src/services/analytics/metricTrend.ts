import { join, raw, sql, type Sql } from '../../db/sql.js';
import { defineRead } from '../common/sqlReads.js';
import { numericMetric } from './metricSeries.js';

/** The metric trend: mv_period_metrics_trend, each active period with the metrics of the two before it. */

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
