import { queryRows, raw, sql, type Sql } from '../db/sql.js';
import type { Queryable } from '../db/queryable.js';

export type EntityKind = 'topic' | 'user';

export interface EntityKey {
  entityType: EntityKind;
  entityId: string;
}

/**
 * Batched reads pass their entities as one `unnest(...) WITH ORDINALITY AS k(entity_type,
 * entity_id, ord)` table; rows come back tagged with `ord`, the key's 1-based position.
 */
export function entityKeysTable(keys: EntityKey[]): Sql {
  return sql`unnest(${keys.map((k) => k.entityType)}::text[], ${keys.map((k) => k.entityId)}::uuid[]) WITH ORDINALITY AS k(entity_type, entity_id, ord)`;
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

/** One page per key from rows fetched with one extra row per key (the next page's first). */
export function pagesByKey<T extends { ord: bigint | string | number }>(keys: unknown[], rows: T[], size: number): { rows: T[]; hasNextPage: boolean }[] {
  return groupByKey(keys, rows).map((group) => ({ rows: group.slice(0, size), hasNextPage: group.length > size }));
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
