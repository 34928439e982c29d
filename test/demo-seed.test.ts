import { describe, expect, it } from 'vitest';
import { runCatalogChecks } from '../src/db/catalog.js';
import { seedDemoData } from '../src/services/seed/demoSeed.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';

const anchor = new Date('2026-06-01T12:00:00Z');

async function fingerprint(db: TestDatabase): Promise<Record<string, string>> {
  const tables = ['topics', 'users', 'analysis_periods', 'tasks', 'contents', 'period_content_snapshots', 'temporal_events', 'event_contents', 'crawl_effectiveness'];
  const result: Record<string, string> = {};
  for (const table of tables) {
    // Serial or random ids aside, every column of every row.
    const { rows } = await db.pool.query(
      `SELECT md5(string_agg((to_jsonb(t) - 'id')::text, ',' ORDER BY (to_jsonb(t) - 'id')::text)) AS hash FROM ${table} t`,
    );
    result[table] = rows[0].hash;
  }
  return result;
}

describe('demo data', async () => {
  const db = await createTestDatabase();
  const counts = await seedDemoData(db.pool, { scale: 1, seed: 7, anchor });

  it('loads the documented amount of data', () => {
    expect(counts).toMatchObject({ topics: 7, users: 4, periods: 121, contents: 390, snapshots: 360, crawlEffectiveness: 240 });
    expect(counts.events).toBeGreaterThan(10);
  });

  it('is deterministic for a seed, scale and anchor', async () => {
    const other = await createTestDatabase();
    await seedDemoData(other.pool, { scale: 1, seed: 7, anchor });
    expect(await fingerprint(other)).toEqual(await fingerprint(db));
  });

  it('refuses to load the same seed twice', async () => {
    await expect(seedDemoData(db.pool, { scale: 1, seed: 7, anchor })).rejects.toThrow(/seed 7 is already loaded/);
  });

  it('stores the same metrics_delta recompute_metrics_delta() computes', async () => {
    const { rows } = await db.pool.query(
      `SELECT id, metrics_delta FROM analysis_periods WHERE status = 'active' ORDER BY entity_id, period_number`,
    );
    const recomputed = await db.pool.query(
      `SELECT id, recompute_metrics_delta(id) AS delta FROM analysis_periods WHERE status = 'active' ORDER BY entity_id, period_number`,
    );
    expect(recomputed.rows.map((r) => r.delta)).toEqual(rows.map((r) => r.metrics_delta));
    expect(rows.filter((r) => Object.keys(r.metrics_delta).length > 0).length).toBe(110);
  });

  it('keeps timelines consecutive, entity stats, events and effectiveness counts consistent', async () => {
    const gaps = await db.pool.query(`
      SELECT count(*)::int AS n FROM (
        SELECT period_start, lag(period_end) OVER (PARTITION BY entity_id ORDER BY period_number) AS prev_end
        FROM analysis_periods WHERE status = 'active') w
      WHERE prev_end IS NOT NULL AND prev_end <> period_start`);
    expect(gaps.rows[0].n).toBe(0);
    const stats = await db.pool.query(`
      SELECT count(*)::int AS n FROM (SELECT id, current_period_number, total_periods, last_period_id FROM topics
                                      UNION ALL SELECT id, current_period_number, total_periods, last_period_id FROM users) e
      WHERE e.total_periods <> (SELECT count(*) FROM analysis_periods ap WHERE ap.entity_id = e.id AND ap.status = 'active')
         OR e.last_period_id IS DISTINCT FROM (SELECT ap.id FROM analysis_periods ap WHERE ap.entity_id = e.id AND ap.status = 'active'
                                               ORDER BY ap.period_number DESC LIMIT 1)`);
    expect(stats.rows[0].n).toBe(0);
    const events = await db.pool.query(`
      SELECT count(*) FILTER (WHERE resolved_at IS NOT NULL AND resolved_at <= first_detected_at)::int AS bad_resolution,
             count(*) FILTER (WHERE resolved_at IS NULL)::int AS open,
             count(*) FILTER (WHERE resolved_at IS NOT NULL)::int AS resolved
      FROM temporal_events`);
    expect(events.rows[0]).toMatchObject({ bad_resolution: 0 });
    expect(events.rows[0].open).toBeGreaterThan(0);
    expect(events.rows[0].resolved).toBeGreaterThan(0);
    const crawl = await db.pool.query(
      `SELECT count(*)::int AS n FROM crawl_effectiveness WHERE relevant_count > total_found OR high_value_count > relevant_count`,
    );
    expect(crawl.rows[0].n).toBe(0);
    const unlinked = await db.pool.query(`SELECT count(*)::int AS n FROM contents WHERE analysis_period_id IS NULL AND processing_status = 'processed'`);
    expect(unlinked.rows[0].n).toBe(30);
    expect((await runCatalogChecks(db.pool)).every((r) => r.ok)).toBe(true);
  });

  it('shows a supersession chain and a refreshed trend view', async () => {
    const chain = await db.pool.query(`
      SELECT old.period_number, old.supersession_reason, new.status AS replacement_status
      FROM analysis_periods old JOIN analysis_periods new ON new.id = old.superseded_by WHERE old.status = 'superseded'`);
    expect(chain.rows).toEqual([{ period_number: 5, supersession_reason: expect.any(String), replacement_status: 'active' }]);
    const trend = await db.pool.query(`SELECT count(*)::int AS n FROM mv_period_metrics_trend`);
    expect(trend.rows[0].n).toBe(120);
  });
});
