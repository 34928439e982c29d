import { queryRows, raw, selectList, sql } from '../db/sql.js';
import type { Queryable } from '../db/queryable.js';
import { entityKeysTable, groupByKey, type EntityKey } from './entityKeys.js';
import type { PeriodRow, PeriodSelection } from './periods.js';
import { prefetchedColumn } from './sqlReads.js';

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
