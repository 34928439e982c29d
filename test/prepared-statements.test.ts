import { afterAll, describe, expect, it } from 'vitest';
import { createPool } from '../src/db/pool.js';
import { isAnyOf, parameterRows, queryRows, sql } from '../src/db/sql.js';
import { createTestDatabase } from './helpers/database.js';
import { entitiesByKey } from '../src/services/entities/entityReads.js';
import { ENTITY_ANOMALIES } from '../src/services/analytics/anomalies.js';
import { insertTopic } from './helpers/fixtures.js';

describe('reads run as prepared statements', async () => {
  const db = await createTestDatabase();
  // One connection, so every statement below meets the statements prepared before it.
  const single = createPool({ connectionString: db.url, max: 1 });
  const unprepared = createPool({ connectionString: db.url, max: 1, preparedStatements: false });
  afterAll(async () => {
    await single.end();
    await unprepared.end();
  });
  const prepared = async (pool: typeof single) =>
    (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'gw\\_%'`)).rows[0]!.n;

  it('prepares each read once per connection and reuses it, with other values', async () => {
    const first = await insertTopic(db.pool, 'Prepared one');
    const second = await insertTopic(db.pool, 'Prepared two');
    const read = (id: string) => queryRows<{ name: string }>(single, sql`SELECT name FROM topics WHERE id = ${id}::uuid`);
    expect(await read(first)).toEqual([{ name: 'Prepared one' }]);
    expect(await prepared(single)).toBe(1);
    expect(await read(second)).toEqual([{ name: 'Prepared two' }]);
    expect(await prepared(single)).toBe(1);
  });

  it('prepares nothing when turned off (DATABASE_PREPARED_STATEMENTS=false)', async () => {
    await queryRows(unprepared, sql`SELECT count(*) FROM topics`);
    expect(await prepared(unprepared)).toBe(0);
  });

  it('answers when a table a prepared read uses changes shape under it', async () => {
    await db.pool.query(`CREATE TABLE reshaped (a int)`);
    await db.pool.query(`INSERT INTO reshaped VALUES (1)`);
    const read = () => queryRows<Record<string, number | null>>(single, sql`SELECT * FROM reshaped`);
    expect(await read()).toEqual([{ a: 1 }]);
    await db.pool.query(`ALTER TABLE reshaped ADD COLUMN b int`);
    expect(await read()).toEqual([{ a: 1, b: null }]);
    expect(await read()).toEqual([{ a: 1, b: null }]);
  });

  it('plans a one-entity read once: after the first executions PostgreSQL keeps its generic plan', async () => {
    const ids = [await insertTopic(db.pool, 'Planned one'), await insertTopic(db.pool, 'Planned two')];
    // The entity with an extra (its anomalies): a plan dear enough that replanning would show.
    const fields = { topic: ['id', 'name'], user: ['id'], readAhead: { anomalies: { read: ENTITY_ANOMALIES, request: { metric: 'total_posts', threshold: 2 } } } };
    const plans = async (statement: string) =>
      (
        await single.query<{ generic: number; custom: number }>(
          `SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE statement LIKE $1`,
          [`%FROM topics e WHERE e.id ${statement}%`],
        )
      ).rows[0];
    for (let i = 0; i < 10; i++) {
      const [topic] = await entitiesByKey(single, [{ entityType: 'topic', entityId: ids[i % 2]! }], fields);
      expect(topic).toMatchObject({ id: ids[i % 2], name: i % 2 ? 'Planned two' : 'Planned one', prefetched: { anomalies: [] } });
    }
    // PostgreSQL plans the first five executions for their values, then compares.
    expect(await plans('= $')).toEqual({ generic: 5, custom: 5 });
    // Two or more ids: one statement for all of them, as before.
    const both = await entitiesByKey(single, ids.map((entityId) => ({ entityType: 'topic' as const, entityId })), fields);
    expect(both.map((t) => t?.id)).toEqual(ids);
    expect(await plans('= ANY(')).toMatchObject({ custom: 1 });
  });

  it('passes one key as a value and more as a list: the same rows, and a one-key read keeps its generic plan too', async () => {
    const ids = [await insertTopic(db.pool, 'Keyed one'), await insertTopic(db.pool, 'Keyed two')];
    const keyed = (keys: string[]) =>
      queryRows<{ ord: string; id: string; label: string; name: string }>(
        single,
        sql`SELECT k.ord, k.id, k.label, t.name FROM ${parameterRows('k', [
          ['id', 'uuid', keys],
          ['label', 'text', keys.map((_, i) => `#${i}`)],
        ])} JOIN topics t ON t.id = k.id ORDER BY k.ord`,
      );
    expect(await keyed([ids[1]!])).toEqual([{ ord: '1', id: ids[1], label: '#0', name: 'Keyed two' }]);
    expect(await keyed([ids[1]!, ids[0]!])).toEqual([
      { ord: '1', id: ids[1], label: '#0', name: 'Keyed two' },
      { ord: '2', id: ids[0], label: '#1', name: 'Keyed one' },
    ]);
    const named = (keys: string[]) => queryRows<{ name: string }>(single, sql`SELECT name FROM topics t WHERE ${isAnyOf(sql`t.id`, keys, 'uuid')} ORDER BY name`);
    expect(await named([ids[0]!])).toEqual([{ name: 'Keyed one' }]);
    expect(await named(ids)).toEqual([{ name: 'Keyed one' }, { name: 'Keyed two' }]);
    for (let i = 0; i < 9; i++) await keyed([ids[i % 2]!]);
    const { rows } = await single.query<{ generic: number }>(
      `SELECT generic_plans::int AS generic FROM pg_prepared_statements WHERE statement LIKE '%FROM (VALUES ($1::uuid, $2::text, 1::bigint)) AS k(id, label, ord) JOIN topics%'`,
    );
    expect(rows).toEqual([{ generic: 5 }]);
  });
});
