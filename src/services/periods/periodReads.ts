import type { AnalysisPeriod } from '../../generated/prisma/client.js';
import { empty, isAnyOf, isoTimestamp, jsonObject, parameterRows, queryRows, raw, selectList, sql, type Sql } from '../../db/sql.js';
import type { Queryable } from '../../db/queryable.js';
import { countPerEntity, groupByKey, inOrderOf, type EntityKey } from '../common/entityKeys.js';
import { cursorCodec } from '../common/cursors.js';
import { defineRead, prefetchedColumn, prefetchedPair, type ReadAhead } from '../common/sqlReads.js';

export type { EntityKey, EntityKind } from '../common/entityKeys.js';

export interface PeriodFilter {
  /** Statuses to include; the timeline is ['active']. Ignored with asOf. */
  statuses: string[];
  /**
   * The timeline as it stood at this instant: periods created by then that were not yet
   * superseded then (a superseded period counts until its replacement was created).
   */
  asOf?: Date | null;
  /** Periods whose [start, end) overlaps [from, to); either bound may be open. */
  from?: Date | null;
  to?: Date | null;
}

/** What to read of each period: its fields (PERIOD_KEY_FIELDS included) and what its statement reads ahead for the fields below it. */
export interface PeriodSelection {
  fields: readonly string[];
  readAhead?: ReadAhead | null;
}

/** The read-ahead column of the period rows aliased `alias`. */
function readAheadColumn(alias: string, selection: PeriodSelection, when: Sql = empty): Sql {
  return prefetchedColumn('period', { row: raw(alias) }, selection.readAhead, when);
}

export interface PeriodPageRequest extends PeriodFilter {
  size: number;
  after?: string | null;
  selection: PeriodSelection;
}

/**
 * Newest first: by number, then (for several statuses sharing a number) newest row first.
 * Times are compared at millisecond precision, the precision of the DateTime in the cursor,
 * so that a row is never skipped or repeated at a page boundary.
 */
const PERIOD_CURSOR = cursorCodec('periods', ['int', 'timestamp', 'uuid']);

export function periodCursor(period: Pick<AnalysisPeriod, 'periodNumber' | 'createdAt' | 'id'>): string {
  // createdAt is a Date, or an ISO string in a row rendered as JSON: the cursor holds the same text.
  return PERIOD_CURSOR.encode([period.periodNumber, isoTimestamp(period.createdAt)!, period.id]);
}

function visibility(filter: PeriodFilter): Sql {
  if (filter.asOf) {
    // A superseded row without a replacement (deleted since) is taken as superseded when it last changed.
    return sql`ap.created_at <= ${filter.asOf}::timestamptz
      AND (ap.status = 'active'
           OR (ap.status = 'superseded'
               AND COALESCE((SELECT rep.created_at FROM analysis_periods rep WHERE rep.id = ap.superseded_by), ap.updated_at) > ${filter.asOf}::timestamptz))`;
  }
  // A literal status = 'active' lets PostgreSQL use the partial indexes built for the timeline.
  return filter.statuses.length === 1 && filter.statuses[0] === 'active'
    ? sql`ap.status = 'active'`
    : sql`ap.status = ANY(${filter.statuses}::text[])`;
}

function filterConditions(filter: PeriodFilter): Sql {
  const status = visibility(filter);
  const window =
    filter.from || filter.to
      ? sql`AND tstzrange(ap.period_start, ap.period_end) && tstzrange(${filter.from ?? null}::timestamptz, ${filter.to ?? null}::timestamptz)`
      : empty;
  return sql`${status} ${window}`;
}

/** The period fields always loaded: keys, the neighbour position and the cursor. */
export const PERIOD_KEY_FIELDS = ['id', 'entityType', 'entityId', 'periodNumber', 'createdAt'] as const;

/**
 * A period row holding the fields a request asked for (always the key fields); typed as the
 * whole row, since the resolvers read only what they asked for. What was read ahead with it
 * (by response key) is JSON (timestamps as ISO strings).
 */
export type PeriodRow = AnalysisPeriod & { prefetched?: Record<string, unknown> };

/** The page order, newest first (see periodCursor), and the rows a page request keeps. */
const PAGE_ORDER = sql`ap.period_number DESC, date_trunc('milliseconds', ap.created_at) DESC, ap.id DESC`;

function pageConditions(request: PeriodPageRequest): Sql {
  const cursor = request.after ? PERIOD_CURSOR.decode(request.after) : null;
  return sql`${filterConditions(request)} ${
    cursor
      ? sql`AND (ap.period_number, date_trunc('milliseconds', ap.created_at), ap.id) < (${cursor[0]}::int, date_trunc('milliseconds', ${cursor[1]}::timestamptz), ${cursor[2]}::uuid)`
      : empty
  }`;
}

/**
 * `Entity.periods`: a page of the entity's periods, newest first, as a JSON array of up to
 * size + 1 periods (the extra one tells a next page exists), each with the requested fields and
 * what it reads ahead. Its rows carry timestamps as ISO strings.
 */
export const ENTITY_PERIODS = defineRead('entity', 'Entity.periods', (entity, request: PeriodPageRequest) => {
  const inPage = sql`page.page_position <= ${request.size}`;
  return sql`(SELECT COALESCE(json_agg(${jsonObject('AnalysisPeriod', 'page', request.selection.fields, prefetchedPair('period', { row: raw('page') }, request.selection.readAhead, inPage))}
                                ORDER BY page.page_position), '[]')
     FROM (SELECT ap.*, row_number() OVER (ORDER BY ${PAGE_ORDER}) AS page_position FROM analysis_periods ap
           WHERE ap.entity_type = ${entity.type} AND ap.entity_id = ${entity.id} AND ${pageConditions(request)}
           ORDER BY ${PAGE_ORDER} LIMIT ${request.size + 1}) page)`;
});

/** How many periods match the filter, per entity: one statement for all of them. */
export function countPeriods(db: Queryable, keys: EntityKey[], filter: PeriodFilter): Promise<number[]> {
  return countPerEntity(db, keys, 'analysis_periods', 'ap', filterConditions(filter));
}

export interface NumberedKey extends EntityKey {
  periodNumber: number;
}

/** (entity, period number) pairs as a table `k(entity_type, entity_id, period_number, ord)`. */
function numberedKeysTable(keys: readonly PeriodPosition[]): Sql {
  return parameterRows('k', [
    ['entity_type', 'text', keys.map((k) => k.entityType)],
    ['entity_id', 'uuid', keys.map((k) => k.entityId)],
    ['period_number', 'int', keys.map((k) => k.periodNumber)],
  ]);
}

/** get_period_by_number() for many (entity, number) pairs in one statement. */
export async function periodsByNumber(db: Queryable, keys: NumberedKey[], selection: PeriodSelection): Promise<(PeriodRow | null)[]> {
  const rows = await queryRows<PeriodRow & { ord: string }>(
    db,
    sql`
    SELECT k.ord, ${selectList('AnalysisPeriod', 'p', selection.fields)} ${readAheadColumn('p', selection)}
    FROM ${numberedKeysTable(keys)}
    -- LIMIT 1 (there is at most one) keeps the function's default estimate of 1000 rows per key
    -- from pushing the statement over jit_above_cost: JIT compiling costs more than the statement.
    CROSS JOIN LATERAL (SELECT * FROM get_period_by_number(k.entity_type, k.entity_id, k.period_number) LIMIT 1) p`,
  );
  return groupByKey(keys, rows).map((group) => group[0] ?? null);
}

/** Periods by id, whatever their status, in one statement (null for an id with no row). */
export async function periodsById(db: Queryable, ids: string[], selection: PeriodSelection): Promise<(PeriodRow | null)[]> {
  const rows = await queryRows<PeriodRow>(
    db,
    sql`SELECT ${selectList('AnalysisPeriod', 'p', selection.fields)} ${readAheadColumn('p', selection)}
        FROM analysis_periods p WHERE ${isAnyOf(sql`p.id`, ids, 'uuid')}`,
  );
  return inOrderOf(ids, rows);
}

/** The earlier runs each period replaced (their superseded_by is it), oldest first, at most `limit` each: one statement. */
export async function supersededPeriods(db: Queryable, ids: string[], selection: PeriodSelection, limit: number): Promise<PeriodRow[][]> {
  const rows = await queryRows<PeriodRow & { ord: string }>(
    db,
    sql`SELECT k.ord, s.* ${readAheadColumn('s', selection)}
        FROM ${parameterRows('k', [['id', 'uuid', ids]])}
        CROSS JOIN LATERAL (
          SELECT ${selectList('AnalysisPeriod', 'p', selection.fields)} FROM analysis_periods p
          WHERE p.superseded_by = k.id ORDER BY p.created_at, p.id LIMIT ${limit}) s
        ORDER BY k.ord, s."createdAt", s.id`,
  );
  return groupByKey(ids, rows);
}

export type Direction = 'previous' | 'next';

export type PeriodPosition = Pick<AnalysisPeriod, 'entityType' | 'entityId' | 'periodNumber'>;

/** The neighbouring active period of each given period (same entity), in one statement. */
export async function neighbouringPeriods(
  db: Queryable,
  periods: PeriodPosition[],
  direction: Direction,
  selection: PeriodSelection,
): Promise<(PeriodRow | null)[]> {
  const step =
    direction === 'previous'
      ? sql`n.period_number < k.period_number ORDER BY n.period_number DESC`
      : sql`n.period_number > k.period_number ORDER BY n.period_number ASC`;
  const rows = await queryRows<PeriodRow & { ord: string }>(
    db,
    sql`
    SELECT k.ord, neighbour.* ${readAheadColumn('neighbour', selection)}
    FROM ${numberedKeysTable(periods)}
    CROSS JOIN LATERAL (
      SELECT ${selectList('AnalysisPeriod', 'n', selection.fields)} FROM analysis_periods n
      WHERE n.entity_type = k.entity_type AND n.entity_id = k.entity_id AND n.status = 'active' AND ${step}
      LIMIT 1
    ) neighbour`,
  );
  return groupByKey(periods, rows).map((group) => group[0] ?? null);
}

/** `AnalysisPeriod.crawlTaskCount`: the tasks linked to the period (tasks.period_id). */
export const PERIOD_TASK_COUNT = defineRead('period', 'AnalysisPeriod.crawlTaskCount', (period) => sql`(SELECT count(*)::int FROM tasks t WHERE t.period_id = ${period.row}.id)`);
