import { Prisma, type PrismaClient } from '../generated/prisma/client.js';

export type EntityKind = 'topic' | 'user';

export interface EntityKey {
  entityType: EntityKind;
  entityId: string;
}

/**
 * Batched reads pass their entities as one `unnest(...) WITH ORDINALITY AS k(entity_type,
 * entity_id, ord)` table; rows come back tagged with `ord`, the key's 1-based position.
 */
export function entityKeysTable(keys: EntityKey[]): Prisma.Sql {
  return Prisma.sql`unnest(${keys.map((k) => k.entityType)}::text[], ${keys.map((k) => k.entityId)}::uuid[]) WITH ORDINALITY AS k(entity_type, entity_id, ord)`;
}

/** Rows tagged with `ord`, grouped back to the keys they belong to (without the tag). */
export function groupByKey<T extends { ord: bigint }>(keys: unknown[], rows: T[]): Omit<T, 'ord'>[][] {
  const grouped = keys.map(() => [] as Omit<T, 'ord'>[]);
  for (const { ord, ...row } of rows) grouped[Number(ord) - 1]!.push(row);
  return grouped;
}

/** One page per key from rows fetched with one extra row per key (the next page's first). */
export function pagesByKey<T extends { ord: bigint }>(keys: unknown[], rows: T[], size: number): { rows: Omit<T, 'ord'>[]; hasNextPage: boolean }[] {
  return groupByKey(keys, rows).map((group) => ({ rows: group.slice(0, size), hasNextPage: group.length > size }));
}

/** Tables whose rows point at their entity through (entity_type, entity_id). */
export type EntityRowTable = 'analysis_periods' | 'temporal_events' | 'crawl_effectiveness';

/**
 * Count, per entity, the rows of `table` (aliased `alias`, which `conditions` refer to) that
 * belong to it and match `conditions`: one statement for any number of entities.
 */
export async function countPerEntity(
  prisma: PrismaClient,
  keys: EntityKey[],
  table: EntityRowTable,
  alias: string,
  conditions: Prisma.Sql,
): Promise<number[]> {
  const x = Prisma.raw(alias);
  const rows = await prisma.$queryRaw<{ ord: bigint; total: number }[]>`
    SELECT k.ord, count(${x}.id)::int AS total
    FROM ${entityKeysTable(keys)}
    LEFT JOIN ${Prisma.raw(table)} ${x} ON ${x}.entity_type = k.entity_type AND ${x}.entity_id = k.entity_id AND ${conditions}
    GROUP BY k.ord`;
  return groupByKey(keys, rows).map((group) => group[0]?.total ?? 0);
}
