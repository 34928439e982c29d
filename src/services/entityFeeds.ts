import type { CrawlEffectiveness, TemporalEvent } from '../generated/prisma/client.js';
import { allFields, empty, isAnyOf, jsonObject, queryRows, selectList, sql, type Sql } from '../db/sql.js';
import type { Queryable } from '../db/queryable.js';
import { badUserInput } from '../errors.js';
import { decodeCursor, encodeCursor, type Page } from './pagination.js';
import { countPerEntity, entityKeysTable, groupByKey, inOrderOf, loadPagesPerEntity, pagesByKey, type EntityKey } from './entityKeys.js';
import { defineRead, type ListRead } from './sqlReads.js';

/**
 * Per-entity lists that are not plain relations: events, ranked crawl effectiveness and the
 * content timeline. Each loads a page for many entities in one statement, so nesting them
 * under a list of entities stays flat.
 */

function cursorParts(cursor: string | null | undefined, check: (values: unknown[]) => boolean): unknown[] | null {
  if (!cursor) return null;
  const values = decodeCursor(cursor);
  if (!check(values)) throw badUserInput('`after` is not a cursor of this list', 'after');
  return values;
}

// ---------------------------------------------------------------------------------------------
// Temporal events, newest detection first.

export interface EventFilter {
  unresolvedOnly?: boolean | null;
  pendingOnly?: boolean | null;
  severities?: string[] | null;
  eventType?: string | null;
}

/** Millisecond precision, like the page order, so a page boundary never skips a row. */
export function eventCursor(event: Pick<TemporalEvent, 'firstDetectedAt' | 'id'>): string {
  return encodeCursor([event.firstDetectedAt.toISOString(), event.id]);
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
  const cursor = cursorParts(request.after, ([at, id]) => typeof at === 'string' && !Number.isNaN(Date.parse(at)) && typeof id === 'string');
  return loadPagesPerEntity<EventRow>(db, keys, {
    from: sql`temporal_events te`,
    alias: 'te',
    select: selectList('TemporalEvent', 'te', request.fields),
    where: sql`${eventConditions(request)}
      ${cursor ? sql`AND (date_trunc('milliseconds', te.first_detected_at), te.id) < (${cursor[0]}::timestamptz, ${cursor[1]}::uuid)` : empty}`,
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
  (period, read: ListRead) =>
    sql`(SELECT COALESCE(json_agg(${jsonObject('TemporalEvent', 'te', read.fields)} ORDER BY te.first_detected_at, te.id), '[]')
         FROM (SELECT * FROM temporal_events te WHERE te.period_id = ${period.row}.id ORDER BY te.first_detected_at, te.id LIMIT ${read.limit}) te)`,
);

/** `AnalysisPeriod.unresolvedEventCount`: the period's events still open. */
export const PERIOD_UNRESOLVED_EVENTS = defineRead(
  'period',
  'AnalysisPeriod.unresolvedEventCount',
  (period) => sql`(SELECT count(*)::int FROM temporal_events te WHERE te.period_id = ${period.row}.id AND te.resolved_at IS NULL)`,
);

// ---------------------------------------------------------------------------------------------
// Crawl effectiveness as ranked by v_crawl_effectiveness_ranking: best score first.

export interface EffectivenessRank {
  id: string;
  periodId: string;
  entityType: string;
  entityId: string;
  platform: string;
  query: string;
  totalFound: number;
  relevantCount: number;
  highValueCount: number;
  effectivenessScore: number | null;
  avgRelevance: number | null;
  coverageRatio: number | null;
  recommendations: string | null;
  createdAt: Date;
  recentAvgEffectiveness: number | null;
  querySimilarity: number | null;
}

export interface EffectivenessFilter {
  platform?: string | null;
  /** Trigram match (pg_trgm's % operator, the GIN index on query) against this text. */
  querySearch?: string | null;
}

export function effectivenessCursor(rank: Pick<EffectivenessRank, 'effectivenessScore' | 'id'>): string {
  return encodeCursor([rank.effectivenessScore ?? -1, rank.id]);
}

function effectivenessConditions(filter: EffectivenessFilter): Sql {
  return sql`true
    ${filter.platform ? sql`AND r.platform = ${filter.platform}` : empty}
    ${filter.querySearch ? sql`AND r.query % ${filter.querySearch}` : empty}`;
}

export function loadEffectivenessPages(
  db: Queryable,
  keys: EntityKey[],
  request: EffectivenessFilter & { size: number; after?: string | null },
): Promise<Page<EffectivenessRank>[]> {
  const cursor = cursorParts(request.after, ([score, id]) => typeof score === 'number' && typeof id === 'string');
  // Scores lie in 0..1, so -1 sorts a missing score last, as the view's NULLS LAST does.
  return loadPagesPerEntity<EffectivenessRank>(db, keys, {
    from: sql`v_crawl_effectiveness_ranking r`,
    alias: 'r',
    // The view has the table's columns, plus the recent average.
    select: sql`${selectList('CrawlEffectiveness', 'r', allFields('CrawlEffectiveness'))},
      r.recent_avg_effectiveness AS "recentAvgEffectiveness",
      ${request.querySearch ? sql`similarity(r.query, ${request.querySearch})::float8` : sql`NULL::float8`} AS "querySimilarity"`,
    where: sql`${effectivenessConditions(request)}
      ${cursor ? sql`AND (coalesce(r.effectiveness_score, -1), r.id) < (${cursor[0]}::float8, ${cursor[1]}::uuid)` : empty}`,
    orderBy: sql`coalesce(r.effectiveness_score, -1) DESC, r.id DESC`,
    size: request.size,
  });
}

export function countEffectiveness(db: Queryable, keys: EntityKey[], filter: EffectivenessFilter): Promise<number[]> {
  return countPerEntity(db, keys, 'crawl_effectiveness', 'r', effectivenessConditions(filter));
}

/** `AnalysisPeriod.crawlEffectiveness`: how each crawl query of the period worked, best score first, at most `limit`. */
export const PERIOD_CRAWL_EFFECTIVENESS = defineRead(
  'period',
  'AnalysisPeriod.crawlEffectiveness',
  (period, read: ListRead) =>
    sql`(SELECT COALESCE(json_agg(${jsonObject('CrawlEffectiveness', 'ce', read.fields)} ORDER BY ce.effectiveness_score DESC NULLS LAST, ce.id), '[]')
         FROM (SELECT * FROM crawl_effectiveness ce WHERE ce.period_id = ${period.row}.id
               ORDER BY ce.effectiveness_score DESC NULLS LAST, ce.id LIMIT ${read.limit}) ce)`,
);

// ---------------------------------------------------------------------------------------------
// The content timeline of get_content_timeline(): newest period first, then relevance.

export interface ContentTimelineEntry {
  contentId: string;
  periodId: string;
  periodNumber: number;
  contributionType: string;
  relevanceScore: number | null;
  textSnapshot: string | null;
  periodStart: Date;
  periodEnd: Date;
}

export interface ContentTimelineFilter {
  from?: Date | null;
  to?: Date | null;
  minRelevance: number;
}

export function contentTimelineCursor(entry: ContentTimelineEntry): string {
  return encodeCursor([entry.periodNumber, entry.relevanceScore ?? -1, entry.contentId]);
}

function timelineCall(filter: ContentTimelineFilter): Sql {
  return sql`get_content_timeline(k.entity_type, k.entity_id, ${filter.from ?? null}::timestamptz, ${filter.to ?? null}::timestamptz, ${filter.minRelevance}::float8)`;
}

export async function loadContentTimelinePages(
  db: Queryable,
  keys: EntityKey[],
  request: ContentTimelineFilter & { size: number; after?: string | null },
): Promise<Page<ContentTimelineEntry>[]> {
  const cursor = cursorParts(
    request.after,
    ([n, relevance, id]) => typeof n === 'number' && typeof relevance === 'number' && typeof id === 'string',
  );
  const rows = await queryRows<(ContentTimelineEntry & { ord: string })>(
    db,
    sql`
    SELECT k.ord, f.content_id AS "contentId", f.period_id AS "periodId", f.period_number AS "periodNumber",
           f.contribution_type AS "contributionType", f.relevance_score AS "relevanceScore",
           f.text_snapshot AS "textSnapshot", f.period_start AS "periodStart", f.period_end AS "periodEnd"
    FROM ${entityKeysTable(keys)}
    CROSS JOIN LATERAL (
      SELECT t.*, row_number() OVER () AS position
      FROM ${timelineCall(request)} t
      WHERE ${
        cursor
          ? sql`(t.period_number < ${cursor[0]}::int
                        OR (t.period_number = ${cursor[0]}::int AND (coalesce(t.relevance_score, -1) < ${cursor[1]}::float8
                            OR (coalesce(t.relevance_score, -1) = ${cursor[1]}::float8 AND t.content_id > ${cursor[2]}::uuid))))`
          : sql`true`
      }
      LIMIT ${request.size + 1}
    ) f
    ORDER BY k.ord, f.position`,
  );
  return pagesByKey(keys, rows, request.size);
}

export async function countContentTimeline(db: Queryable, keys: EntityKey[], filter: ContentTimelineFilter): Promise<number[]> {
  const rows = await queryRows<{ ord: string; total: number }>(
    db,
    sql`
    SELECT k.ord, (SELECT count(*)::int FROM ${timelineCall(filter)}) AS total
    FROM ${entityKeysTable(keys)}`,
  );
  return groupByKey(keys, rows).map((group) => group[0]?.total ?? 0);
}

/** Crawl-effectiveness records by id, in one statement (null for an id with no row). */
export async function crawlEffectivenessById(db: Queryable, ids: string[], fields: readonly string[]): Promise<(CrawlEffectiveness | null)[]> {
  const rows = await queryRows<CrawlEffectiveness>(db, sql`SELECT ${selectList('CrawlEffectiveness', 'ce', fields)} FROM crawl_effectiveness ce WHERE ${isAnyOf(sql`ce.id`, ids, 'uuid')}`);
  return inOrderOf(ids, rows);
}

/** Events by id, in one statement (null for an id with no row). */
export async function eventsById(db: Queryable, ids: string[], fields: readonly string[]): Promise<(EventRow | null)[]> {
  const rows = await queryRows<EventRow>(db, sql`SELECT ${selectList('TemporalEvent', 'te', fields)} FROM temporal_events te WHERE ${isAnyOf(sql`te.id`, ids, 'uuid')}`);
  return inOrderOf(ids, rows);
}
