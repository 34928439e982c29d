import { describe, expect, it } from 'vitest';
import { rollback, type MigrationContext } from '../src/db/migrations.js';
import { createTestDatabase } from './helpers/database.js';
import { hoursAfter, insertPeriod, insertTopic } from './helpers/fixtures.js';
import { createTestGateway } from './helpers/gateway.js';

/** What Crosshot's analyst does from its alert tool: a plain INSERT, no period. */
const ANALYST_ALERT = `INSERT INTO temporal_events (entity_type, entity_id, event_type, severity, title, description, first_detected_at)
  VALUES ('topic', $1, 'risk', 'warning', $2, 'raised by the analyst between cycles', $3) RETURNING id`;

const PENDING = `query($id: ID!) { topic(id: $id) {
  pending: events(pendingOnly: true) { totalCount edges { node { title periodId period { id } } } }
  all: events { totalCount }
} }`;

describe('pending events: the analyst’s alerts between cycles', async () => {
  const db = await createTestDatabase();
  const gateway = createTestGateway(db);
  const topicId = await insertTopic(db.pool, 'Watched', { createdAt: '2026-01-01T00:00:00Z' });
  await insertPeriod(db.pool, { entityId: topicId, number: 1, start: hoursAfter(0), end: hoursAfter(24) });
  const other = await insertTopic(db.pool, 'Someone else', { createdAt: '2026-01-01T00:00:00Z' });

  it('accepts the analyst’s insert without a period and lists it as pending', async () => {
    await db.pool.query(ANALYST_ALERT, [topicId, 'Spike in complaints', hoursAfter(30)]);
    await db.pool.query(ANALYST_ALERT, [topicId, 'Second alert', hoursAfter(31)]);
    await db.pool.query(ANALYST_ALERT, [other, 'Not this topic', hoursAfter(30)]);
    const result = await gateway.execute<{ topic: { pending: { totalCount: number; edges: { node: unknown }[] }; all: { totalCount: number } } }>(PENDING, { id: topicId });
    expect(result.errors).toBeUndefined();
    expect(result.data!.topic.pending).toEqual({
      totalCount: 2,
      edges: [
        { node: { title: 'Second alert', periodId: null, period: null } },
        { node: { title: 'Spike in complaints', periodId: null, period: null } },
      ],
    });
    expect(result.data!.topic.all.totalCount).toBe(2);
  });

  it('the next recorded period takes the entity’s pending events, and only that entity’s', async () => {
    const recorded = await gateway.execute<{ recordAnalysisPeriod: { periodNumber: number; events: { title: string }[] } }>(
      `mutation($id: ID!) { recordAnalysisPeriod(input: { entityType: TOPIC, entityId: $id, summary: "cycle 2", periodEnd: "2026-01-03T00:00:00Z",
         events: [{ eventType: "note", title: "In the cycle", description: "d" }] }) { periodNumber events { title } } }`,
      { id: topicId },
    );
    expect(recorded.errors).toBeUndefined();
    expect(recorded.data!.recordAnalysisPeriod.periodNumber).toBe(2);
    expect(recorded.data!.recordAnalysisPeriod.events.map((e) => e.title).sort()).toEqual(['In the cycle', 'Second alert', 'Spike in complaints']);
    const after = await gateway.execute<{ topic: { pending: { totalCount: number } } }>(PENDING, { id: topicId });
    expect(after.data!.topic.pending.totalCount).toBe(0);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM temporal_events WHERE entity_id = $1 AND period_id IS NULL`, [other]);
    expect(rows[0].n).toBe(1);
  });

  it('refuses to roll back to a NOT NULL period_id while events are pending, and says what to do', async () => {
    const ctx: MigrationContext = { pool: db.pool, migrationsTable: 'pgmigrations' };
    const applied = async () => (await db.pool.query<{ name: string }>('SELECT name FROM pgmigrations ORDER BY id')).rows.map((r) => r.name);
    const before = await applied();
    // Rolling back 0007 with the five after it is one transaction: its refusal undoes them too.
    await expect(rollback(ctx, { steps: 6 })).rejects.toThrow(/1 temporal event\(s\) have no period yet/);
    expect(await applied()).toEqual(before);
    const { rows: triggers } = await db.pool.query(`SELECT tgname FROM pg_trigger WHERE tgname = 'tr_analysis_periods_dense_numbers'`);
    expect(triggers).toHaveLength(1);
    expect(await rollback(ctx, { steps: 5 })).toEqual(['0012_index_entity_list_order', '0011_time_partitions', '0010_shared_writers', '0009_change_feed', '0008_guard_direct_period_writes']);
    await expect(rollback(ctx, { steps: 1 })).rejects.toThrow(/1 temporal event\(s\) have no period yet/);
    const { rows } = await db.pool.query(`SELECT is_nullable FROM information_schema.columns WHERE table_name = 'temporal_events' AND column_name = 'period_id'`);
    expect(rows[0].is_nullable).toBe('YES');
  });
});
