import { describe, expect, it } from 'vitest';
import { createTestDatabase } from './helpers/database.js';
import { hoursAfter, insertContent, insertPeriod, insertTopic } from './helpers/fixtures.js';

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
function sampleStddev(values: number[]): number {
  const m = mean(values);
  return Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1));
}

describe('PL/pgSQL functions', async () => {
  const db = await createTestDatabase();
  const topicId = await insertTopic(db.pool, 'Functions');
  // Posts per period, with a spike in period 7; period 4 stores the metric as a numeric string (as
  // Crosshot's analyst writes some: a number all the same), period 5 lacks it; `label` is no number anywhere.
  const posts: Record<number, unknown> = { 1: 100, 2: 104, 3: 98, 4: '101', 6: 103, 7: 420, 8: 99 };
  const ids: Record<number, string> = {};
  for (let n = 1; n <= 8; n++) {
    const metrics = n in posts ? { total_posts: posts[n], total_likes: n * 10, label: 'x' } : { total_likes: n * 10 };
    ids[n] = await insertPeriod(db.pool, { entityId: topicId, number: n, start: hoursAfter(12 * (n - 1)), end: hoursAfter(12 * n), metrics });
  }
  // A superseded first run of period 7 must be ignored by every function.
  await insertPeriod(db.pool, { entityId: topicId, number: 7, start: hoursAfter(72), end: hoursAfter(84), status: 'superseded', metrics: { total_posts: 5000 } });

  describe('detect_metric_anomalies', () => {
    const numeric = [1, 2, 3, 4, 6, 7, 8].map((n) => ({ n, v: Number(posts[n]) }));
    const avg = mean(numeric.map((s) => s.v));
    const sd = sampleStddev(numeric.map((s) => s.v));

    it('returns the periods whose |z| exceeds the threshold, with the statistics used', async () => {
      const { rows } = await db.pool.query(`SELECT * FROM detect_metric_anomalies('topic', $1, 'total_posts', 1.5)`, [topicId]);
      const expected = numeric.filter((s) => Math.abs((s.v - avg) / sd) > 1.5);
      expect(expected.map((s) => s.n)).toEqual([7]);
      expect(rows.map((r) => r.period_number)).toEqual([7]);
      expect(rows[0].period_id).toBe(ids[7]);
      expect(rows[0].metric_value).toBe(420);
      expect(rows[0].avg_value).toBeCloseTo(avg, 9);
      expect(rows[0].stddev_value).toBeCloseTo(sd, 9);
      expect(rows[0].z_score).toBeCloseTo((420 - avg) / sd, 9);
    });

    it('orders newest first and honours the threshold', async () => {
      const { rows } = await db.pool.query(`SELECT period_number FROM detect_metric_anomalies('topic', $1, 'total_posts', 0.1)`, [topicId]);
      const expected = numeric.filter((s) => Math.abs((s.v - avg) / sd) > 0.1).map((s) => s.n).sort((a, b) => b - a);
      expect(rows.map((r) => r.period_number)).toEqual(expected);
    });

    it('returns nothing for a constant metric (stddev 0), an unknown key or a single sample', async () => {
      const flat = await insertTopic(db.pool, 'Flat');
      for (let n = 1; n <= 3; n++) {
        await insertPeriod(db.pool, { entityId: flat, number: n, start: hoursAfter(12 * n), end: hoursAfter(12 * n + 12), metrics: { total_posts: 7 } });
      }
      const constant = await db.pool.query(`SELECT * FROM detect_metric_anomalies('topic', $1, 'total_posts', 0)`, [flat]);
      expect(constant.rows).toEqual([]);
      const unknown = await db.pool.query(`SELECT * FROM detect_metric_anomalies('topic', $1, 'no_such_metric')`, [topicId]);
      expect(unknown.rows).toEqual([]);
      const single = await insertTopic(db.pool, 'Single');
      await insertPeriod(db.pool, { entityId: single, number: 1, start: hoursAfter(0), end: hoursAfter(1), metrics: { total_posts: 3 } });
      expect((await db.pool.query(`SELECT * FROM detect_metric_anomalies('topic', $1, 'total_posts', 0)`, [single])).rows).toEqual([]);
    });
  });

  describe('recompute_metrics_delta', () => {
    it('stores and returns current - previous for keys numeric in both periods', async () => {
      const { rows } = await db.pool.query(`SELECT recompute_metrics_delta($1) AS delta`, [ids[3]]);
      expect(rows[0].delta).toEqual({ total_posts: 98 - 104, total_likes: 10 });
      const stored = await db.pool.query(`SELECT metrics_delta FROM analysis_periods WHERE id = $1`, [ids[3]]);
      expect(stored.rows[0].metrics_delta).toEqual(rows[0].delta);
    });

    it('counts numeric strings as numbers, and skips keys that are not numbers on either side or missing in the previous period', async () => {
      const four = await db.pool.query(`SELECT recompute_metrics_delta($1) AS delta`, [ids[4]]);
      expect(four.rows[0].delta).toEqual({ total_posts: 101 - 98, total_likes: 10 });
      const six = await db.pool.query(`SELECT recompute_metrics_delta($1) AS delta`, [ids[6]]);
      expect(six.rows[0].delta).toEqual({ total_likes: 10 });
    });

    it('uses the active previous period, not a superseded one', async () => {
      const { rows } = await db.pool.query(`SELECT recompute_metrics_delta($1) AS delta`, [ids[8]]);
      expect(rows[0].delta).toEqual({ total_posts: 99 - 420, total_likes: 10 });
    });

    it('gives {} for a first period and null for an unknown or non-active period, bumping updated_at only when stored', async () => {
      const before = await db.pool.query(`SELECT updated_at FROM analysis_periods WHERE id = $1`, [ids[1]]);
      const first = await db.pool.query(`SELECT recompute_metrics_delta($1) AS delta`, [ids[1]]);
      expect(first.rows[0].delta).toEqual({});
      const after = await db.pool.query(`SELECT updated_at FROM analysis_periods WHERE id = $1`, [ids[1]]);
      expect(after.rows[0].updated_at.getTime()).toBeGreaterThanOrEqual(before.rows[0].updated_at.getTime());
      const unknown = await db.pool.query(`SELECT recompute_metrics_delta(gen_random_uuid()) AS delta`);
      expect(unknown.rows[0].delta).toBeNull();
      const superseded = await db.pool.query(
        `SELECT recompute_metrics_delta(id) AS delta FROM analysis_periods WHERE status = 'superseded' AND entity_id = $1`,
        [topicId],
      );
      expect(superseded.rows[0].delta).toBeNull();
    });
  });

  describe('get_period_by_number', () => {
    it('returns the active period only', async () => {
      const { rows } = await db.pool.query(`SELECT id, status FROM get_period_by_number('topic', $1, 7)`, [topicId]);
      expect(rows).toEqual([{ id: ids[7], status: 'active' }]);
      expect((await db.pool.query(`SELECT * FROM get_period_by_number('topic', $1, 99)`, [topicId])).rows).toEqual([]);
      expect((await db.pool.query(`SELECT * FROM get_period_by_number('user', $1, 7)`, [topicId])).rows).toEqual([]);
    });
  });

  describe('get_content_timeline', async () => {
    const contents: { id: string; period: number; relevance: number | null }[] = [];
    for (const [period, relevance] of [[2, 0.9], [2, null], [2, 0.2], [3, 0.5], [6, 0.95], [6, 0.5]] as const) {
      const id = await insertContent(db.pool, { topicId }, `content ${contents.length}`);
      await db.pool.query(
        `INSERT INTO period_content_snapshots (period_id, content_id, relevance_score, text_snapshot, contribution_type)
         VALUES ($1, $2, $3, 'snapshot', 'evidence')`,
        [ids[period], id, relevance],
      );
      contents.push({ id, period, relevance });
    }

    function expected(filter: (c: (typeof contents)[number]) => boolean) {
      return contents
        .filter(filter)
        .sort((a, b) => b.period - a.period || (b.relevance ?? -1) - (a.relevance ?? -1) || a.id.localeCompare(b.id))
        .map((c) => c.id);
    }

    it('lists snapshots newest period first, then by relevance with nulls last', async () => {
      const { rows } = await db.pool.query(`SELECT * FROM get_content_timeline('topic', $1)`, [topicId]);
      expect(rows.map((r) => r.content_id)).toEqual(expected(() => true));
      expect(rows[0]).toMatchObject({ period_number: 6, relevance_score: 0.95, contribution_type: 'evidence', text_snapshot: 'snapshot' });
    });

    it('keeps only periods inside the window, and relevance at or above the minimum (null passes)', async () => {
      const { rows } = await db.pool.query(`SELECT content_id FROM get_content_timeline('topic', $1, $2, $3, 0.5)`, [
        topicId, hoursAfter(12), hoursAfter(36),
      ]);
      expect(rows.map((r) => r.content_id)).toEqual(expected((c) => [2, 3].includes(c.period) && (c.relevance === null || c.relevance >= 0.5)));
    });

    it('returns nothing for an entity without snapshots', async () => {
      const empty = await insertTopic(db.pool, 'Empty');
      expect((await db.pool.query(`SELECT * FROM get_content_timeline('topic', $1)`, [empty])).rows).toEqual([]);
    });
  });
});
