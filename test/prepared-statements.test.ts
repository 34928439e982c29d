import { afterAll, describe, expect, it } from 'vitest';
import { createPool } from '../src/db/pool.js';
import { queryRows, sql } from '../src/db/sql.js';
import { createTestDatabase } from './helpers/database.js';
import { entitiesByKey } from '../src/services/entities.js';
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
    const fields = { topic: ['id', 'name'], user: ['id'], extras: { anomalies: { anomalies: { metric: 'total_posts', threshold: 2 } } } };
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
});
