import type pg from 'pg';

/**
 * REFRESH ... CONCURRENTLY keeps the materialized view readable while it rebuilds (it needs
 * the view's unique index). Returns how long it took.
 */
export async function refreshMetricsTrend(pool: pg.Pool): Promise<{ durationMs: number }> {
  const started = performance.now();
  await pool.query('REFRESH MATERIALIZED VIEW CONCURRENTLY mv_period_metrics_trend');
  return { durationMs: performance.now() - started };
}
