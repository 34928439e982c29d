import type pg from 'pg';

export const METRICS_TREND_VIEW = 'mv_period_metrics_trend';

export interface MetricsTrendFreshness {
  /** When the gateway last finished refreshing the view; null if it never has. */
  refreshedAt: Date | null;
  durationMs: number | null;
  /** Periods were created or changed after the last refresh (or it was never refreshed). */
  stale: boolean;
}

/**
 * REFRESH ... CONCURRENTLY keeps the materialized view readable while it rebuilds (it needs
 * the view's unique index). Records when it finished and how long it took.
 */
export async function refreshMetricsTrend(pool: pg.Pool): Promise<{ durationMs: number }> {
  const started = performance.now();
  await pool.query(`REFRESH MATERIALIZED VIEW CONCURRENTLY ${METRICS_TREND_VIEW}`);
  const durationMs = performance.now() - started;
  await pool.query(
    `INSERT INTO gateway_materialized_view_refreshes (view_name, refreshed_at, duration_ms) VALUES ($1, now(), $2)
     ON CONFLICT (view_name) DO UPDATE SET refreshed_at = excluded.refreshed_at, duration_ms = excluded.duration_ms`,
    [METRICS_TREND_VIEW, durationMs],
  );
  return { durationMs };
}

export async function metricsTrendFreshness(db: Pick<pg.Pool, 'query'>): Promise<MetricsTrendFreshness> {
  const { rows } = await db.query<{ refreshed_at: Date | null; duration_ms: number | null; stale: boolean }>(
    `SELECT r.refreshed_at, r.duration_ms,
            EXISTS (SELECT 1 FROM analysis_periods ap
                    WHERE r.refreshed_at IS NULL OR ap.created_at > r.refreshed_at OR ap.updated_at > r.refreshed_at) AS stale
     FROM (SELECT $1::text AS view_name) v
     LEFT JOIN gateway_materialized_view_refreshes r ON r.view_name = v.view_name`,
    [METRICS_TREND_VIEW],
  );
  const row = rows[0]!;
  return { refreshedAt: row.refreshed_at, durationMs: row.duration_ms, stale: row.stale };
}
