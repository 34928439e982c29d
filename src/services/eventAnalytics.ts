import type { TemporalEvent } from '../generated/prisma/client.js';
import { queryRows, selectList, sql } from '../db/sql.js';
import type { Queryable } from '../db/queryable.js';
import { entityKeysTable, groupByKey, type EntityKey } from './entityKeys.js';

/** Events by what they are: opened and resolved inside the window, still open at its end. */
export interface EventCount {
  key: string;
  opened: number;
  resolved: number;
  stillOpen: number;
}

export interface EventStats {
  opened: number;
  resolved: number;
  stillOpen: number;
  timeToResolveP50Hours: number | null;
  timeToResolveP90Hours: number | null;
  timeToResolveMaxHours: number | null;
  bySeverity: EventCount[];
  byType: EventCount[];
}

/**
 * Lifecycle figures of each entity's events over [from, to): `opened` were first detected in
 * it, `resolved` resolved in it, `stillOpen` detected before its end and not resolved by then.
 * Times to resolve (hours from first detection) are over the events resolved in the window;
 * the percentiles interpolate (percentile_cont). An open `from` is the beginning of time; an
 * open `to` is `now`. One statement for all entities.
 */
export async function eventStats(db: Queryable, keys: EntityKey[], range: { from: Date | null; to: Date | null }, now: Date): Promise<EventStats[]> {
  const to = range.to ?? now;
  const rows = await queryRows<EventStats & { ord: string }>(
    db,
    sql`
    SELECT k.ord, s.*
    FROM ${entityKeysTable(keys)}
    CROSS JOIN LATERAL (
      WITH e AS (
        SELECT te.severity, te.event_type,
               te.first_detected_at >= COALESCE(${range.from}::timestamptz, '-infinity') AND te.first_detected_at < ${to}::timestamptz AS opened,
               te.resolved_at >= COALESCE(${range.from}::timestamptz, '-infinity') AND te.resolved_at < ${to}::timestamptz AS resolved,
               te.first_detected_at < ${to}::timestamptz AND (te.resolved_at IS NULL OR te.resolved_at >= ${to}::timestamptz) AS still_open,
               (extract(epoch FROM te.resolved_at - te.first_detected_at) / 3600)::float8 AS hours
        FROM temporal_events te
        WHERE te.entity_type = k.entity_type AND te.entity_id = k.entity_id AND te.first_detected_at < ${to}::timestamptz
      ), counted AS (
        SELECT e.*, e.opened OR e.resolved OR e.still_open AS counted FROM e
      )
      SELECT count(*) FILTER (WHERE opened)::int AS "opened",
             count(*) FILTER (WHERE resolved)::int AS "resolved",
             count(*) FILTER (WHERE still_open)::int AS "stillOpen",
             percentile_cont(0.5) WITHIN GROUP (ORDER BY hours) FILTER (WHERE resolved) AS "timeToResolveP50Hours",
             percentile_cont(0.9) WITHIN GROUP (ORDER BY hours) FILTER (WHERE resolved) AS "timeToResolveP90Hours",
             max(hours) FILTER (WHERE resolved) AS "timeToResolveMaxHours",
             COALESCE((SELECT json_agg(json_build_object('key', upper(c.severity), 'opened', c.opened, 'resolved', c.resolved, 'stillOpen', c.still_open) ORDER BY c.severity)
                       FROM (SELECT severity, count(*) FILTER (WHERE opened) AS opened, count(*) FILTER (WHERE resolved) AS resolved,
                                    count(*) FILTER (WHERE still_open) AS still_open
                             FROM counted WHERE counted GROUP BY severity) c), '[]') AS "bySeverity",
             COALESCE((SELECT json_agg(json_build_object('key', c.event_type, 'opened', c.opened, 'resolved', c.resolved, 'stillOpen', c.still_open) ORDER BY c.event_type)
                       FROM (SELECT event_type, count(*) FILTER (WHERE opened) AS opened, count(*) FILTER (WHERE resolved) AS resolved,
                                    count(*) FILTER (WHERE still_open) AS still_open
                             FROM counted WHERE counted GROUP BY event_type) c), '[]') AS "byType"
      FROM counted
    ) s`,
  );
  return groupByKey(keys, rows).map((group) => group[0]!);
}

/** The events of each entity that were open at `at`: first detected by then, not resolved by then; oldest detection first. */
export async function eventsOpenAt(db: Queryable, keys: EntityKey[], at: Date, fields: readonly string[]): Promise<TemporalEvent[][]> {
  const rows = await queryRows<TemporalEvent & { ord: string }>(
    db,
    sql`
    SELECT k.ord, ${selectList('TemporalEvent', 'te', fields)}
    FROM ${entityKeysTable(keys)}
    JOIN temporal_events te ON te.entity_type = k.entity_type AND te.entity_id = k.entity_id
    WHERE te.first_detected_at <= ${at}::timestamptz AND (te.resolved_at IS NULL OR te.resolved_at > ${at}::timestamptz)
    ORDER BY k.ord, te.first_detected_at, te.id`,
  );
  return groupByKey(keys, rows);
}

export interface PeriodWindow {
  id: string;
  entityType: string;
  entityId: string;
  periodStart: Date | string;
  periodEnd: Date | string;
}

/**
 * The events of each period's entity whose open interval [first detected, resolved) overlaps
 * the period's window (an event still open counts as open until now and on), oldest first.
 */
export async function eventsOverlappingPeriods(db: Queryable, periods: PeriodWindow[], fields: readonly string[]): Promise<TemporalEvent[][]> {
  const rows = await queryRows<TemporalEvent & { ord: string }>(
    db,
    sql`
    SELECT k.ord, ${selectList('TemporalEvent', 'te', fields)}
    FROM unnest(${periods.map((p) => p.entityType)}::text[], ${periods.map((p) => p.entityId)}::uuid[],
                ${periods.map((p) => p.periodStart)}::timestamptz[], ${periods.map((p) => p.periodEnd)}::timestamptz[])
         WITH ORDINALITY AS k(entity_type, entity_id, period_start, period_end, ord)
    JOIN temporal_events te ON te.entity_type = k.entity_type AND te.entity_id = k.entity_id
    WHERE te.first_detected_at < k.period_end AND (te.resolved_at IS NULL OR te.resolved_at > k.period_start)
    ORDER BY k.ord, te.first_detected_at, te.id`,
  );
  return groupByKey(periods, rows);
}
