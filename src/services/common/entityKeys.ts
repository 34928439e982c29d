import { empty, parameterRows, queryRows, raw, sql, type Sql } from '../../db/sql.js';
import { pageOfRows, type Page } from './pages.js';
import type { Queryable } from '../../db/queryable.js';

export type EntityKind = 'topic' | 'user';

export interface EntityKey {
  entityType: EntityKind;
  entityId: string;
}

/**
 * Batched reads pass their entities as one table `k(entity_type, entity_id, ord)`
 * (parameterRows); rows come back tagged with `ord`, the key's 1-based position.
 */
export function entityKeysTable(keys: EntityKey[]): Sql {
  return parameterRows('k', [
    ['entity_type', 'text', keys.map((k) => k.entityType)],
    ['entity_id', 'uuid', keys.map((k) => k.entityId)],
  ]);
}

/**
 * Rows tagged with `ord` (the key's position; a bigint, which pg hands over as a string),
 * grouped back to the keys they belong to. The tag stays on the row: copying every row without
 * it costs more than a property nobody reads.
 */
export function groupByKey<T extends { ord: bigint | string | number }>(keys: unknown[], rows: T[]): T[][] {
  const grouped = keys.map(() => [] as T[]);
  for (const row of rows) grouped[Number(row.ord) - 1]!.push(row);
  return grouped;
}

/** The row of each id, in the order of `ids` (null for an id without a row). */
export function inOrderOf<T extends { id: string }>(ids: readonly string[], rows: T[]): (T | null)[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** One page per key from rows fetched with one extra row per key (the next page's first). */
export function pagesByKey<T extends { ord: bigint | string | number }>(keys: unknown[], rows: T[], size: number): Page<T>[] {
  return groupByKey(keys, rows).map((group) => pageOfRows(group, size));
}

/** A page of rows per entity, read by loadPagesPerEntity. */
export interface EntityPageQuery {
  /** The table or view, with the alias that `select`, `where` and `orderBy` use. */
  from: Sql;
  alias: string;
  select: Sql;
  /** Filter and cursor conditions (the entity match is added). */
  where: Sql;
  /** The page order; must be total (end with the id) so cursors are exact. */
  orderBy: Sql;
  size: number;
  /**
   * Further columns computed on each page row (aliased `page`) after the page is cut, such as
   * the lists nested under it; `inPage` is true except on the look-ahead row.
   */
  pageColumns?: (inPage: Sql) => Sql;
}

/**
 * One page per entity in one statement: for each key, its rows in page order, stopped after
 * size + 1 rows (the extra one tells whether a next page exists). Per entity that is a short
 * scan of its own rows: the entity match sits inside a LATERAL subquery, so it also reaches
 * into views (a join condition would not, and a view's window would run over every entity).
 */
export async function loadPagesPerEntity<T>(db: Queryable, keys: EntityKey[], query: EntityPageQuery): Promise<Page<T>[]> {
  const x = raw(query.alias);
  const rows = await queryRows<T & { ord: string }>(
    db,
    sql`
    SELECT k.ord, page.* ${query.pageColumns ? query.pageColumns(sql`page.page_position <= ${query.size}`) : empty} FROM ${entityKeysTable(keys)}
    CROSS JOIN LATERAL (
      SELECT ${query.select}, row_number() OVER (ORDER BY ${query.orderBy}) AS page_position
      FROM ${query.from}
      WHERE ${x}.entity_type = k.entity_type AND ${x}.entity_id = k.entity_id AND ${query.where}
      ORDER BY ${query.orderBy}
      LIMIT ${query.size + 1}
    ) page
    ORDER BY k.ord, page.page_position`,
  );
  return pagesByKey(keys, rows, query.size);
}

/** Tables whose rows point at their entity through (entity_type, entity_id). */
export type EntityRowTable = 'analysis_periods' | 'temporal_events' | 'crawl_effectiveness';

/**
 * Count, per entity, the rows of `table` (aliased `alias`, which `conditions` refer to) that
 * belong to it and match `conditions`: one statement for any number of entities.
 */
export async function countPerEntity(
  db: Queryable,
  keys: EntityKey[],
  table: EntityRowTable,
  alias: string,
  conditions: Sql,
): Promise<number[]> {
  const x = raw(alias);
  const rows = await queryRows<{ ord: string; total: number }>(
    db,
    sql`
    SELECT k.ord, count(${x}.id)::int AS total
    FROM ${entityKeysTable(keys)}
    LEFT JOIN ${raw(table)} ${x} ON ${x}.entity_type = k.entity_type AND ${x}.entity_id = k.entity_id AND ${conditions}
    GROUP BY k.ord`,
  );
  return groupByKey(keys, rows).map((group) => group[0]?.total ?? 0);
}
