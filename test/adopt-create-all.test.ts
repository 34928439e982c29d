import { describe, expect, it } from 'vitest';
import { runCatalogChecks } from '../src/db/catalog.js';
import { migrate, migrationStatus, previewMigrate, rollback, type MigrationContext } from '../src/db/migrations.js';
import { dumpCatalog, rowFingerprints, staleCounters, upSql } from './helpers/catalog.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { insertContent, insertPeriod, insertTopic, hoursAfter } from './helpers/fixtures.js';
import { createTestGateway } from './helpers/gateway.js';

/**
 * A database whose tables SQLAlchemy's `create_all` made, the temporal ones included, and no
 * Alembic: no server defaults (they live in Python), no extensions, no exclusion constraint,
 * no partial unique index, only some of the indexes, plus tables and indexes of Crosshot's own
 * that the gateway does not know.
 */
const CREATE_ALL_SHAPE = `
  DO $$
  DECLARE c record;
  BEGIN
    FOR c IN SELECT table_name, column_name FROM information_schema.columns
             WHERE table_schema = 'public' AND column_default IS NOT NULL AND column_default NOT LIKE 'nextval%' LOOP
      EXECUTE format('ALTER TABLE %I ALTER COLUMN %I DROP DEFAULT', c.table_name, c.column_name);
    END LOOP;
  END $$;
  ALTER TABLE analysis_periods DROP CONSTRAINT IF EXISTS no_overlapping_periods;
  DROP INDEX IF EXISTS uq_analysis_periods_active_number;
  DROP INDEX ix_crawl_effectiveness_query_trgm, ix_temporal_events_entity_unresolved, ix_contents_published_at;
  DROP EXTENSION pg_trgm;
  DROP EXTENSION btree_gist;
  CREATE TABLE alerts (id serial PRIMARY KEY, topic_id uuid REFERENCES topics (id), message text NOT NULL);
  CREATE TABLE analysis_notes (id serial PRIMARY KEY, body text);
  CREATE TABLE metric_snapshots (id serial PRIMARY KEY, taken_at timestamptz, metrics jsonb);
  CREATE INDEX ix_tasks_status ON tasks (status);
  CREATE INDEX ix_contents_topic_id ON contents (topic_id);`;

const fingerprint = (db: TestDatabase) => rowFingerprints(db.pool, ['topics', 'contents', 'tasks', 'analysis_periods', 'temporal_events', 'alerts']);

describe('adopting a database SQLAlchemy’s create_all made, without Alembic', async () => {
  const db = await createTestDatabase({ migrated: false });
  const ctx: MigrationContext = { pool: db.pool, migrationsTable: 'pgmigrations' };
  for (const name of ['0000_base_tables', '0001_create_temporal_tables', '0002_alter_existing_tables']) await db.pool.query(upSql(name));
  // Rows first (the fixtures lean on defaults), then the shape.
  const topicId = await insertTopic(db.pool, 'From create_all', { createdAt: '2026-01-01T00:00:00Z' });
  await insertContent(db.pool, { topicId }, 'crawled before the gateway came');
  await insertPeriod(db.pool, { entityId: topicId, number: 1, start: hoursAfter(0), end: hoursAfter(24), metrics: { total_posts: 3 } });
  await db.pool.query(CREATE_ALL_SHAPE);
  await db.pool.query(`INSERT INTO alerts (topic_id, message) VALUES ($1, 'kept')`, [topicId]);
  const before = await fingerprint(db);
  const catalogBefore = await dumpCatalog(db.pool);

  it('previews the adoption as a script: what it finds are comments, what finishes it and the rest are SQL', async () => {
    const script = await previewMigrate(ctx);
    expect(script).toContain('-- 0000_base_tables: its objects already exist; recorded as applied without running it, once these finish it');
    expect(script).toContain('-- 0011_time_partitions\n');
    expect(script).toContain('CREATE INDEX ix_topics_list_order ON topics');
    // Every line is SQL or a comment: no prose.
    expect(script.split('\n').filter((line) => /^(adopted|applied|would|note)\b/i.test(line))).toEqual([]);
    // Nothing ran.
    expect((await migrationStatus(ctx)).applied).toEqual([]);
    expect(script.match(/^BEGIN;$/gm)).toHaveLength(1);
  });

  it('adopts the tables, adds what create_all leaves out, and runs the rest', async () => {
    const result = await migrate(ctx);
    expect(result.adopted).toEqual(['0000_base_tables', '0001_create_temporal_tables', '0002_alter_existing_tables']);
    expect(result.applied).toEqual([
      '0003_create_views_and_functions', '0004_create_refresh_log', '0005_index_unanalysed_contents',
      '0006_align_with_crosshot', '0007_pending_events', '0008_guard_direct_period_writes', '0009_change_feed', '0010_shared_writers', '0011_time_partitions', '0012_index_entity_list_order',
    ]);
    expect((await runCatalogChecks(db.pool)).filter((r) => !r.ok).map((r) => `${r.check.kind} ${r.check.object}`)).toEqual([]);
    expect(await fingerprint(db)).toEqual(before);
    expect(await staleCounters(db.pool)).toEqual([]);

    const finished = Object.fromEntries((await migrationStatus(ctx)).applied.map((m) => [m.name, m.adopted?.finishedWith ?? null]));
    expect(finished['0001_create_temporal_tables']).toEqual(
      expect.arrayContaining([
        'CREATE EXTENSION IF NOT EXISTS btree_gist;',
        expect.stringMatching(/^ALTER TABLE analysis_periods ADD CONSTRAINT no_overlapping_periods EXCLUDE/),
        "CREATE UNIQUE INDEX uq_analysis_periods_active_number ON analysis_periods (entity_type, entity_id, period_number) WHERE status = 'active';",
        'ALTER TABLE analysis_periods ALTER COLUMN id SET DEFAULT gen_random_uuid();',
      ]),
    );
    expect(finished['0000_base_tables']).toContain("ALTER TABLE topics ALTER COLUMN icon SET DEFAULT '📊';");
    expect(finished['0002_alter_existing_tables']).toEqual([
      'CREATE INDEX ix_contents_published_at ON contents (published_at);',
      'ALTER TABLE topics ALTER COLUMN total_periods SET DEFAULT 0;',
      'ALTER TABLE users ALTER COLUMN total_periods SET DEFAULT 0;',
      'ALTER TABLE contents ALTER COLUMN discovered_at SET DEFAULT now();',
    ]);
    // Crosshot's own tables and indexes are left as they were.
    const { rows } = await db.pool.query(`SELECT to_regclass('public.metric_snapshots') IS NOT NULL AS t, to_regclass('public.ix_contents_topic_id') IS NOT NULL AS i`);
    expect(rows[0]).toEqual({ t: true, i: true });
  });

  it('then takes writes that lean on server defaults, from the gateway and from plain SQL', async () => {
    const gateway = createTestGateway(db);
    const recorded = await gateway.execute<{ recordAnalysisPeriod: { periodNumber: number; contentCount: number } }>(
      `mutation($id: ID!) { recordAnalysisPeriod(input: { entityType: TOPIC, entityId: $id, summary: "first cycle here", periodEnd: "2026-01-03T00:00:00Z" }) { periodNumber contentCount } }`,
      { id: topicId },
    );
    expect(recorded.errors).toBeUndefined();
    expect(recorded.data!.recordAnalysisPeriod.periodNumber).toBe(2);
    const { rows } = await db.pool.query(
      `INSERT INTO temporal_events (entity_type, entity_id, event_type, title, description, first_detected_at)
       VALUES ('topic', $1, 'note', 'analyst note', 'd', now()) RETURNING severity, metadata, period_id`,
      [topicId],
    );
    expect(rows[0]).toEqual({ severity: 'info', metadata: {}, period_id: null });
    // The exclusion constraint is back: an overlapping active period is refused.
    await expect(insertPeriod(db.pool, { entityId: topicId, number: 3, start: hoursAfter(30), end: hoursAfter(60) })).rejects.toMatchObject({ code: '23P01' });
  });

  it('rolled back to revision 5, answers Crosshot’s calls: its argument names and its timeline view', async () => {
    // 0007 cannot be rolled back while an event waits for its period (pending-events.test.ts).
    await db.pool.query('DELETE FROM temporal_events WHERE period_id IS NULL');
    await rollback(ctx, { toRevision: 5 });
    const timeline = await db.pool.query(
      `SELECT count(*)::int AS n FROM get_content_timeline(p_entity_type => 'topic', p_entity_id => $1, p_start_time => NULL, p_end_time => NULL)`,
      [topicId],
    );
    expect(timeline.rows[0].n).toBe(0);
    const anomalies = await db.pool.query(`SELECT * FROM detect_metric_anomalies(p_entity_type => 'topic', p_entity_id => $1, p_metric_key => 'total_posts', p_threshold_factor => 0.5)`, [topicId]);
    expect(anomalies.rows).toEqual([]);
    const view = await db.pool.query(`SELECT * FROM v_period_timeline LIMIT 1`);
    expect(view.fields.map((f) => f.name)).toEqual([
      'id', 'entity_type', 'entity_id', 'period_number', 'period_start', 'period_end', 'analyzed_at', 'duration_hours', 'status', 'content_count',
      'summary_short', 'insights', 'metrics', 'metrics_delta', 'quality_score', 'completeness_score', 'unresolved_event_count', 'crawl_task_count',
    ]);
    expect(view.rows[0].period_number).toBe(2);
  });

  it('rolled back entirely, its catalog is what create_all made', async () => {
    await rollback(ctx, { toRevision: -1 });
    expect(await dumpCatalog(db.pool)).toEqual(catalogBefore);
    expect((await migrationStatus(ctx)).applied).toEqual([]);
  });
});

describe('adopting a create_all database where two lock-free analyst cycles committed the same number', async () => {
  const db = await createTestDatabase({ migrated: false });
  const ctx: MigrationContext = { pool: db.pool, migrationsTable: 'pgmigrations' };
  for (const name of ['0000_base_tables', '0001_create_temporal_tables', '0002_alter_existing_tables']) await db.pool.query(upSql(name));
  const topicId = await insertTopic(db.pool, 'Raced', { createdAt: '2026-01-01T00:00:00Z' });
  await insertPeriod(db.pool, { entityId: topicId, number: 1, start: hoursAfter(0), end: hoursAfter(24) });
  await db.pool.query('ALTER TABLE analysis_periods DROP CONSTRAINT no_overlapping_periods; DROP INDEX uq_analysis_periods_active_number');
  // Both cycles read "newest is 1" and wrote 2 from its end.
  const first = await insertPeriod(db.pool, { entityId: topicId, number: 2, start: hoursAfter(24), end: hoursAfter(48) });
  const second = await insertPeriod(db.pool, { entityId: topicId, number: 2, start: hoursAfter(24), end: hoursAfter(49) });
  await db.pool.query(CREATE_ALL_SHAPE);
  const catalogBefore = await dumpCatalog(db.pool);

  it('refuses before anything runs, naming the entity, the numbers and the periods, and what to do', async () => {
    const error = await migrate(ctx).then(
      () => null,
      (e: unknown) => e as { message: string; hint?: string },
    );
    expect(error?.message).toMatch(new RegExp(`topic ${topicId}: active periods 2 \\((${first}|${second})\\) and 2 \\((${first}|${second})\\) overlap`));
    expect(error?.hint).toMatch(/supersede the other/);
    expect(await dumpCatalog(db.pool)).toEqual(catalogBefore);
    expect((await migrationStatus(ctx)).applied).toEqual([]);
  });

  it('migrates once one of them is superseded as the message says', async () => {
    await db.pool.query(`UPDATE analysis_periods SET status = 'superseded', superseded_by = $1 WHERE id = $2`, [first, second]);
    expect((await migrate(ctx)).adopted).toEqual(['0000_base_tables', '0001_create_temporal_tables', '0002_alter_existing_tables']);
    expect(await staleCounters(db.pool)).toEqual([]);
  });
});
