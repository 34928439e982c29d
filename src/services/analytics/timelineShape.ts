import { queryRows, raw, selectList, sql } from '../../db/sql.js';
import type { Queryable } from '../../db/queryable.js';
import { entityKeysTable, groupByKey, type EntityKey } from '../common/entityKeys.js';
import type { PeriodRow, PeriodSelection } from '../periods/periodReads.js';
import { prefetchedColumn } from '../common/sqlReads.js';

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

export interface TimelineGap {
  start: Date;
  end: Date;
  hours: number;
}

/**
 * The stretches of each entity's timeline that no active period covers: between one period's
 * end and the next one's start, longer than `minHours` (the exclusion constraint forbids
 * overlaps, not holes): the `limit` oldest. One statement for all entities.
 */
export async function timelineGaps(db: Queryable, keys: EntityKey[], minHours: number, limit: number): Promise<TimelineGap[][]> {
  const rows = await queryRows<TimelineGap & { ord: string }>(
    db,
    sql`
    SELECT k.ord, g.start, g."end", g.hours
    FROM ${entityKeysTable(keys)}
    CROSS JOIN LATERAL (
      SELECT n.period_end AS start, n.next_start AS "end", n.hours
      FROM (SELECT ap.period_end, lead(ap.period_start) OVER w AS next_start,
                   (extract(epoch FROM lead(ap.period_start) OVER w - ap.period_end) / 3600)::float8 AS hours
            FROM analysis_periods ap
            WHERE ap.entity_type = k.entity_type AND ap.entity_id = k.entity_id AND ap.status = 'active'
            WINDOW w AS (ORDER BY ap.period_start)) n
      WHERE n.hours > 0 AND n.hours > ${minHours}::float8
      ORDER BY n.period_end
      LIMIT ${limit}
    ) g
    ORDER BY k.ord, g.start`,
  );
  return groupByKey(keys, rows);
}

/**
 * The active periods of each entity whose length is an outlier: more than `threshold` standard
 * deviations (population) from the mean length of the entity's active periods: the `limit` oldest.
 * One statement for all entities.
 */
export async function durationOutliers(db: Queryable, keys: EntityKey[], threshold: number, selection: PeriodSelection, limit: number): Promise<PeriodRow[][]> {
  const rows = await queryRows<PeriodRow & { ord: string }>(
    db,
    sql`
    SELECT k.ord, ${selectList('AnalysisPeriod', 'p', selection.fields)} ${prefetchedColumn('period', { row: raw('p') }, selection.readAhead)}
    FROM ${entityKeysTable(keys)}
    CROSS JOIN LATERAL (
      SELECT s.* FROM (
        SELECT ap.*, avg(ap.duration_hours) OVER () AS mean, stddev_pop(ap.duration_hours) OVER () AS sd
        FROM analysis_periods ap
        WHERE ap.entity_type = k.entity_type AND ap.entity_id = k.entity_id AND ap.status = 'active'
      ) s
      WHERE s.sd > 0 AND abs(s.duration_hours - s.mean) / s.sd > ${threshold}::float8
      ORDER BY s.period_start
      LIMIT ${limit}
    ) p
    ORDER BY k.ord, p.period_start`,
  );
  return groupByKey(keys, rows);
}
