import type { TemporalEvent } from '../../generated/prisma/client.js';
import { empty, join, parameterRows, queryRows, raw, selectList, sql, type Sql } from '../../db/sql.js';
import type { Queryable } from '../../db/queryable.js';
import { entityKeysTable, groupByKey, type EntityKey } from '../common/entityKeys.js';
import { defineRead } from '../common/sqlReads.js';
import { SEVERITY_LEVELS } from '../events/severities.js';

/**
 * eventStats' counts per severity, over its CTE `e`. The severities are a fixed set (written
 * into the statement, so it is planned with their three rows): each is counted on its own, with
 * no GROUP BY whose strategy (hash, or sort) the planner would choose anew as the data grows.
 */
const BY_SEVERITY = sql`(
  SELECT COALESCE(json_agg(json_build_object('key', upper(s.k), 'opened', c.opened, 'resolved', c.resolved, 'stillOpen', c.still_open) ORDER BY s.k) FILTER (WHERE c.n > 0), '[]')
  FROM unnest(${raw(`ARRAY[${SEVERITY_LEVELS.map((level) => `'${level}'`).join(', ')}]::text[]`)}) AS s(k)
  CROSS JOIN LATERAL (SELECT count(*) AS n, count(*) FILTER (WHERE opened) AS opened, count(*) FILTER (WHERE resolved) AS resolved,
                             count(*) FILTER (WHERE still_open) AS still_open
                      FROM e WHERE e.severity = s.k AND (opened OR resolved OR still_open)) c)`;

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
  /** Present when asked for (EventStatsRequest.groupings). */
  bySeverity?: EventCount[];
  byType?: EventCount[];
}

/** The per-group counts eventStats can add, each read only when asked for. */
export type EventGrouping = 'bySeverity' | 'byType';

export interface EventStatsRequest {
  from: Date | null;
  /** The window's end: the request's clock when open. */
  to: Date;
  groupings: readonly EventGrouping[];
  /** At most this many event types in byType (the first by type name); severities are three at most. */
  byTypeLimit: number;
}

/**
 * `Entity.eventStats`: lifecycle figures of the entity's events over [from, to): `opened` were first detected in it,
 * `resolved` resolved in it, `stillOpen` detected before its end and not resolved by then.
 * Times to resolve (hours from first detection) are over the events resolved in the window;
 * the percentiles interpolate (percentile_cont). An open `from` is the beginning of time.
 */
export const EVENT_STATS = defineRead('entity', 'Entity.eventStats', (entity, request: EventStatsRequest): Sql => {
  const from = sql`COALESCE(${request.from}::timestamptz, '-infinity')`;
  const to = sql`${request.to}::timestamptz`;
  const grouped: Record<EventGrouping, () => Sql> = {
    bySeverity: () => BY_SEVERITY,
    byType: () => sql`(
      SELECT COALESCE(json_agg(json_build_object('key', c.k, 'opened', c.opened, 'resolved', c.resolved, 'stillOpen', c.still_open) ORDER BY c.k), '[]')
      FROM (SELECT event_type AS k, count(*) FILTER (WHERE opened) AS opened, count(*) FILTER (WHERE resolved) AS resolved,
                   count(*) FILTER (WHERE still_open) AS still_open
            FROM e WHERE opened OR resolved OR still_open GROUP BY event_type ORDER BY event_type LIMIT ${request.byTypeLimit}) c)`,
  };
  const groupings = request.groupings.length
    ? join(request.groupings.map((grouping) => sql`, ${raw(`'${grouping}'`)}, ${grouped[grouping]()}`), '')
    : empty;
  return sql`(
    WITH e AS (
      SELECT te.severity, te.event_type,
             te.first_detected_at >= ${from} AND te.first_detected_at < ${to} AS opened,
             te.resolved_at >= ${from} AND te.resolved_at < ${to} AS resolved,
             te.resolved_at IS NULL OR te.resolved_at >= ${to} AS still_open,
             (extract(epoch FROM te.resolved_at - te.first_detected_at) / 3600)::float8 AS hours
      FROM temporal_events te
      WHERE te.entity_type = ${entity.type} AND te.entity_id = ${entity.id} AND te.first_detected_at < ${to}
    )
    SELECT json_build_object(
      'opened', count(*) FILTER (WHERE opened), 'resolved', count(*) FILTER (WHERE resolved), 'stillOpen', count(*) FILTER (WHERE still_open),
      'timeToResolveP50Hours', percentile_cont(0.5) WITHIN GROUP (ORDER BY hours) FILTER (WHERE resolved),
      'timeToResolveP90Hours', percentile_cont(0.9) WITHIN GROUP (ORDER BY hours) FILTER (WHERE resolved),
      'timeToResolveMaxHours', max(hours) FILTER (WHERE resolved)${groupings})
    FROM e)`;
});

/** The events of each entity that were open at `at`: first detected by then, not resolved by then; the `limit` oldest detections. */
export async function eventsOpenAt(db: Queryable, keys: EntityKey[], at: Date, fields: readonly string[], limit: number): Promise<TemporalEvent[][]> {
  const rows = await queryRows<TemporalEvent & { ord: string }>(
    db,
    sql`
    SELECT k.ord, e.*
    FROM ${entityKeysTable(keys)}
    CROSS JOIN LATERAL (
      SELECT ${selectList('TemporalEvent', 'te', fields)} FROM temporal_events te
      WHERE te.entity_type = k.entity_type AND te.entity_id = k.entity_id
        AND te.first_detected_at <= ${at}::timestamptz AND (te.resolved_at IS NULL OR te.resolved_at > ${at}::timestamptz)
      ORDER BY te.first_detected_at, te.id
      LIMIT ${limit}
    ) e`,
  );
  return groupByKey(keys, rows);
}

/**
 * The events of each period's entity whose open interval [first detected, resolved) overlaps
 * the period's window (an event still open counts as open until now and on): the `limit` oldest.
 * The window is the period's row, read here: its bounds never pass through JavaScript.
 */
export async function eventsOverlappingPeriods(db: Queryable, periodIds: readonly string[], fields: readonly string[], limit: number): Promise<TemporalEvent[][]> {
  const rows = await queryRows<TemporalEvent & { ord: string }>(
    db,
    sql`
    SELECT k.ord, e.*
    FROM ${parameterRows('k', [['id', 'uuid', periodIds]])}
    JOIN analysis_periods p ON p.id = k.id
    CROSS JOIN LATERAL (
      SELECT ${selectList('TemporalEvent', 'te', fields)} FROM temporal_events te
      WHERE te.entity_type = p.entity_type AND te.entity_id = p.entity_id
        AND te.first_detected_at < p.period_end AND (te.resolved_at IS NULL OR te.resolved_at > p.period_start)
      ORDER BY te.first_detected_at, te.id
      LIMIT ${limit}
    ) e`,
  );
  return groupByKey([...periodIds], rows);
}
