import { describe, expect, it } from 'vitest';
import { runCatalogChecks } from '../src/db/catalog.js';
import { conversionStatements, HISTORY_TABLES, keepHistoryPartitionsAhead, partitionDependents } from '../src/db/historyPartitions.js';
import { seedDemoData } from '../src/services/seed/demoSeed.js';
import { createTestDatabase } from './helpers/database.js';
import { insertContent, insertTopic } from './helpers/fixtures.js';
import { createTestGateway } from './helpers/gateway.js';

const PLAN = { months: 1 };

/** `db partition-dependents`: analysis_periods' dependents partitioned by time, and everything that used them still working. */
describe('partitioning analysis_periods’ dependents by time', async () => {
  const db = await createTestDatabase();
  await seedDemoData(db.pool, { anchor: new Date('2026-06-01T00:00:00Z') });
  const gateway = createTestGateway(db);
  const topicId = await insertTopic(db.pool, 'Partitioned history', { createdAt: '2026-01-01T00:00:00Z' });
  const contentId = await insertContent(db.pool, { topicId }, 'a post', { processed: true });
  const counts = async () =>
    (
      await db.pool.query<Record<string, number>>(
        `SELECT ${[...HISTORY_TABLES.map((h) => h.table), 'event_contents', 'tasks', 'analysis_periods'].map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(', ')}`,
      )
    ).rows[0]!;
  const sqlState = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: { code?: string; constraint?: string }) => ({ code: error.code, constraint: error.constraint }),
    );
  const record = (summary: string, end: string, firstDetectedAt: string) =>
    gateway.execute<{ recordAnalysisPeriod: { id: string; events: { id: string }[]; crawlEffectiveness: { id: string }[]; contents: { edges: { node: { contentId: string } }[] } } }>(
      `mutation($input: RecordAnalysisPeriodInput!) { recordAnalysisPeriod(input: $input) { id events { id } crawlEffectiveness { id } contents { edges { node { contentId } } } } }`,
      {
        input: {
          entityType: 'TOPIC', entityId: topicId, summary, periodEnd: end,
          contents: [{ contentId, relevanceScore: 0.9 }],
          events: [{ eventType: 'anomaly', title: `spike ${summary}`, description: 'd', severity: 'WARNING', firstDetectedAt, contents: [{ contentId }] }],
          crawlEffectiveness: [{ platform: 'x', query: `q ${summary}`, totalFound: 10, relevantCount: 5, highValueCount: 1 }],
        },
      },
    );

  it('previews the statements without changing anything', async () => {
    const before = await counts();
    const statements = await conversionStatements(db.pool, 'temporal_events', 'first_detected_at', PLAN);
    expect(statements[0]).toBe('LOCK TABLE "temporal_events" IN ACCESS EXCLUSIVE MODE');
    expect(statements).toContain('DROP TABLE "temporal_events__unpartitioned"');
    expect(statements.some((s) => s.includes('partitioned_reference_check(\'event_id\', \'temporal_events\', \'id\')'))).toBe(true);
    expect(await counts()).toEqual(before);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM pg_partitioned_table WHERE partrelid = 'temporal_events'::regclass`);
    expect(rows[0].n).toBe(0);
  });

  it('refuses, before changing anything, a table with something it would not carry over', async () => {
    await db.pool.query(`CREATE MATERIALIZED VIEW mv_event_count AS SELECT count(*) FROM temporal_events`);
    try {
      await expect(conversionStatements(db.pool, 'temporal_events', 'first_detected_at', PLAN)).rejects.toThrow(/materialized view mv_event_count depend/);
    } finally {
      await db.pool.query(`DROP MATERIALIZED VIEW mv_event_count`);
    }
  });

  it('partitions the three tables with every row kept, and the schema checks still pass', async () => {
    const first = await record('before', '2026-01-02T00:00:00Z', '2026-01-01T12:00:00Z');
    expect(first.errors).toBeUndefined();
    const before = await counts();
    const client = await db.pool.connect();
    try {
      const reports = await partitionDependents(client, { ...PLAN, apply: true });
      expect(reports.map((r) => [r.table, r.skipped, r.rows])).toEqual(HISTORY_TABLES.map((h) => [h.table, false, before[h.table]]));
      // A second run finds them partitioned and does nothing.
      expect((await partitionDependents(client, { ...PLAN, apply: true })).every((r) => r.skipped)).toBe(true);
    } finally {
      client.release();
    }
    expect(await counts()).toEqual(before);
    const { rows } = await db.pool.query<{ table: string; partitions: number }>(
      `SELECT partrelid::regclass::text AS table, (SELECT count(*)::int FROM time_partitions(partrelid)) AS partitions FROM pg_partitioned_table WHERE partrelid <> 'change_feed'::regclass ORDER BY 1`,
    );
    expect(rows.map((r) => r.table)).toEqual(['crawl_effectiveness', 'period_content_snapshots', 'temporal_events']);
    // From the oldest row's month (the demo data starts in 2026) to two months ahead.
    for (const row of rows) expect(row.partitions).toBeGreaterThanOrEqual(3);
    expect((await runCatalogChecks(db.pool)).filter((r) => !r.ok).map((r) => `${r.check.kind} ${r.check.object}`)).toEqual([]);
  });

  it('the gateway reads and writes them as before, and the change feed sees the events', async () => {
    const feedBefore = (await db.pool.query(`SELECT count(*)::int AS n FROM change_feed WHERE kind = 'event_detected'`)).rows[0].n;
    const second = await record('after', '2026-01-03T00:00:00Z', '2026-01-02T12:00:00Z');
    expect(second.errors).toBeUndefined();
    expect(second.data!.recordAnalysisPeriod).toMatchObject({ events: [{ id: expect.any(String) }], crawlEffectiveness: [{ id: expect.any(String) }], contents: { edges: [{ node: { contentId } }] } });
    const feedAfter = (await db.pool.query(`SELECT count(*)::int AS n FROM change_feed WHERE kind = 'event_detected'`)).rows[0].n;
    expect(feedAfter).toBe(feedBefore + 1);
    const eventId = second.data!.recordAnalysisPeriod.events[0]!.id;
    const resolved = await gateway.execute(`mutation($id: ID!) { resolveTemporalEvent(id: $id, note: "done") { resolvedAt } }`, { id: eventId });
    expect(resolved.errors).toBeUndefined();
    const timeline = await gateway.execute<{ topic: { periods: { edges: { node: { events: unknown[]; crawlEffectiveness: unknown[] } }[] } } }>(
      `query($id: ID!) { topic(id: $id) { periods(first: 5) { edges { node { periodNumber events { title resolvedAt } crawlEffectiveness { query } } } } } }`,
      { id: topicId },
    );
    expect(timeline.errors).toBeUndefined();
    expect(timeline.data!.topic.periods.edges).toHaveLength(2);
    expect(timeline.data!.topic.periods.edges.every((e) => e.node.events.length === 1 && e.node.crawlEffectiveness.length === 1)).toBe(true);
  });

  it('keeps what the changed constraints guarded: references, cascades, one snapshot per period and content', async () => {
    const { rows: [event] } = await db.pool.query<{ id: string; period_id: string }>(`SELECT id, period_id FROM temporal_events WHERE title = 'spike after'`);
    // A reference to no event is refused as the foreign key refused it.
    expect(await sqlState(db.pool.query(`INSERT INTO event_contents (event_id, content_id) VALUES (gen_random_uuid(), $1)`, [contentId]))).toEqual({
      code: '23503',
      constraint: 'event_contents_event_id_fkey',
    });
    // The same content snapshotted twice in one period, later: refused.
    expect(await sqlState(db.pool.query(`INSERT INTO period_content_snapshots (period_id, content_id, created_at) VALUES ($1, $2, now() + interval '40 days')`, [event!.period_id, contentId]))).toEqual({
      code: '23505',
      constraint: 'uq_period_content_snapshots_period_content',
    });
    // The partition key does not move.
    expect(await sqlState(db.pool.query(`UPDATE temporal_events SET first_detected_at = first_detected_at - interval '1 year' WHERE id = $1`, [event!.id]))).toMatchObject({ code: '23514' });
    // A task pointing at a crawl record: deleting the record clears the task's reference (ON DELETE SET NULL).
    const { rows: [crawl] } = await db.pool.query<{ id: string }>(`SELECT id FROM crawl_effectiveness WHERE query = 'q before'`);
    const { rows: [task] } = await db.pool.query<{ id: string }>(`INSERT INTO tasks (label, effectiveness_id) VALUES ('crawler:test', $1) RETURNING id`, [crawl!.id]);
    await db.pool.query(`DELETE FROM crawl_effectiveness WHERE id = $1`, [crawl!.id]);
    expect((await db.pool.query(`SELECT effectiveness_id FROM tasks WHERE id = $1`, [task!.id])).rows[0].effectiveness_id).toBeNull();
    // Deleting an event deletes what linked contents to it (ON DELETE CASCADE).
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM event_contents WHERE event_id = $1`, [event!.id])).rows[0].n).toBe(1);
    await db.pool.query(`DELETE FROM temporal_events WHERE id = $1`, [event!.id]);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM event_contents WHERE event_id = $1`, [event!.id])).rows[0].n).toBe(0);
  });

  it('its partitions are made ahead by the maintenance pass, once and only where missing', async () => {
    const { rows } = await db.pool.query<{ relname: string }>(`SELECT relname FROM time_partitions('temporal_events') ORDER BY upper_bound DESC LIMIT 1`);
    await db.pool.query(`DROP TABLE ${rows[0]!.relname}`);
    const made = await keepHistoryPartitionsAhead(db.pool, PLAN);
    expect(made).toEqual([{ table: 'temporal_events', action: 'created', partition: rows[0]!.relname }]);
    expect(await keepHistoryPartitionsAhead(db.pool, PLAN)).toEqual([]);
  });
});
