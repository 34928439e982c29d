import { raw, sql, type Sql } from '../../db/sql.js';
import { GatewayError } from '../../errors.js';
import { defineRead } from '../common/sqlReads.js';

export type TimeBucket = 'hour' | 'day' | 'week' | 'month';
export type SeriesAggregate = 'avg' | 'sum' | 'min' | 'max' | 'last';
export type GapFill = 'none' | 'null' | 'previous' | 'linear';

export interface SeriesRequest {
  metric: string;
  bucket: TimeBucket;
  aggregate: SeriesAggregate;
  fill: GapFill;
  /** The range; an open bound is the entity's first period start / last period end holding the metric. */
  from: Date | null;
  to: Date | null;
  /** A series longer than this is refused (RANGE_TOO_LARGE): the statement stops generating buckets there. */
  maxBuckets: number;
}

export interface MetricBucket {
  start: string;
  end: string;
  value: number | null;
  periodCount: number;
  /** No period covers the bucket: its value is null or filled (PREVIOUS, LINEAR). */
  filled: boolean;
}

/**
 * A metric of a metrics document as a float8 when it is a number there (a JSON number, or a
 * string holding one: the database's metric_number(), migration 0010), else null (and null
 * without a metric).
 */
export function numericMetric(metrics: Sql, metric: string | null | undefined): Sql {
  return metric ? sql`metric_number(${metrics} -> ${metric})` : sql`NULL::float8`;
}

const STEP: Record<TimeBucket, string> = { hour: '1 hour', day: '1 day', week: '1 week', month: '1 month' };
/** Bucket widths in hours (a month as its longest, 31 days, would undercount: 730 is the mean). */
const BUCKET_HOURS: Record<TimeBucket, number> = { hour: 1, day: 24, week: 168, month: 730 };
const COARSER: Partial<Record<TimeBucket, TimeBucket>> = { hour: 'day', day: 'week', week: 'month' };

/** The bucket to suggest instead of `bucket` for a range too large (none after MONTH), as clients spell it. */
export function coarserBucket(bucket: TimeBucket): string | undefined {
  return COARSER[bucket]?.toUpperCase();
}

/**
 * Per bucket, over the active periods that overlap it (a period spanning two buckets counts in
 * both): AVG weights each period's value by the time it overlaps the bucket; SUM adds each
 * period's value pro rata (value × overlap / period length), so a total spread over two buckets
 * is split between them; MIN and MAX take the plain values; LAST the value of the period that
 * ends last.
 */
const AGGREGATES: Record<SeriesAggregate, string> = {
  avg: 'sum(p.v * p.overlap) / NULLIF(sum(p.overlap), 0)',
  sum: 'sum(p.v * p.overlap / NULLIF(p.length, 0))',
  min: 'min(p.v)',
  max: 'max(p.v)',
  last: '(array_agg(p.v ORDER BY p.period_end DESC, p.period_number DESC))[1]',
};

/**
 * The bucket rows (`agg`) with what their fill reads: the value and start of the last non-empty
 * bucket before (PREVIOUS, LINEAR) and of the first one after (LINEAR), found by counting the
 * non-empty buckets so far in each direction, which groups each empty bucket with its neighbour.
 */
function gapFillColumns(fill: GapFill): Sql {
  if (fill === 'none' || fill === 'null') return sql`SELECT agg.* FROM agg`;
  const previous = sql`first_value(grouped.value) OVER (PARTITION BY grouped.before ORDER BY grouped.bstart) AS prev_value,
                       first_value(grouped.bstart) OVER (PARTITION BY grouped.before ORDER BY grouped.bstart) AS prev_start`;
  if (fill === 'previous') {
    return sql`SELECT grouped.*, ${previous} FROM (SELECT agg.*, count(agg.value) OVER (ORDER BY agg.bstart) AS before FROM agg) grouped`;
  }
  return sql`SELECT grouped.*, ${previous},
                    first_value(grouped.value) OVER (PARTITION BY grouped.after ORDER BY grouped.bstart DESC) AS next_value,
                    first_value(grouped.bstart) OVER (PARTITION BY grouped.after ORDER BY grouped.bstart DESC) AS next_start
             FROM (SELECT agg.*, count(agg.value) OVER (ORDER BY agg.bstart) AS before,
                          count(agg.value) OVER (ORDER BY agg.bstart DESC) AS after FROM agg) grouped`;
}

/** Empty buckets under each fill: left out, null, the last value carried forward, or interpolated in time. */
function filledValue(fill: GapFill): Sql {
  switch (fill) {
    case 'previous':
      return sql`COALESCE(g.value, g.prev_value)`;
    case 'linear':
      return sql`COALESCE(g.value, CASE WHEN g.prev_value IS NOT NULL AND g.next_value IS NOT NULL
        THEN g.prev_value + (g.next_value - g.prev_value) * extract(epoch FROM g.bstart - g.prev_start)::float8 / extract(epoch FROM g.next_start - g.prev_start)::float8 END)`;
    default:
      return sql`g.value`;
  }
}

/** A series as its statement renders it: the buckets, and whether the range had more than the limit. */
export interface SeriesJson {
  truncated: boolean;
  buckets: MetricBucket[] | null;
}

/**
 * `Entity.metricSeries`: the buckets (UTC; weeks start on Monday, months are calendar months)
 * from generate_series, each aggregated over the entity's active periods that overlap it (read
 * once through the timeline index; each period paired with the buckets of its own window) and
 * gap-filled with window functions.
 */
export const METRIC_SERIES = defineRead('entity', 'Entity.metricSeries', (entity, request: SeriesRequest): Sql => {
  const step = STEP[request.bucket];
  return sql`(
    WITH p0 AS (
      SELECT * FROM (
        SELECT ap.period_start, ap.period_end, ap.period_number, ${numericMetric(sql`ap.metrics`, request.metric)} AS v
        FROM analysis_periods ap
        WHERE ap.entity_type = ${entity.type} AND ap.entity_id = ${entity.id} AND ap.status = 'active'
        OFFSET 0 -- each value computed once per period (not again for the filter below)
      ) holding WHERE holding.v IS NOT NULL
    ), range AS (
      SELECT COALESCE(${request.from}::timestamptz, (SELECT min(period_start) FROM p0)) AS lo,
             COALESCE(${request.to}::timestamptz, (SELECT max(period_end) FROM p0)) AS hi
    ), b AS (
      SELECT s AT TIME ZONE 'UTC' AS bstart, (s + ${step}::interval) AT TIME ZONE 'UTC' AS bend
      FROM range, generate_series(date_trunc(${request.bucket}, range.lo AT TIME ZONE 'UTC'),
                                  range.hi AT TIME ZONE 'UTC' - interval '1 microsecond', ${step}::interval) s
      WHERE range.lo < range.hi
      LIMIT ${request.maxBuckets + 1}
    ), o AS (
      -- Each period with the buckets it overlaps (generated from its own window, within the
      -- range: linear in periods × buckets per period, not in periods × buckets).
      SELECT s AT TIME ZONE 'UTC' AS bstart, p0.*,
             extract(epoch FROM least(p0.period_end, (s + ${step}::interval) AT TIME ZONE 'UTC') - greatest(p0.period_start, s AT TIME ZONE 'UTC'))::float8 AS overlap,
             extract(epoch FROM p0.period_end - p0.period_start)::float8 AS length
      FROM p0, range, generate_series(date_trunc(${request.bucket}, greatest(p0.period_start, range.lo) AT TIME ZONE 'UTC'),
                                      least(p0.period_end, range.hi) AT TIME ZONE 'UTC' - interval '1 microsecond', ${step}::interval) s
      WHERE p0.period_start < range.hi AND p0.period_end > range.lo
    ), per_bucket AS (
      SELECT p.bstart, count(p.v)::int AS n, ${raw(AGGREGATES[request.aggregate])} AS value
      FROM o p GROUP BY p.bstart
    ), agg AS (
      -- Every bucket, empty ones included (the gap fill's input).
      SELECT b.bstart, b.bend, COALESCE(pb.n, 0) AS n, pb.value
      FROM b LEFT JOIN per_bucket pb ON pb.bstart = b.bstart
    ), g AS (${gapFillColumns(request.fill)})
    SELECT json_build_object(
      'truncated', (SELECT count(*) FROM b) > ${request.maxBuckets},
      'buckets', json_agg(json_build_object('start', g.bstart, 'end', g.bend, 'value', ${filledValue(request.fill)},
                                            'periodCount', g.n, 'filled', g.n = 0) ORDER BY g.bstart)
                   FILTER (WHERE ${request.fill === 'none' ? sql`g.n > 0` : sql`true`}))
    FROM g)`;
});

/** The buckets of a rendered series, or RANGE_TOO_LARGE when its range had more than the limit. */
export function seriesBucketsOf(series: SeriesJson, request: SeriesRequest): MetricBucket[] {
  if (series.truncated) throw rangeTooLarge(request.bucket, request.maxBuckets);
  return series.buckets ?? [];
}

/**
 * Buckets a series of this width spans over [from, to] when both are known (a partial bucket at
 * each end included): what the resolver checks against the limit before any SQL, and what the
 * cost estimate counts.
 */
export function seriesBuckets(bucket: TimeBucket, from: Date | null, to: Date | null): number | null {
  if (!from || !to) return null;
  return Math.max(1, Math.ceil((to.getTime() - from.getTime()) / (BUCKET_HOURS[bucket] * 3_600_000)) + 1);
}

/** A series over the bucket limit: what to ask for instead. */
export function rangeTooLarge(bucket: TimeBucket, maxBuckets: number, buckets?: number): GatewayError {
  const coarser = coarserBucket(bucket);
  const what = buckets === undefined ? `more than ${maxBuckets}` : `${buckets}`;
  return new GatewayError(
    'RANGE_TOO_LARGE',
    `the series would have ${what} ${bucket} buckets (at most ${maxBuckets}): ${coarser ? `use a coarser bucket (${coarser}) or ` : ''}a shorter window`,
    { bucket: bucket.toUpperCase(), maxBuckets, ...(coarser ? { suggestedBucket: coarser } : {}) },
  );
}
