import type { Topic, TrackedUser } from '../../generated/prisma/client.js';
import { isAnyOf, join, queryRows, raw, selectList, sql, type Sql } from '../../db/sql.js';
import type { Queryable } from '../../db/queryable.js';
import type { EntityKey, EntityKind } from '../common/entityKeys.js';
import { cursorCodec } from '../common/cursors.js';
import { pageOfRows } from '../common/pages.js';
import { prefetchedColumn, type ReadAhead } from '../common/sqlReads.js';

/** The entity fields always loaded: the id, and for users the profile URL that tells them from topics. */
export const ENTITY_KEY_FIELDS = { topic: ['id'], user: ['id', 'profileUrl'] } as const;

/** A topic or user row holding the fields asked for (always the key fields), typed as the whole row. */
export type EntityRow = Topic | TrackedUser;

/** A loaded topic or user row's key: users always carry their profile URL (ENTITY_KEY_FIELDS), topics have none. */
export function entityKeyOf(row: { id: string }): EntityKey {
  return { entityType: 'profileUrl' in row ? 'user' : 'topic', entityId: row.id };
}

export interface EntityFields {
  topic: readonly string[];
  user: readonly string[];
  /** The fields below the entity that its statement reads too (services/common/sqlReads.ts). */
  readAhead?: ReadAhead | null;
}

/** A topic or user row with, under `prefetched`, what was read ahead for it (by response key). */
export type LoadedEntity = EntityRow & { prefetched?: Record<string, unknown> };

/** The read-ahead column of the entity rows of `kind`, aliased `e`. */
function readAheadColumn(kind: EntityKind, readAhead: ReadAhead | null | undefined): Sql {
  return prefetchedColumn('entity', { type: sql`${kind}::varchar`, id: sql`e.id` }, readAhead);
}

/** Topics and tracked users by key, with the given fields and what they read ahead: one statement per kind present. */
export async function entitiesByKey(db: Queryable, keys: EntityKey[], fields: EntityFields): Promise<(LoadedEntity | null)[]> {
  const topicIds = keys.filter((k) => k.entityType === 'topic').map((k) => k.entityId);
  const userIds = keys.filter((k) => k.entityType === 'user').map((k) => k.entityId);
  const [topics, users] = await Promise.all([
    topicIds.length
      ? queryRows<Topic>(db, sql`SELECT ${selectList('Topic', 'e', fields.topic)} ${readAheadColumn('topic', fields.readAhead)} FROM topics e WHERE ${isAnyOf(sql`e.id`, topicIds, 'uuid')}`)
      : [],
    userIds.length
      ? queryRows<TrackedUser>(db, sql`SELECT ${selectList('TrackedUser', 'e', fields.user)} ${readAheadColumn('user', fields.readAhead)} FROM users e WHERE ${isAnyOf(sql`e.id`, userIds, 'uuid')}`)
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

const LIST_CURSOR = cursorCodec('this list', ['boolean', 'int', 'string', 'uuid']);

/** Opaque keyset cursor of a topic or user in its list. */
export function entityListCursor(row: ListKey): string {
  return LIST_CURSOR.encode([row.isPinned, row.position, row.name, row.id]);
}

/**
 * Rows after (or before) a cursor in list order. is_pinned sorts descending and the rest
 * ascending, so the keyset splits on it.
 */
function keysetCondition(cursor: string, argument: 'after' | 'before'): Sql {
  const [pinned, position, name, id] = LIST_CURSOR.decode(cursor, argument);
  const rest = sql`(${position}::int, ${name}::text, ${id}::uuid)`;
  return argument === 'after'
    ? sql`(e.is_pinned < ${pinned} OR (e.is_pinned = ${pinned} AND (e.position, e.name, e.id) > ${rest}))`
    : sql`(e.is_pinned > ${pinned} OR (e.is_pinned = ${pinned} AND (e.position, e.name, e.id) < ${rest}))`;
}

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
  readAhead?: ReadAhead | null,
): Promise<{ rows: LoadedEntity[]; hasMore: boolean }> {
  const { table, model } = LIST_TABLES[kind];
  const select = selectList(model, 'e', new Set([...fields, ...LIST_KEY_FIELDS]));
  const conditions = [listConditions(kind, filter)];
  if (page.after) conditions.push(keysetCondition(page.after, 'after'));
  if (page.before) conditions.push(keysetCondition(page.before, 'before'));
  const order = page.backward ? sql`e.is_pinned ASC, e.position DESC, e.name DESC, e.id DESC` : sql`e.is_pinned DESC, e.position ASC, e.name ASC, e.id ASC`;
  const rows = await queryRows<LoadedEntity>(
    db,
    sql`SELECT ${select} ${readAheadColumn(kind, readAhead)} FROM ${raw(table)} e WHERE ${join(conditions, ' AND ')} ORDER BY ${order} LIMIT ${page.size + 1}`,
  );
  const { nodes, hasNextPage: hasMore } = pageOfRows(rows, page.size);
  return { rows: page.backward ? [...nodes].reverse() : nodes, hasMore };
}

/** How many topics or users the list's filter keeps. */
export async function countEntityList(db: Queryable, kind: EntityKind, filter: EntityListFilter): Promise<number> {
  const rows = await queryRows<{ total: number }>(db, sql`SELECT count(*)::int AS total FROM ${raw(LIST_TABLES[kind].table)} e WHERE ${listConditions(kind, filter)}`);
  return rows[0]!.total;
}
