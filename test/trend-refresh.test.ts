import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { metricsTrendFreshness, REFRESH_LOCK, refreshMetricsTrend } from '../src/services/analytics/trendRefresh.js';
import { TrendRefresher } from '../src/services/analytics/trendRefresher.js';
import { createPool } from '../src/db/pool.js';
import { createTestDatabase, recordStatements } from './helpers/database.js';
import { insertPeriod, insertTopic } from './helpers/fixtures.js';
import { createTestGateway } from './helpers/gateway.js';

const isRefresh = (sql: string) => sql.startsWith('REFRESH MATERIALIZED VIEW');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('metrics trend refresh', async () => {
  const db = await createTestDatabase();
  const topicId = await insertTopic(db.pool, 'Trend');
  await insertPeriod(db.pool, { entityId: topicId, number: 1, start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z', metrics: { n: 1 } });

  it('refreshes through the mutation and records when and how long', async () => {
    const gateway = createTestGateway(db);
    const before = await metricsTrendFreshness(db.pool);
    expect(before).toMatchObject({ refreshedAt: null, stale: true });
    const result = await gateway.execute<{ refreshMetricsTrend: { refreshedAt: string; durationMs: number; stale: boolean } }>(
      `mutation { refreshMetricsTrend { refreshedAt durationMs stale } }`,
    );
    expect(result.data!.refreshMetricsTrend.stale).toBe(false);
    expect(result.data!.refreshMetricsTrend.durationMs).toBeGreaterThan(0);
    const rows = (await db.pool.query(`SELECT count(*)::int AS n FROM mv_period_metrics_trend WHERE entity_id = $1`, [topicId])).rows[0].n;
    expect(rows).toBe(1);
  });

  it('never runs two refreshes at once across instances: a second caller waits and reuses the running one', async () => {
    // Another instance, mid-refresh, holds the lock.
    const other = await db.pool.connect();
    const secondInstance = createPool({ connectionString: db.url, max: 2 });
    try {
      await other.query('SELECT pg_advisory_lock($1, $2)', [...REFRESH_LOCK]);
      const statements: string[] = [];
      const stop = secondInstance.onStatement((sql) => statements.push(sql));
      let finished = false;
      const waiting = refreshMetricsTrend(secondInstance).then((outcome) => {
        finished = true;
        return outcome;
      });
      await sleep(300);
      expect(finished).toBe(false);
      await other.query('SELECT pg_advisory_unlock($1, $2)', [...REFRESH_LOCK]);
      const outcome = await waiting;
      stop();
      expect(outcome.refreshed).toBe(false);
      expect(statements.filter(isRefresh)).toEqual([]);
    } finally {
      other.release();
      await secondInstance.end();
    }
  });

  it('coalesces concurrent calls in one process into one refresh', async () => {
    const refresher = new TrendRefresher(db.pool, { enabled: true, debounceMs: 10, intervalMs: 60_000, timeoutMs: 0 }, createLogger('silent'));
    const { result, statements } = await recordStatements(db.pool, () => Promise.all([refresher.refresh(), refresher.refresh(), refresher.refresh()]));
    expect(statements.filter(isRefresh)).toHaveLength(1);
    expect(new Set(result)).toHaveProperty('size', 1);
  });

  it('refreshes once after a burst of writes, and when other processes made the view stale', async () => {
    const refresher = new TrendRefresher(db.pool, { enabled: true, debounceMs: 50, intervalMs: 60_000, timeoutMs: 0 }, createLogger('silent'));
    const { statements } = await recordStatements(db.pool, async () => {
      refresher.periodsChanged();
      refresher.periodsChanged();
      refresher.periodsChanged();
      await sleep(400);
    });
    expect(statements.filter(isRefresh)).toHaveLength(1);

    const fresh = await recordStatements(db.pool, () => refresher.refreshIfStale());
    expect(fresh.statements.filter(isRefresh)).toHaveLength(0);
    await insertPeriod(db.pool, { entityId: topicId, number: 2, start: '2026-01-02T00:00:00Z', end: '2026-01-03T00:00:00Z', metrics: { n: 2 } });
    const stale = await recordStatements(db.pool, () => refresher.refreshIfStale());
    expect(stale.statements.filter(isRefresh)).toHaveLength(1);
    expect((await metricsTrendFreshness(db.pool)).stale).toBe(false);
    await refresher.stop();
  });

  it('learns from the change feed of periods written by anyone (plain SQL here) and refreshes after the debounce', async () => {
    const gateway = createTestGateway(db);
    const refresher = new TrendRefresher(db.pool, { enabled: true, debounceMs: 50, intervalMs: 60_000, timeoutMs: 0 }, createLogger('silent'));
    refresher.start(gateway.changeFeed);
    try {
      await refresher.refresh();
      // The feed's reader connects and takes its position; a period written after that reaches the refresher.
      for (let i = 0; i < 100 && !gateway.changeFeed.connected; i++) await sleep(20);
      await sleep(200);
      const topic = await insertTopic(db.pool, 'Fed');
      await insertPeriod(db.pool, { entityId: topic, number: 1, start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z', metrics: { n: 3 } });
      expect((await metricsTrendFreshness(db.pool)).stale).toBe(true);
      let fresh = false;
      for (let i = 0; i < 100 && !fresh; i++) {
        await sleep(50);
        fresh = !(await metricsTrendFreshness(db.pool)).stale;
      }
      expect(fresh).toBe(true);
      const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM mv_period_metrics_trend WHERE entity_id = $1`, [topic]);
      expect(rows[0].n).toBe(1);
    } finally {
      await refresher.stop();
    }
  });

  it('does nothing in the background when switched off', async () => {
    const refresher = new TrendRefresher(db.pool, { enabled: false, debounceMs: 10, intervalMs: 1_000, timeoutMs: 0 }, createLogger('silent'));
    const { statements } = await recordStatements(db.pool, async () => {
      refresher.start();
      refresher.periodsChanged();
      await sleep(100);
    });
    expect(statements).toEqual([]);
    await refresher.stop();
  });
});
