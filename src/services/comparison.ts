import type { AnalysisPeriod, TemporalEvent } from '../generated/prisma/client.js';
import { allFields, queryRows, selectList, sql } from '../db/sql.js';
import type { Queryable } from '../db/queryable.js';
import { notFound } from '../errors.js';
import { computeMetricChanges, type MetricChange } from './metricChanges.js';
import { periodsByNumber, type EntityKind } from './periods.js';

export interface ContentOverlap {
  shared: number;
  onlyFrom: number;
  onlyTo: number;
}

export interface PeriodComparison {
  from: AnalysisPeriod;
  to: AnalysisPeriod;
  /** From the end of `from` to the end of `to` (negative when `to` is the earlier period). */
  elapsedHours: number;
  metrics: MetricChange[];
  eventsOpened: TemporalEvent[];
  eventsResolved: TemporalEvent[];
  eventsOngoing: TemporalEvent[];
  contentOverlap: ContentOverlap;
  contentCountChange: number;
  qualityChange: number | null;
  completenessChange: number | null;
}

function difference(after: number | null, before: number | null): number | null {
  return after === null || before === null ? null : after - before;
}

/**
 * What changed between two active periods of one entity (the analyst's compare_periods tool):
 * metric changes over the union of keys; events first detected after `from` ended up to the
 * end of `to` (opened), resolved in that window (resolved), and open at `to`'s end having been
 * detected before it (ongoing); the overlap of the two periods' content snapshots.
 */
export async function comparePeriods(
  db: Queryable,
  entityType: EntityKind,
  entityId: string,
  fromNumber: number,
  toNumber: number,
): Promise<PeriodComparison> {
  const [from, to] = (await periodsByNumber(
    db,
    [
      { entityType, entityId, periodNumber: fromNumber },
      { entityType, entityId, periodNumber: toNumber },
    ],
    { fields: allFields('AnalysisPeriod') },
  )) as (AnalysisPeriod | null)[];
  const missing = [from ? null : fromNumber, to ? null : toNumber].filter((n) => n !== null);
  if (!from || !to) {
    throw notFound(
      `no active period ${[...new Set(missing)].join(' or ')} for ${entityType} ${entityId}`,
      { missingPeriodNumbers: [...new Set(missing)] },
    );
  }

  const windowStart = from.periodEnd;
  const windowEnd = to.periodEnd;
  const [events, snapshots] = await Promise.all([
    queryRows<TemporalEvent>(
      db,
      sql`SELECT ${selectList('TemporalEvent', 'te', allFields('TemporalEvent'))} FROM temporal_events te
          WHERE te.entity_type = ${entityType} AND te.entity_id = ${entityId}::uuid
            AND ((te.first_detected_at > ${windowStart}::timestamptz AND te.first_detected_at <= ${windowEnd}::timestamptz)
                 OR (te.resolved_at > ${windowStart}::timestamptz AND te.resolved_at <= ${windowEnd}::timestamptz)
                 OR (te.first_detected_at <= ${windowEnd}::timestamptz AND (te.resolved_at IS NULL OR te.resolved_at > ${windowEnd}::timestamptz)))
          ORDER BY te.first_detected_at, te.id`,
    ),
    queryRows<{ periodId: string; contentId: string }>(
      db,
      sql`SELECT period_id AS "periodId", content_id AS "contentId" FROM period_content_snapshots
          WHERE period_id = ANY(${[from.id, to.id]}::uuid[])`,
    ),
  ]);

  const fromContents = new Set(snapshots.filter((s) => s.periodId === from.id).map((s) => s.contentId));
  const toContents = new Set(snapshots.filter((s) => s.periodId === to.id).map((s) => s.contentId));
  const shared = [...fromContents].filter((id) => toContents.has(id)).length;

  const inWindow = (at: Date | null) => at !== null && at > windowStart && at <= windowEnd;
  return {
    from,
    to,
    elapsedHours: (windowEnd.getTime() - windowStart.getTime()) / 3_600_000,
    metrics: computeMetricChanges(from.metrics, to.metrics),
    eventsOpened: events.filter((e) => inWindow(e.firstDetectedAt)),
    eventsResolved: events.filter((e) => inWindow(e.resolvedAt)),
    eventsOngoing: events.filter((e) => e.firstDetectedAt <= windowEnd && (e.resolvedAt === null || e.resolvedAt > windowEnd)),
    contentOverlap: { shared, onlyFrom: fromContents.size - shared, onlyTo: toContents.size - shared },
    contentCountChange: to.contentCount - from.contentCount,
    qualityChange: difference(to.qualityScore, from.qualityScore),
    completenessChange: difference(to.completenessScore, from.completenessScore),
  };
}
