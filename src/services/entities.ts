import type { Topic, TrackedUser } from '../generated/prisma/client.js';
import { empty, isAnyOf, join, queryRows, raw, selectList, sql, type Sql } from '../db/sql.js';
import type { Queryable } from '../db/queryable.js';
import { badUserInput } from '../errors.js';
import type { EntityKey, EntityKind } from './entityKeys.js';
import { decodeCursor, encodeCursor, pageOfRows } from './pagination.js';
import { anomaliesJson, metricTrendJson, type AnomalyOptions, type TrendOptions } from './analytics.js';
import { eventStatsJson, type EventStatsRequest } from './eventAnalytics.js';
import { metricSeriesJson, type SeriesRequest } from './metricSeries.js';
import { periodPageJson, type PeriodPageRequest } from './periods.js';

/** The entity fields always loaded: the id, and for users the profile URL that tells them from topics. */
export const ENTITY_KEY_FIELDS = { topic: ['id'], user: ['id', 'profileUrl'] } as const;

/** A topic or user row holding the fields asked for (always the key fields), typed as the whole row. */
export type EntityRow = Topic | TrackedUser;

/**
 * What hangs off an entity that its own statement reads too, by the response key of the field
 * that asked for it: a page of its periods, its anomalies, its metric trend, a metric series,
 * its event statistics.
 */
export type EntityExtra =
  | { periods: PeriodPageRequest }
  | { anomalies: AnomalyOptions }
  | { metricTrend: TrendOptions }
  | { metricSeries: SeriesRequest }
  | { eventStats: EventStatsRequest };

function extraJson(entity: { type: Sql; id: Sql }, extra: EntityExtra): Sql {
  if ('periods' in extra) return periodPageJson(entity, extra.periods);
  if ('anomalies' in extra) return anomaliesJson(entity, extra.anomalies);
  if ('metricSeries' in extra) return metricSeriesJson(entity, extra.metricSeries);
  if ('eventStats' in extra) return eventStatsJson(entity, extra.eventStats);
  return metricTrendJson(entity, extra.metricTrend);
}
export type EntityExtras = Record<string, EntityExtra>;

export interface EntityFields {
  topic: readonly string[];
  user: readonly string[];
  extras?: EntityExtras | null;
}

/** A topic or user row with, under `prefetched`, what its extras rendered (by response key). */
export type EntityRowWithExtras = EntityRow & { prefetched?: Record<string, unknown> };

/**
 * `, json_build_object('key', <extra>, ...) AS "prefetched"` for the entity rows of `table`
 * aliased `e`: each extra a JSON value computed per entity row.
 */
function extrasColumn(kind: EntityKind, extras: EntityExtras | null | undefined): Sql {
  const entries = Object.entries(extras ?? {});
  if (entries.length === 0) return empty;
  const entity = { type: sql`${kind}::varchar`, id: sql`e.id` };
  const pairs = entries.map(([key, extra]) => sql`${key}::text, ${extraJson(entity, extra)}`);
  return sql`, json_build_object(${join(pairs, ', ')}) AS "prefetched"`;
}

/** Topics and tracked users by key, with the given fields and extras: one statement per kind present. */
export async function entitiesByKey(db: Queryable, keys: EntityKey[], fields: EntityFields): Promise<(EntityRowWithExtras | null)[]> {
  const topicIds = keys.filter((k) => k.entityType === 'topic').map((k) => k.entityId);
  const userIds = keys.filter((k) => k.entityType === 'user').map((k) => k.entityId);
  const [topics, users] = await Promise.all([
    topicIds.length
      ? queryRows<Topic>(db, sql`SELECT ${selectList('Topic', 'e', fields.topic)} ${extrasColumn('topic', fields.extras)} FROM topics e WHERE ${isAnyOf(sql`e.id`, topicIds, 'uuid')}`)
      : [],
    userIds.length
      ? queryRows<TrackedUser>(db, sql`SELECT ${selectList('TrackedUser', 'e', fields.user)} ${extrasColumn('user', fields.extras)} FROM users e WHERE ${isAnyOf(sql`e.id`, userIds, 'uuid')}`)
      : [],
  ]);
  const byKey = new Map<string, EntityRow>([
    ...topics.map((t) => [`topic:${t.id}`, t] as const),
    ...users.map((u) => [`user:${u.id}`, u] as const),
  ]);
  return keys.map((k) => byKey.get(`${k.entityType}:${k.entityId}`) ?? null);
}

/** The topics and tracked-users lists: filters, in list order (pinned first, then position, name, id). */
export interface EntityListFilter {
  status?: string | null;
  /** Case-insensitive substring of the name; `%` and `_` match themselves. */
  search?: string | null;
  /** Users only. */
  platform?: string | null;
}

export interface EntityListPage {
  size: number;
  /** Keyset cursors (entityListCursor); `before` pages backwards. */
  after?: string | null;
  before?: string | null;
  backward: boolean;
}

const LIST_TABLES = { topic: { table: 'topics', model: 'Topic' }, user: { table: 'users', model: 'TrackedUser' } } as const;
const LIST_KEY_FIELDS = ['isPinned', 'position', 'name', 'id'] as const;

type ListKey = Pick<Topic, 'isPinned' | 'position' | 'name' | 'id'>;

/** Opaque keyset cursor of a topic or user in its list. */
export function entityListCursor(row: ListKey): string {
  return encodeCursor([row.isPinned, row.position, row.name, row.id]);
}

/**
 * Rows after (or before) a cursor in list order. is_pinned sorts descending and the rest
 * ascending, so the keyset splits on it.
 */
function keysetCondition(cursor: string, argument: 'after' | 'before'): Sql {
  const [pinned, position, name, id] = decodeCursor(cursor, argument);
  if (typeof pinned !== 'boolean' || !Number.isInteger(position) || typeof name !== 'string' || typeof id !== 'string' || !UUID.test(id)) {
    throw badUserInput(`\`${argument}\` is not a cursor of this list returned by this API`, argument);
  }
  const rest = sql`(${position}::int, ${name}::text, ${id}::uuid)`;
  return argument === 'after'
    ? sql`(e.is_pinned < ${pinned} OR (e.is_pinned = ${pinned} AND (e.position, e.name, e.id) > ${rest}))`
    : sql`(e.is_pinned > ${pinned} OR (e.is_pinned = ${pinned} AND (e.position, e.name, e.id) < ${rest}))`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function listConditions(kind: EntityKind, filter: EntityListFilter): Sql {
  const conditions = [sql`true`];
  if (filter.status) conditions.push(sql`e.status = ${filter.status}`);
  if (kind === 'user' && filter.platform) conditions.push(sql`e.platform = ${filter.platform}`);
  if (filter.search) conditions.push(sql`e.name ILIKE ${`%${filter.search.replace(/[\\%_]/g, '\\$&')}%`}`);
  return join(conditions, ' AND ');
}

/**
 * One page of topics or users in list order, with the given fields (the list's key fields
 * always). Forward pages read `size + 1` rows after the cursor; backward ones the rows before
 * it in reverse, turned back: the extra row tells whether the list goes on.
 */
export async function loadEntityList(
  db: Queryable,
  kind: EntityKind,
  filter: EntityListFilter,
  page: EntityListPage,
  fields: readonly string[],
  extras?: EntityExtras | null,
): Promise<{ rows: EntityRowWithExtras[]; hasMore: boolean }> {
  const { table, model } = LIST_TABLES[kind];
  const select = selectList(model, 'e', new Set([...fields, ...LIST_KEY_FIELDS]));
  const conditions = [listConditions(kind, filter)];
  if (page.after) conditions.push(keysetCondition(page.after, 'after'));
  if (page.before) conditions.push(keysetCondition(page.before, 'before'));
  const order = page.backward ? sql`e.is_pinned ASC, e.position DESC, e.name DESC, e.id DESC` : sql`e.is_pinned DESC, e.position ASC, e.name ASC, e.id ASC`;
  const rows = await queryRows<EntityRowWithExtras>(
    db,
    sql`SELECT ${select} ${extrasColumn(kind, extras)} FROM ${raw(table)} e WHERE ${join(conditions, ' AND ')} ORDER BY ${order} LIMIT ${page.size + 1}`,
  );
  const { nodes, hasNextPage: hasMore } = pageOfRows(rows, page.size);
  return { rows: page.backward ? [...nodes].reverse() : nodes, hasMore };
}

/** How many topics or users the list's filter keeps. */
export async function countEntityList(db: Queryable, kind: EntityKind, filter: EntityListFilter): Promise<number> {
  const rows = await queryRows<{ total: number }>(db, sql`SELECT count(*)::int AS total FROM ${raw(LIST_TABLES[kind].table)} e WHERE ${listConditions(kind, filter)}`);
  return rows[0]!.total;
}
