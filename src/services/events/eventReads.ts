import type { TemporalEvent } from '../../generated/prisma/client.js';
import { empty, isAnyOf, queryRows, selectList, sql, type Sql } from '../../db/sql.js';
import type { Queryable } from '../../db/queryable.js';
import { countPerEntity, inOrderOf, loadPagesPerEntity, type EntityKey } from '../common/entityKeys.js';
import { cursorCodec } from '../common/cursors.js';
import type { Page } from '../common/pages.js';
import { defineRead, periodRowsJson, type ListRead } from '../common/sqlReads.js';

/**
 * Reads of temporal events: an entity's events, newest detection first (one page per entity,
 * many entities in one statement), a period's events and how many are open, events by id.
 */

export interface EventFilter {
  unresolvedOnly?: boolean | null;
  pendingOnly?: boolean | null;
  severities?: string[] | null;
  eventType?: string | null;
}

/** Millisecond precision, like the page order, so a page boundary never skips a row. */
const EVENT_CURSOR = cursorCodec('events', ['timestamp', 'uuid']);

export function eventCursor(event: Pick<TemporalEvent, 'firstDetectedAt' | 'id'>): string {
  return EVENT_CURSOR.encode([event.firstDetectedAt.toISOString(), event.id]);
}

function eventConditions(filter: EventFilter): Sql {
  return sql`true
    ${filter.unresolvedOnly ? sql`AND te.resolved_at IS NULL` : empty}
    ${filter.pendingOnly ? sql`AND te.period_id IS NULL` : empty}
    ${filter.severities?.length ? sql`AND te.severity = ANY(${filter.severities}::text[])` : empty}
    ${filter.eventType ? sql`AND te.event_type = ${filter.eventType}` : empty}`;
}

/** The event fields always loaded: the key and the cursor. */
export const EVENT_KEY_FIELDS = ['id', 'firstDetectedAt'] as const;

/** An event row holding the fields asked for (always the key fields), typed as the whole row. */
export type EventRow = TemporalEvent;

export function loadEventPages(
  db: Queryable,
  keys: EntityKey[],
  request: EventFilter & { size: number; after?: string | null; fields: readonly string[] },
): Promise<Page<EventRow>[]> {
  const cursor = request.after ? EVENT_CURSOR.decode(request.after) : null;
  return loadPagesPerEntity<EventRow>(db, keys, {
    from: sql`temporal_events te`,
    alias: 'te',
    select: selectList('TemporalEvent', 'te', request.fields),
    where: sql`${eventConditions(request)}
      ${cursor ? sql`AND (date_trunc('milliseconds', te.first_detected_at), te.id) < (date_trunc('milliseconds', ${cursor[0]}::timestamptz), ${cursor[1]}::uuid)` : empty}`,
    orderBy: sql`date_trunc('milliseconds', te.first_detected_at) DESC, te.id DESC`,
    size: request.size,
  });
}

export function countEvents(db: Queryable, keys: EntityKey[], filter: EventFilter): Promise<number[]> {
  return countPerEntity(db, keys, 'temporal_events', 'te', eventConditions(filter));
}

/** `AnalysisPeriod.events`: the period's events, oldest detection first, at most `limit`. */
export const PERIOD_EVENTS = defineRead(
  'period',
  'AnalysisPeriod.events',
  (period, read: ListRead) => periodRowsJson('TemporalEvent', 'temporal_events', 'te', period, 'te.first_detected_at, te.id', read),
);

/** `AnalysisPeriod.unresolvedEventCount`: the period's events still open. */
export const PERIOD_UNRESOLVED_EVENTS = defineRead(
  'period',
  'AnalysisPeriod.unresolvedEventCount',
  (period) => sql`(SELECT count(*)::int FROM temporal_events te WHERE te.period_id = ${period.row}.id AND te.resolved_at IS NULL)`,
);

/** Events by id, in one statement (null for an id with no row). */
export async function eventsById(db: Queryable, ids: string[], fields: readonly string[]): Promise<(EventRow | null)[]> {
  const rows = await queryRows<EventRow>(db, sql`SELECT ${selectList('TemporalEvent', 'te', fields)} FROM temporal_events te WHERE ${isAnyOf(sql`te.id`, ids, 'uuid')}`);
  return inOrderOf(ids, rows);
}
