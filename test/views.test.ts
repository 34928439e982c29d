import { describe, expect, it } from 'vitest';
import { refreshMetricsTrend } from '../src/services/analytics/trendRefresh.js';
import { createTestDatabase } from './helpers/database.js';
import { hoursAfter, insertPeriod, insertTopic } from './helpers/fixtures.js';

describe('views and the materialized view', async () => {
  const db = await createTestDatabase();
  const topicId = await insertTopic(db.pool, 'Views');
  const periods = [
    { number: 1, hours: 10, contentCount: 4, qualityScore: 0.5, completenessScore: null, metrics: { total_posts: 1 } },
    { number: 2, hours: 20, contentCount: 6, qualityScore: 0.7, completenessScore: 0.9, metrics: { total_posts: 2 } },
    { number: 3, hours: 30, contentCount: 8, qualityScore: null, completenessScore: 0.6, metrics: { total_posts: 3 } },
  ];
  const ids: string[] = [];
  let start = 0;
  for (const p of periods) {
    ids.push(await insertPeriod(db.pool, { ...p, entityId: topicId, start: hoursAfter(start), end: hoursAfter(start + p.hours) }));
    start += p.hours;
  }
  await insertPeriod(db.pool, { entityId: topicId, number: 2, start: hoursAfter(10), end: hoursAfter(30), status: 'superseded', contentCount: 100 });

  // Two unresolved events and one resolved in period 2; three tasks in period 3.
  for (const resolved of [null, null, hoursAfter(25)]) {
    await db.pool.query(
      `INSERT INTO temporal_events (period_id, entity_type, entity_id, event_type, title, description, first_detected_at, resolved_at)
       VALUES ($1, 'topic', $2, 'controversy', 't', 'd', $3, $4)`,
      [ids[1], topicId, hoursAfter(12), resolved],
    );
  }
  for (let i = 0; i < 3; i++) await db.pool.query(`INSERT INTO tasks (label, period_id) VALUES ('crawler:search', $1)`, [ids[2]]);

  it('v_period_timeline lists active periods with unresolved events, crawl records (Crosshot\'s crawl_task_count) and linked tasks', async () => {
    // One crawl record in period 1, removed again so the ranking test below starts without it.
    const { rows: crawl } = await db.pool.query(
      `INSERT INTO crawl_effectiveness (period_id, entity_type, entity_id, platform, query) VALUES ($1, 'topic', $2, 'x', 'q') RETURNING id`,
      [ids[0], topicId],
    );
    const { rows } = await db.pool.query(
      `SELECT period_number, unresolved_event_count::int, crawl_task_count::int, tasks_linked_count::int, content_count
       FROM v_period_timeline WHERE entity_id = $1 ORDER BY period_number`,
      [topicId],
    );
    expect(rows).toEqual([
      { period_number: 1, unresolved_event_count: 0, crawl_task_count: 1, tasks_linked_count: 0, content_count: 4 },
      { period_number: 2, unresolved_event_count: 2, crawl_task_count: 0, tasks_linked_count: 0, content_count: 6 },
      { period_number: 3, unresolved_event_count: 0, crawl_task_count: 0, tasks_linked_count: 3, content_count: 8 },
    ]);
    await db.pool.query('DELETE FROM crawl_effectiveness WHERE id = $1', [crawl[0].id]);
  });

  it('v_entity_timeline_summary aggregates active periods only, ignoring null scores', async () => {
    const { rows } = await db.pool.query(`SELECT * FROM v_entity_timeline_summary WHERE entity_id = $1`, [topicId]);
    expect(rows).toHaveLength(1);
    const row = rows[0];
    expect(Number(row.total_periods)).toBe(3);
    expect(row.first_period_start.toISOString()).toBe(hoursAfter(0));
    expect(row.last_period_end.toISOString()).toBe(hoursAfter(60));
    expect(row.avg_period_duration).toBeCloseTo((10 + 20 + 30) / 3, 9);
    expect(Number(row.total_content_across_periods)).toBe(18);
    expect(row.avg_quality_score).toBeCloseTo(0.6, 9);
    expect(row.avg_completeness_score).toBeCloseTo(0.75, 9);
  });

  it('v_crawl_effectiveness_ranking averages the 3 newest rows per entity and platform, ranked by score', async () => {
    const scores = [0.1, 0.9, null, 0.4, 0.7]; // oldest first, on platform x
    for (const [i, score] of scores.entries()) {
      await db.pool.query(
        `INSERT INTO crawl_effectiveness (period_id, entity_type, entity_id, platform, query, effectiveness_score, created_at)
         VALUES ($1, 'topic', $2, 'x', $3, $4, $5)`,
        [ids[0], topicId, `query ${i}`, score, hoursAfter(i)],
      );
    }
    await db.pool.query(
      `INSERT INTO crawl_effectiveness (period_id, entity_type, entity_id, platform, query, effectiveness_score, created_at)
       VALUES ($1, 'topic', $2, 'reddit', 'other platform', 0.2, $3)`,
      [ids[0], topicId, hoursAfter(10)],
    );
    const { rows } = await db.pool.query(
      `SELECT query, effectiveness_score, recent_avg_effectiveness FROM v_crawl_effectiveness_ranking WHERE entity_id = $1`,
      [topicId],
    );
    const newestThree = scores.slice(-3).filter((s): s is number => s !== null);
    const recentX = newestThree.reduce((a, b) => a + b, 0) / newestThree.length;
    expect(rows.map((r) => r.effectiveness_score)).toEqual([0.9, 0.7, 0.4, 0.2, 0.1, null]);
    for (const row of rows) {
      expect(row.recent_avg_effectiveness).toBeCloseTo(row.query === 'other platform' ? 0.2 : recentX, 9);
    }
  });

  it('mv_period_metrics_trend carries the previous two periods metrics and refreshes concurrently', async () => {
    await refreshMetricsTrend(db.pool);
    const { rows } = await db.pool.query(
      `SELECT period_number, metrics, prev_metrics, prev_prev_metrics FROM mv_period_metrics_trend WHERE entity_id = $1 ORDER BY period_number`,
      [topicId],
    );
    expect(rows).toEqual([
      { period_number: 1, metrics: { total_posts: 1 }, prev_metrics: null, prev_prev_metrics: null },
      { period_number: 2, metrics: { total_posts: 2 }, prev_metrics: { total_posts: 1 }, prev_prev_metrics: null },
      { period_number: 3, metrics: { total_posts: 3 }, prev_metrics: { total_posts: 2 }, prev_prev_metrics: { total_posts: 1 } },
    ]);
  });
});
