import { sql } from '../../db/sql.js';
import { badUserInput } from '../../errors.js';
import { defineRead } from '../common/sqlReads.js';

/** detect_metric_anomalies(): an entity's anomalous periods of a metric, and whether one period is one. */

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
