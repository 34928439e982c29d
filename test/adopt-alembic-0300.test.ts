import { describe, expect, it } from 'vitest';
import { runCatalogChecks } from '../src/db/catalog.js';
import { migrate, migrationStatus, rollback, type MigrationContext } from '../src/db/migrations.js';
import { rowFingerprints, staleCounters, upSql } from './helpers/catalog.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { insertTopic } from './helpers/fixtures.js';
import { createTestGateway } from './helpers/gateway.js';

/**
 * The objects Alembic's revision 20260301_0300 leaves, where they differ from the contract:
 * a non-unique index on the materialized view, a placeholder recompute_metrics_delta(), an
 * 11-column ranking view, a timeline view with Crosshot's columns (crawl_task_count counting
 * crawl_effectiveness rows), an anomaly detector that fails on a non-numeric value, and a
 * content timeline without a tie-break, with Crosshot's argument names.
 */
const ALEMBIC_0300_OBJECTS = `
  DROP INDEX uq_mv_period_metrics_trend_entity_period;
  CREATE INDEX idx_mv_period_metrics_entity ON mv_period_metrics_trend (entity_type, entity_id);

  DROP VIEW v_crawl_effectiveness_ranking;
  CREATE VIEW v_crawl_effectiveness_ranking AS
  SELECT ce.entity_type, ce.entity_id, ce.platform, ce.query, ce.effectiveness_score, ce.total_found,
         ce.relevant_count, ce.high_value_count, ce.avg_relevance, ce.created_at,
         (SELECT avg(r.effectiveness_score) FROM (SELECT c2.effectiveness_score FROM crawl_effectiveness c2
            WHERE c2.entity_type = ce.entity_type AND c2.entity_id = ce.entity_id AND c2.platform = ce.platform
            ORDER BY c2.created_at DESC LIMIT 3) r) AS recent_avg_effectiveness
  FROM crawl_effectiveness ce ORDER BY ce.effectiveness_score DESC NULLS LAST;

  DROP VIEW v_period_timeline;
  CREATE VIEW v_period_timeline AS
  SELECT ap.id, ap.entity_type, ap.entity_id, ap.period_number, ap.period_start, ap.period_end, ap.analyzed_at,
         ap.duration_hours, ap.status, ap.content_count, ap.summary_short, ap.insights, ap.metrics, ap.metrics_delta,
         ap.quality_score, ap.completeness_score,
         (SELECT count(*) FROM temporal_events te WHERE te.period_id = ap.id AND te.resolved_at IS NULL) AS unresolved_event_count,
         (SELECT count(*) FROM crawl_effectiveness ce WHERE ce.period_id = ap.id) AS crawl_task_count
  FROM analysis_periods ap WHERE ap.status = 'active';

  DROP FUNCTION recompute_metrics_delta(uuid);
  CREATE FUNCTION recompute_metrics_delta(p_period_id uuid) RETURNS jsonb LANGUAGE plpgsql AS $$
  DECLARE
      current_period analysis_periods%ROWTYPE;
      delta jsonb;
  BEGIN
      SELECT * INTO current_period FROM analysis_periods WHERE id = p_period_id;
      IF current_period.period_number <= 1 THEN
          delta := jsonb_build_object('computed_at', now(), 'note', 'First period');
      ELSE
          delta := jsonb_build_object('computed_at', now(), 'prev_period_number', current_period.period_number - 1,
                                      'note', 'Delta computation requires custom logic per metric');
      END IF;
      UPDATE analysis_periods SET metrics_delta = delta WHERE id = p_period_id;
      RETURN delta;
  END $$;

  DROP FUNCTION detect_metric_anomalies(varchar, uuid, text, float8);
  CREATE FUNCTION detect_metric_anomalies(p_entity_type varchar, p_entity_id uuid, p_metric_key text, p_threshold_factor float8 DEFAULT 2.0)
  RETURNS TABLE (period_id uuid, period_number integer, metric_value float8, avg_value float8, stddev_value float8, z_score float8)
  LANGUAGE plpgsql STABLE AS $$
  BEGIN
      RETURN QUERY
      WITH s AS (SELECT ap.id, ap.period_number, (ap.metrics ->> p_metric_key)::float8 AS v FROM analysis_periods ap
                 WHERE ap.entity_type = p_entity_type AND ap.entity_id = p_entity_id AND ap.status = 'active' AND ap.metrics ? p_metric_key),
           st AS (SELECT avg(v) AS m, stddev(v) AS sd FROM s)
      SELECT s.id, s.period_number, s.v, st.m, st.sd, (s.v - st.m) / st.sd FROM s, st
      WHERE st.sd > 0 AND abs((s.v - st.m) / st.sd) > p_threshold_factor ORDER BY s.period_number DESC;
  END $$;

  DROP FUNCTION get_content_timeline(varchar, uuid, timestamptz, timestamptz, float8);
  CREATE FUNCTION get_content_timeline(p_entity_type varchar, p_entity_id uuid, p_start_time timestamptz DEFAULT NULL,
                                       p_end_time timestamptz DEFAULT NULL, p_min_relevance float8 DEFAULT 0)
  RETURNS TABLE (content_id uuid, period_id uuid, period_number integer, contribution_type varchar, relevance_score float8,
                 text_snapshot text, period_start timestamptz, period_end timestamptz)
  LANGUAGE plpgsql STABLE AS $$
  BEGIN
      RETURN QUERY
      SELECT pcs.content_id, ap.id, ap.period_number, pcs.contribution_type, pcs.relevance_score, pcs.text_snapshot, ap.period_start, ap.period_end
      FROM analysis_periods ap JOIN period_content_snapshots pcs ON pcs.period_id = ap.id
      WHERE ap.entity_type = p_entity_type AND ap.entity_id = p_entity_id AND ap.status = 'active'
        AND (p_start_time IS NULL OR ap.period_start >= p_start_time) AND (p_end_time IS NULL OR ap.period_end <= p_end_time)
        AND (pcs.relevance_score IS NULL OR pcs.relevance_score >= p_min_relevance)
      ORDER BY ap.period_number DESC, pcs.relevance_score DESC NULLS LAST;
  END $$;

  CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);
  INSERT INTO alembic_version VALUES ('20260301_0300');`;

const REPLACED = ['v_period_timeline', 'v_crawl_effectiveness_ranking', 'recompute_metrics_delta', 'detect_metric_anomalies', 'get_content_timeline'];

/** The definitions of the objects 0006 replaces, as the catalog prints them. */
async function definitions(db: TestDatabase): Promise<Record<string, string>> {
  const { rows } = await db.pool.query<{ name: string; definition: string }>(
    `SELECT c.relname AS name, pg_get_viewdef(c.oid) AS definition FROM pg_class c WHERE c.relkind = 'v' AND c.relname = ANY ($1)
     UNION ALL
     SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace AND p.proname = ANY ($1)`,
    [REPLACED],
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.definition]));
}

/** The tables adoption must not touch a row of (but for the entity counters 0010 derives). */
const fingerprint = (db: TestDatabase) =>
  rowFingerprints(db.pool, ['topics', 'analysis_periods', 'crawl_effectiveness', 'period_content_snapshots', 'contents']);

describe('adopting a database Alembic brought to 20260301_0300', async () => {
  const db = await createTestDatabase({ migrated: false });
  const ctx: MigrationContext = { pool: db.pool, migrationsTable: 'pgmigrations' };
  for (const name of ['0000_base_tables', '0001_create_temporal_tables', '0002_alter_existing_tables', '0003_create_views_and_functions']) {
    await db.pool.query(upSql(name));
  }
  await db.pool.query(ALEMBIC_0300_OBJECTS);
  const topicId = await insertTopic(db.pool, 'Legacy topic', { createdAt: '2026-01-01T00:00:00Z' });
  // Three periods; the third holds a non-numeric value for total_posts, as the analyst sometimes writes.
  const { rows: periods } = await db.pool.query<{ id: string }>(
    `INSERT INTO analysis_periods (entity_type, entity_id, period_number, period_start, period_end, duration_hours, summary, metrics, metrics_delta)
     SELECT 'topic', $1, n, '2026-01-01'::timestamptz + (n - 1) * interval '1 day', '2026-01-01'::timestamptz + n * interval '1 day', 24,
            'cycle ' || n, m.metrics, '{"note": "Delta computation requires custom logic per metric"}'
     FROM (VALUES (1, '{"total_posts": 10, "total_likes": 100}'::jsonb), (2, '{"total_posts": 14, "total_likes": 90}'), (3, '{"total_posts": "n/a"}'))
          AS m(n, metrics)
     RETURNING id`,
    [topicId],
  );
  await db.pool.query(
    `INSERT INTO crawl_effectiveness (period_id, entity_type, entity_id, platform, query, total_found, relevant_count, effectiveness_score, coverage_ratio)
     VALUES ($1, 'topic', $2, 'x', 'legacy query', 10, 4, 0.4, 0.5), ($1, 'topic', $2, 'x', 'better query', 10, 8, 0.8, 0.9)`,
    [periods[1]!.id, topicId],
  );
  await db.pool.query('REFRESH MATERIALIZED VIEW mv_period_metrics_trend');
  const originals = await definitions(db);
  const rowsBefore = await fingerprint(db);

  it('migrates: adopts 0000–0003 (building the unique index the view lacks), applies the rest', async () => {
    const result = await migrate(ctx);
    expect(result.adopted).toEqual(['0000_base_tables', '0001_create_temporal_tables', '0002_alter_existing_tables', '0003_create_views_and_functions']);
    expect(result.applied).toEqual(['0004_create_refresh_log', '0005_index_unanalysed_contents', '0006_align_with_crosshot', '0007_pending_events', '0008_guard_direct_period_writes', '0009_change_feed', '0010_shared_writers', '0011_time_partitions', '0012_index_entity_list_order']);
    expect((await runCatalogChecks(db.pool)).filter((r) => !r.ok).map((r) => r.check.object)).toEqual([]);
    expect(await fingerprint(db)).toEqual(rowsBefore);
    // Alembic's writer left the topic's counters at 0 with three periods: 0010 recomputed them.
    expect(await staleCounters(db.pool)).toEqual([]);
    const status = await migrationStatus(ctx);
    expect(status.applied.map((m) => [m.name, m.adopted?.finishedWith ?? 'run'])).toEqual([
      ['0000_base_tables', []],
      ['0001_create_temporal_tables', []],
      ['0002_alter_existing_tables', []],
      ['0003_create_views_and_functions', ['CREATE UNIQUE INDEX uq_mv_period_metrics_trend_entity_period ON mv_period_metrics_trend (entity_type, entity_id, period_number);']],
      ['0004_create_refresh_log', 'run'],
      ['0005_index_unanalysed_contents', 'run'],
      ['0006_align_with_crosshot', 'run'],
      ['0007_pending_events', 'run'],
      ['0008_guard_direct_period_writes', 'run'],
      ['0009_change_feed', 'run'],
      ['0010_shared_writers', 'run'],
      ['0011_time_partitions', 'run'],
      ['0012_index_entity_list_order', 'run'],
    ]);
    // The operator's own non-unique index stays.
    const { rows } = await db.pool.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'mv_period_metrics_trend' ORDER BY indexname`);
    expect(rows.map((r) => r.indexname)).toEqual(['idx_mv_period_metrics_entity', 'uq_mv_period_metrics_trend_entity_period']);
  });

  it('a second migrate is a no-op, and the view refreshes concurrently', async () => {
    expect(await migrate(ctx)).toEqual({ adopted: [], applied: [] });
    await expect(db.pool.query('REFRESH MATERIALIZED VIEW CONCURRENTLY mv_period_metrics_trend')).resolves.toBeDefined();
  });

  it('recompute_metrics_delta returns real deltas; anomalies skip the non-numeric value', async () => {
    const { rows } = await db.pool.query(`SELECT recompute_metrics_delta($1) AS delta`, [periods[1]!.id]);
    expect(rows[0].delta).toEqual({ total_posts: 4, total_likes: -10 });
    const first = await db.pool.query(`SELECT recompute_metrics_delta($1) AS delta`, [periods[0]!.id]);
    expect(first.rows[0].delta).toEqual({});
    const anomalies = await db.pool.query(`SELECT * FROM detect_metric_anomalies(p_entity_type => 'topic', p_entity_id => $1, p_metric_key => 'total_posts', p_threshold_factor => 0.1)`, [topicId]);
    expect(anomalies.rows.map((r) => r.period_number).sort()).toEqual([1, 2]);
    const timeline = await db.pool.query(`SELECT * FROM get_content_timeline(p_entity_type => 'topic', p_entity_id => $1, p_start_time => NULL, p_end_time => NULL)`, [topicId]);
    expect(timeline.rows).toEqual([]);
  });

  it('keeps Crosshot’s view columns with their meaning, and the GraphQL fields answer', async () => {
    const { rows } = await db.pool.query(`SELECT period_number, crawl_task_count::int, metrics FROM v_period_timeline WHERE entity_id = $1 ORDER BY period_number`, [topicId]);
    expect(rows.map((r) => [r.period_number, r.crawl_task_count])).toEqual([[1, 0], [2, 2], [3, 0]]);
    const gateway = createTestGateway(db);
    const result = await gateway.execute<{
      topic: { crawlEffectiveness: { edges: { node: Record<string, unknown> }[] }; anomalies: unknown[] };
      periodTimeline: { edges: { node: { periodNumber: number; crawlTaskCount: number; linkedTaskCount: number } }[] };
    }>(
      `query($id: ID!) { topic(id: $id) {
        crawlEffectiveness { edges { node { query effectivenessScore coverageRatio recentAvgEffectiveness record { period { periodNumber } } } } }
        anomalies(metric: "total_posts", threshold: 0.1) { periodNumber }
      }
      periodTimeline(entityType: TOPIC) { edges { node { periodNumber crawlTaskCount linkedTaskCount } } } }`,
      { id: topicId },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.topic.crawlEffectiveness.edges.map((e) => e.node)).toEqual([
      { query: 'better query', effectivenessScore: 0.8, coverageRatio: 0.9, recentAvgEffectiveness: expect.closeTo(0.6, 9), record: { period: { periodNumber: 2 } } },
      { query: 'legacy query', effectivenessScore: 0.4, coverageRatio: 0.5, recentAvgEffectiveness: expect.closeTo(0.6, 9), record: { period: { periodNumber: 2 } } },
    ]);
    expect(result.data!.topic.anomalies).toHaveLength(2);
    const entries = result.data!.periodTimeline.edges.map((e) => e.node).sort((a, b) => a.periodNumber - b.periodNumber);
    expect(entries).toEqual([
      { periodNumber: 1, crawlTaskCount: 0, linkedTaskCount: 0 },
      { periodNumber: 2, crawlTaskCount: 2, linkedTaskCount: 0 },
      { periodNumber: 3, crawlTaskCount: 0, linkedTaskCount: 0 },
    ]);
  });

  it('answers the contract’s read fields on the adopted database', async () => {
    const gateway = createTestGateway(db);
    const result = await gateway.execute<{ topic: Record<string, unknown>; comparePeriods: { metrics: unknown[] } }>(
      `query($id: ID!) {
        topic(id: $id) {
          id name entityType currentPeriodNumber totalPeriods
          lastPeriod { periodNumber }
          periodByNumber(number: 2) { periodNumber metricsDelta crawlTaskCount unresolvedEventCount }
          periods(first: 5) { totalCount edges { node { periodNumber summary metrics events { id } crawlEffectiveness { query }
                              contents(first: 2) { totalCount } metricChanges { key previous current } } } }
          events(first: 5) { totalCount edges { node { title period { periodNumber } } } }
          crawlEffectiveness(first: 5) { totalCount }
          contentTimeline(first: 5) { edges { node { contentId } } }
          anomalies(metric: "total_likes") { periodNumber }
          metricTrend(metric: "total_posts", last: 3) { periodNumber value previousValue }
          timelineSummary { totalPeriods avgPeriodDurationHours }
        }
        comparePeriods(entityType: TOPIC, entityId: $id, from: 1, to: 2) { metrics { key } }
        periodTimeline(first: 3) { edges { node { periodNumber crawlTaskCount } } }
        metricsTrendFreshness { stale }
      }`,
      { id: topicId },
    );
    expect(result.errors).toBeUndefined();
    // The entity's counters say what its periods say, as its timeline summary does.
    expect(result.data!.topic).toMatchObject({ totalPeriods: 3, currentPeriodNumber: 3, lastPeriod: { periodNumber: 3 }, timelineSummary: { totalPeriods: 3 } });
    expect(result.data!.comparePeriods.metrics.length).toBeGreaterThan(0);
  });

  it('rolling 0006 back restores Alembic’s definitions exactly', async () => {
    expect(await rollback(ctx, { steps: 7 })).toEqual(['0012_index_entity_list_order', '0011_time_partitions', '0010_shared_writers', '0009_change_feed', '0008_guard_direct_period_writes', '0007_pending_events', '0006_align_with_crosshot']);
    expect(await definitions(db)).toEqual(originals);
    expect((await migrationStatus(ctx)).pending.map((m) => m.name)).toEqual(['0006_align_with_crosshot', '0007_pending_events', '0008_guard_direct_period_writes', '0009_change_feed', '0010_shared_writers', '0011_time_partitions', '0012_index_entity_list_order']);
    await migrate(ctx);
    expect(await definitions(db)).not.toEqual(originals);
  });

  it('rolling everything back hands the database back as Alembic left it: its objects stay, the index adoption built goes', async () => {
    const rowsNow = await fingerprint(db); // the tests above wrote deltas
    await rollback(ctx, { toRevision: -1 });
    expect(await definitions(db)).toEqual(originals);
    const { rows } = await db.pool.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'mv_period_metrics_trend' ORDER BY indexname`);
    expect(rows.map((r) => r.indexname)).toEqual(['idx_mv_period_metrics_entity']);
    expect(await fingerprint(db)).toEqual(rowsNow);
    const { rows: version } = await db.pool.query('SELECT version_num FROM alembic_version');
    expect(version).toEqual([{ version_num: '20260301_0300' }]);
    expect((await migrationStatus(ctx)).applied).toEqual([]);
  });
});

describe('adopting a 0300 database where an operator added the unique index by hand, as Crosshot\'s runbook says', async () => {
  const db = await createTestDatabase({ migrated: false });
  for (const name of ['0000_base_tables', '0001_create_temporal_tables', '0002_alter_existing_tables', '0003_create_views_and_functions']) {
    await db.pool.query(upSql(name));
  }
  await db.pool.query(ALEMBIC_0300_OBJECTS);
  await db.pool.query('CREATE UNIQUE INDEX mv_trend_unique_by_hand ON mv_period_metrics_trend (entity_type, entity_id, period_number)');

  it('reuses that index instead of building another', async () => {
    const result = await migrate({ pool: db.pool, migrationsTable: 'pgmigrations' });
    expect(result.adopted).toContain('0003_create_views_and_functions');
    const { rows } = await db.pool.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'mv_period_metrics_trend' ORDER BY indexname`);
    expect(rows.map((r) => r.indexname)).toEqual(['idx_mv_period_metrics_entity', 'mv_trend_unique_by_hand']);
    await expect(db.pool.query('REFRESH MATERIALIZED VIEW CONCURRENTLY mv_period_metrics_trend')).resolves.toBeDefined();
  });
});
