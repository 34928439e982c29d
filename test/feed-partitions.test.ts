import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migrate, rollback, type MigrationContext } from '../src/db/migrations.js';
import { createLogger } from '../src/logger.js';
import { maintainChangeFeed, type FeedRetentionSettings } from '../src/services/changeFeed/retention.js';
import { PartitionMaintenance } from '../src/services/history/partitionMaintenance.js';
import { createTestDatabase } from './helpers/database.js';
import { hoursAfter, insertPeriod, insertTopic } from './helpers/fixtures.js';
import { createTestGateway, listen } from './helpers/gateway.js';
import { subscribeSse, waitFor } from './helpers/subscriptions.js';

const DAY = 86_400_000;
const WEEK: FeedRetentionSettings = { retentionMs: 7 * DAY, partitionMs: DAY };
const PERIODS = `subscription($id: ID, $after: String) { periodCreated(entityType: TOPIC, entityId: $id, after: $after) { id periodNumber } }`;

/** The change feed's retention by time partitions (migration 0011, change_feed_maintain()). */
describe('the change feed’s time partitions', async () => {
  const db = await createTestDatabase();
  const ctx: MigrationContext = { pool: db.pool, migrationsTable: 'pgmigrations' };
  const dbTime = async (offset: string) => (await db.pool.query<{ at: string }>(`SELECT (clock_timestamp() + $1::interval)::text AS at`, [offset])).rows[0]!.at;
  const partitions = async () => (await db.pool.query<{ relname: string }>(`SELECT relname FROM time_partitions('change_feed')`)).rows.map((r) => r.relname);
  const whereRows = async () =>
    (await db.pool.query<{ part: string; n: number }>(`SELECT tableoid::regclass::text AS part, count(*)::int AS n FROM change_feed GROUP BY 1 ORDER BY 1`)).rows;
  const horizon = async () => (await db.pool.query<{ through: string | null }>(`SELECT pruned_through::text AS through FROM change_feed_horizon`)).rows[0]!.through;
  let number = 0;
  const topicId = await insertTopic(db.pool, 'Partitioned', { createdAt: '2026-01-01T00:00:00Z' });
  const writePeriod = () => {
    number += 1;
    return insertPeriod(db.pool, { entityId: topicId, number, start: hoursAfter(24 * (number - 1)), end: hoursAfter(24 * number) });
  };

  it('adopts the feed as it was: its rows stay (in the default partition), positions continue, and rolling back flattens it again', async () => {
    expect(await rollback(ctx, { steps: 2 })).toEqual(['0012_index_entity_list_order', '0011_time_partitions']);
    await writePeriod();
    await writePeriod();
    const flat = await db.pool.query<{ position: string }>(`SELECT position::text FROM change_feed ORDER BY position`);
    expect(flat.rows).toHaveLength(2);
    expect(await migrate(ctx)).toEqual({ adopted: [], applied: ['0011_time_partitions', '0012_index_entity_list_order'] });
    // Today's partition and two days ahead were made; the old rows are the default partition's.
    expect(await partitions()).toHaveLength(3);
    expect(await whereRows()).toEqual([{ part: 'change_feed_default', n: 2 }]);
    // Made after the default partition's newest row, the time partitions take the writes from now on.
    await writePeriod();
    const rows = await whereRows();
    expect(rows.find((r) => r.part !== 'change_feed_default')).toMatchObject({ part: expect.stringMatching(/^change_feed_p\d{8}_\d{6}$/), n: 1 });
    const { rows: positions } = await db.pool.query<{ position: string }>(`SELECT position::text FROM change_feed ORDER BY position`);
    expect(positions.map((p) => BigInt(p.position))).toEqual([BigInt(flat.rows[0]!.position), BigInt(flat.rows[1]!.position), BigInt(flat.rows[1]!.position) + 1n]);

    expect(await rollback(ctx, { steps: 2 })).toEqual(['0012_index_entity_list_order', '0011_time_partitions']);
    const { rows: back } = await db.pool.query<{ n: number; partitioned: boolean }>(
      `SELECT (SELECT count(*)::int FROM change_feed) AS n, EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = 'change_feed'::regclass) AS partitioned`,
    );
    expect(back[0]).toEqual({ n: 3, partitioned: false });
    await writePeriod();
    const { rows: last } = await db.pool.query<{ position: string }>(`SELECT max(position)::text AS position FROM change_feed`);
    expect(BigInt(last[0]!.position)).toBe(BigInt(flat.rows[1]!.position) + 2n);
    await migrate(ctx);
  });

  it('drops a partition once its end is older than the retention, recording the horizon; a week is kept', async () => {
    await db.pool.query(`DELETE FROM change_feed_default`);
    await writePeriod();
    const { rows } = await db.pool.query<{ xid: string }>(`SELECT max(xid)::text AS xid FROM change_feed`);
    // Six days on, nothing is old enough; the partitions ahead are made.
    const sixDays = await maintainChangeFeed(db.pool, WEEK, await dbTime('6 days'));
    expect(sixDays.filter((a) => a.action !== 'created')).toEqual([]);
    expect(sixDays.length).toBeGreaterThan(0);
    // Nine days on, today's partition (and tomorrow's) are past a week: dropped, not deleted from.
    const nineDays = await maintainChangeFeed(db.pool, WEEK, await dbTime('9 days'));
    const dropped = nineDays.filter((a) => a.action === 'dropped');
    expect(dropped.length).toBeGreaterThanOrEqual(1);
    expect(nineDays.filter((a) => a.action === 'deleted')).toEqual([]);
    expect(await whereRows()).toEqual([]);
    expect(await horizon()).toBe(rows[0]!.xid);
    for (const partition of dropped) expect(await partitions()).not.toContain(partition.partition);
  });

  it('a write with no partition for its time lands in the default partition, never fails; its rows are deleted once old, and partitions are made after them', async () => {
    // No time partition covers now: as if no gateway had maintained the feed for days.
    for (const name of await partitions()) await db.pool.query(`DROP TABLE ${name}`);
    await writePeriod();
    expect(await whereRows()).toEqual([{ part: 'change_feed_default', n: 1 }]);
    const now = await maintainChangeFeed(db.pool, WEEK);
    // Today's range holds a row of the default partition: today's partition starts after it.
    const created = now.filter((a) => a.action === 'created');
    expect(created.length).toBeGreaterThanOrEqual(3);
    const { rows } = await db.pool.query<{ after: boolean }>(
      `SELECT bool_and(lower_bound > (SELECT max(recorded_at) FROM change_feed_default)) AS after FROM time_partitions('change_feed')`,
    );
    expect(rows[0]!.after).toBe(true);
    const later = await maintainChangeFeed(db.pool, WEEK, await dbTime('8 days'));
    expect(later.filter((a) => a.action === 'deleted')).toEqual([expect.objectContaining({ partition: 'change_feed_default', rows: 1 })]);
  });

  it('postpones a drop a writer’s open transaction holds off, within 100 ms and without failing the writer; the next pass drops it', async () => {
    await maintainChangeFeed(db.pool, WEEK);
    const writer = new pg.Client({ connectionString: db.url });
    await writer.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(`INSERT INTO change_feed (kind) VALUES ('trend_refreshed')`);
      const started = performance.now();
      const actions = await maintainChangeFeed(db.pool, WEEK, await dbTime('9 days'));
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(actions.some((a) => a.action === 'drop postponed')).toBe(true);
      expect(actions.filter((a) => a.action === 'dropped')).toEqual([]);
      await writer.query('COMMIT');
    } finally {
      await writer.end();
    }
    const again = await maintainChangeFeed(db.pool, WEEK, await dbTime('9 days'));
    expect(again.some((a) => a.action === 'dropped')).toBe(true);
  });

  it('is run by one instance at a time: another finds the lock held and returns at once', async () => {
    const other = await db.pool.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock(1129467731, 2)');
      expect(await maintainChangeFeed(db.pool, WEEK, await dbTime('30 days'))).toEqual([]);
    } finally {
      await other.query('ROLLBACK');
      other.release();
    }
  });

  it('the gateway’s retention worker makes the partitions ahead when it starts', async () => {
    for (const name of await partitions()) await db.pool.query(`DROP TABLE ${name}`);
    await db.pool.query(`DELETE FROM change_feed_default`);
    const retention = new PartitionMaintenance(db.pool, { feed: { ...WEEK, partitionMs: 6 * 3_600_000, maintenanceIntervalMs: 60_000 }, history: { months: 1 } }, createLogger('silent'));
    await retention.maintain();
    await retention.stop();
    // Six-hour partitions from the current one to at least two days ahead.
    expect((await partitions()).length).toBeGreaterThanOrEqual(9);
  });

  it('subscriptions read across partitions: a cursor resumes over the changes of another partition and of the default one', async () => {
    const gateway = createTestGateway(db);
    const { url } = await listen(gateway);
    const stream = await subscribeSse(url, PERIODS, { id: topicId });
    await waitFor('the subscriber', () => (gateway.changeFeed.subscriberCount === 1 ? true : undefined), 5_000);
    const first = await writePeriod();
    const [event] = await stream.received(1);
    expect(event!.data!.data!.periodCreated.id).toBe(first);
    stream.close();
    // Two more: one in a time partition, then one in the default partition (its partition gone).
    const second = await writePeriod();
    await db.pool.query(`UPDATE change_feed SET recorded_at = recorded_at - interval '30 days' WHERE row_id = $1`, [second]);
    const third = await writePeriod();
    const resumed = await subscribeSse(url, PERIODS, { id: topicId, after: event!.id });
    const events = await resumed.received(2);
    expect(events.map((e) => e.data!.data!.periodCreated.id)).toEqual([second, third]);
    resumed.close();
  });
});
