import type { CrawlEffectiveness } from '../../generated/prisma/client.js';
import { allFields, empty, isAnyOf, queryRows, selectList, sql, type Sql } from '../../db/sql.js';
import type { Queryable } from '../../db/queryable.js';
import { countPerEntity, inOrderOf, loadPagesPerEntity, type EntityKey } from '../common/entityKeys.js';
import { cursorCodec } from '../common/cursors.js';
import type { Page } from '../common/pages.js';
import { defineRead, periodRowsJson, type ListRead } from '../common/sqlReads.js';

/**
 * Reads of crawl effectiveness: an entity's crawl queries as v_crawl_effectiveness_ranking ranks
 * them, best score first (one page per entity, many entities in one statement), a period's
 * records, records by id.
 */

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

const EFFECTIVENESS_CURSOR = cursorCodec('crawl effectiveness', ['number', 'uuid']);

export function effectivenessCursor(rank: Pick<EffectivenessRank, 'effectivenessScore' | 'id'>): string {
  return EFFECTIVENESS_CURSOR.encode([rank.effectivenessScore ?? -1, rank.id]);
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
  const cursor = request.after ? EFFECTIVENESS_CURSOR.decode(request.after) : null;
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
    periodRowsJson('CrawlEffectiveness', 'crawl_effectiveness', 'ce', period, 'ce.effectiveness_score DESC NULLS LAST, ce.id', read),
);

/** Crawl-effectiveness records by id, in one statement (null for an id with no row). */
export async function crawlEffectivenessById(db: Queryable, ids: string[], fields: readonly string[]): Promise<(CrawlEffectiveness | null)[]> {
  const rows = await queryRows<CrawlEffectiveness>(db, sql`SELECT ${selectList('CrawlEffectiveness', 'ce', fields)} FROM crawl_effectiveness ce WHERE ${isAnyOf(sql`ce.id`, ids, 'uuid')}`);
  return inOrderOf(ids, rows);
}
