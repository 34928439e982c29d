import type { Topic, TrackedUser } from '../generated/prisma/client.js';
import { queryRows, selectList, sql } from '../db/sql.js';
import type { Queryable } from '../db/queryable.js';
import type { EntityKey } from './entityKeys.js';

/** The entity fields always loaded: the id, and for users the profile URL that tells them from topics. */
export const ENTITY_KEY_FIELDS = { topic: ['id'], user: ['id', 'profileUrl'] } as const;

/** A topic or user row holding the fields asked for (always the key fields), typed as the whole row. */
export type EntityRow = Topic | TrackedUser;

export interface EntityFields {
  topic: readonly string[];
  user: readonly string[];
}

/** Topics and tracked users by key, with the given fields: one statement per kind present. */
export async function entitiesByKey(db: Queryable, keys: EntityKey[], fields: EntityFields): Promise<(EntityRow | null)[]> {
  const topicIds = keys.filter((k) => k.entityType === 'topic').map((k) => k.entityId);
  const userIds = keys.filter((k) => k.entityType === 'user').map((k) => k.entityId);
  const [topics, users] = await Promise.all([
    topicIds.length ? queryRows<Topic>(db, sql`SELECT ${selectList('Topic', 't', fields.topic)} FROM topics t WHERE t.id = ANY(${topicIds}::uuid[])`) : [],
    userIds.length ? queryRows<TrackedUser>(db, sql`SELECT ${selectList('TrackedUser', 'u', fields.user)} FROM users u WHERE u.id = ANY(${userIds}::uuid[])`) : [],
  ]);
  const byKey = new Map<string, EntityRow>([
    ...topics.map((t) => [`topic:${t.id}`, t] as const),
    ...users.map((u) => [`user:${u.id}`, u] as const),
  ]);
  return keys.map((k) => byKey.get(`${k.entityType}:${k.entityId}`) ?? null);
}
