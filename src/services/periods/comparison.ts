import type { TemporalEvent } from '../../generated/prisma/client.js';
import { allFields, empty, jsonObject, queryRows, raw, selectList, sql } from '../../db/sql.js';
import type { Queryable } from '../../db/queryable.js';
import { notFound } from '../../errors.js';
import { computeMetricChanges, type MetricChange } from './metricChanges.js';
import type { EntityKind, PeriodRow, PeriodSelection } from './periodReads.js';
import { readAheadObject } from '../common/sqlReads.js';

export interface ContentOverlap {
  shared: number;
  onlyFrom: number;
  onlyTo: number;
}

export interface PeriodComparison {
  from: PeriodRow;
  to: PeriodRow;
  /** From the end of `from` to the end of `to` (negative when `to` is the earlier period). */
  elapsedHours: number;
  metrics: MetricChange[];
  /** Rows rendered as JSON (timestamps as ISO strings), holding the fields asked for. */
  eventsOpened: TemporalEvent[];
  eventsResolved: TemporalEvent[];
  eventsOngoing: TemporalEvent[];
  contentOverlap: ContentOverlap;
  contentCountChange: number;
  qualityChange: number | null;
  completenessChange: number | null;
}

/** What to read: each period's fields and what it reads ahead, the fields of the events listed, and at most how many of each list. */
export interface ComparisonSelection {
  from: PeriodSelection;
  to: PeriodSelection;
  eventFields: readonly string[];
  limits: Record<'opened' | 'resolved' | 'ongoing', number>;
}

/** The period fields the comparison itself reads. */
const COMPARED_FIELDS = ['periodEnd', 'metrics', 'contentCount', 'qualityScore', 'completenessScore'];

function difference(after: number | null, before: number | null): number | null {
  return after === null || before === null ? null : after - before;
}

/**
 * What changed between two active periods of one entity (the analyst's compare_periods tool):
 * metric changes over the union of keys; events first detected after `from` ended up to the
 * end of `to` (opened), resolved in that window (resolved), and open at `to`'s end having been
 * detected before it (ongoing); the overlap of the two periods' content snapshots. One
 * statement: the two periods (get_period_by_number) as rows, the three event lists and the
 * overlap rendered by PostgreSQL on the `to` row.
 */
export async function comparePeriods(
  db: Queryable,
  entityType: EntityKind,
  entityId: string,
  fromNumber: number,
  toNumber: number,
  selection: ComparisonSelection = {
    from: { fields: allFields('AnalysisPeriod') },
    to: { fields: allFields('AnalysisPeriod') },
    eventFields: allFields('TemporalEvent'),
    limits: { opened: 1000, resolved: 1000, ongoing: 1000 },
  },
): Promise<PeriodComparison> {
  const fields = [...new Set([...selection.from.fields, ...selection.to.fields, ...COMPARED_FIELDS])];
  const [fromAhead, toAhead] = [selection.from, selection.to].map((period) => readAheadObject('period', { row: raw('p') }, period.readAhead));
  const readAhead = fromAhead || toAhead ? sql`, CASE p.which WHEN 'from' THEN ${fromAhead ?? sql`NULL::json`} ELSE ${toAhead ?? sql`NULL::json`} END AS "prefetched"` : empty;
  const event = jsonObject('TemporalEvent', 'te', selection.eventFields);
  // Each list: its events in detection order, the first `limit` of them (a running count per list, one pass over ev).
  const list = (which: 'opened' | 'resolved' | 'ongoing', limit: number) =>
    sql`COALESCE(json_agg(ev.event ORDER BY ev.first_detected_at, ev.id) FILTER (WHERE ev.${raw(`is_${which}`)} AND ev.${raw(`n_${which}`)} <= ${limit}), '[]')`;
  const rows = await queryRows<PeriodRow & { which: 'from' | 'to'; comparedEvents: Record<'opened' | 'resolved' | 'ongoing', TemporalEvent[]> | null; contentOverlap: ContentOverlap | null }>(
    db,
    sql`
    WITH k(which, period_number) AS (VALUES ('from', ${fromNumber}::int), ('to', ${toNumber}::int)),
    -- LIMIT 1 (there is at most one): the function's default estimate of 1000 rows would put the
    -- statement's cost over jit_above_cost, and JIT compilation takes longer than the statement.
    p AS (SELECT k.which, gp.* FROM k CROSS JOIN LATERAL (SELECT * FROM get_period_by_number(${entityType}, ${entityId}::uuid, k.period_number) LIMIT 1) gp),
    w AS (SELECT (SELECT period_end FROM p WHERE which = 'from') AS ws, (SELECT period_end FROM p WHERE which = 'to') AS we),
    listed AS (
      SELECT te.id, te.first_detected_at, ${event} AS event, (te.first_detected_at > w.ws AND te.first_detected_at <= w.we) AS is_opened,
             coalesce(te.resolved_at > w.ws AND te.resolved_at <= w.we, false) AS is_resolved,
             (te.first_detected_at <= w.we AND (te.resolved_at IS NULL OR te.resolved_at > w.we)) AS is_ongoing
      FROM temporal_events te, w
      WHERE te.entity_type = ${entityType} AND te.entity_id = ${entityId}::uuid
        AND ((te.first_detected_at > w.ws AND te.first_detected_at <= w.we)
             OR (te.resolved_at > w.ws AND te.resolved_at <= w.we)
             OR (te.first_detected_at <= w.we AND (te.resolved_at IS NULL OR te.resolved_at > w.we)))),
    ev AS (
      SELECT listed.*, count(*) FILTER (WHERE is_opened) OVER o AS n_opened, count(*) FILTER (WHERE is_resolved) OVER o AS n_resolved,
             count(*) FILTER (WHERE is_ongoing) OVER o AS n_ongoing
      FROM listed WINDOW o AS (ORDER BY first_detected_at, id ROWS UNBOUNDED PRECEDING))
    SELECT p.which, ${selectList('AnalysisPeriod', 'p', fields)} ${readAhead},
      CASE WHEN p.which = 'to' THEN (
        SELECT json_build_object(
          'opened', ${list('opened', selection.limits.opened)},
          'resolved', ${list('resolved', selection.limits.resolved)},
          'ongoing', ${list('ongoing', selection.limits.ongoing)})
        FROM ev) END AS "comparedEvents",
      CASE WHEN p.which = 'to' THEN (
        SELECT json_build_object(
          'shared', count(*) FILTER (WHERE a.content_id IS NOT NULL AND b.content_id IS NOT NULL),
          'onlyFrom', count(*) FILTER (WHERE b.content_id IS NULL),
          'onlyTo', count(*) FILTER (WHERE a.content_id IS NULL))
        FROM (SELECT DISTINCT content_id FROM period_content_snapshots WHERE period_id = (SELECT id FROM p WHERE which = 'from')) a
        FULL JOIN (SELECT DISTINCT content_id FROM period_content_snapshots WHERE period_id = p.id) b ON a.content_id = b.content_id
      ) END AS "contentOverlap"
    FROM p`,
  );
  const from = rows.find((r) => r.which === 'from');
  const to = rows.find((r) => r.which === 'to');
  if (!from || !to) {
    const missing = [...new Set([from ? null : fromNumber, to ? null : toNumber].filter((n) => n !== null))];
    throw notFound(`no active period ${missing.join(' or ')} for ${entityType} ${entityId}`, { missingPeriodNumbers: missing });
  }
  return {
    from,
    to,
    elapsedHours: (to.periodEnd.getTime() - from.periodEnd.getTime()) / 3_600_000,
    metrics: computeMetricChanges(from.metrics, to.metrics),
    eventsOpened: to.comparedEvents!.opened,
    eventsResolved: to.comparedEvents!.resolved,
    eventsOngoing: to.comparedEvents!.ongoing,
    contentOverlap: to.contentOverlap!,
    contentCountChange: to.contentCount - from.contentCount,
    qualityChange: difference(to.qualityScore, from.qualityScore),
    completenessChange: difference(to.completenessScore, from.completenessScore),
  };
}
