import type pg from 'pg';
import type { Queryable } from '../../db/queryable.js';
import { withinTransaction } from '../../db/transaction.js';

const METRICS_TREND_VIEW = 'mv_period_metrics_trend';

// Session-level advisory lock key shared by every gateway instance on the database.
export const REFRESH_LOCK = [0x43524f53, 1] as const;

export interface MetricsTrendFreshness {
  /** When the gateway last finished refreshing the view; null if it never has. */
  refreshedAt: Date | null;
  durationMs: number | null;
  /** Periods were created or changed after the last refresh (or it was never refreshed). */
  stale: boolean;
}

export async function metricsTrendFreshness(db: Queryable): Promise<MetricsTrendFreshness> {
  const { rows } = await db.query<{ refreshed_at: Date | null; duration_ms: number | null; stale: boolean }>(
    // A new period's updated_at is its created_at and every change bumps it, so the newest
    // updated_at (one step down ix_analysis_periods_updated_at) tells whether anything changed.
    `SELECT r.refreshed_at, r.duration_ms,
            newest.at IS NOT NULL AND (r.refreshed_at IS NULL OR newest.at > r.refreshed_at) AS stale
     FROM (SELECT $1::text AS view_name) v
     LEFT JOIN gateway_materialized_view_refreshes r ON r.view_name = v.view_name
     CROSS JOIN (SELECT max(updated_at) AS at FROM analysis_periods) newest`,
    [METRICS_TREND_VIEW],
  );
  const row = rows[0]!;
  return { refreshedAt: row.refreshed_at, durationMs: row.duration_ms, stale: row.stale };
}

export interface RefreshOutcome extends MetricsTrendFreshness {
  /** False when another caller's refresh was running and this call waited for it instead. */
  refreshed: boolean;
}

/**
 * REFRESH MATERIALIZED VIEW CONCURRENTLY (readers are never blocked), single-flight across
 * every gateway instance: the refresh runs under an advisory lock; a caller that finds the
 * lock taken waits for that refresh to finish and reports it, rather than running a second.
 * The finish time and duration are recorded in the same transaction as the refresh.
 */
export async function refreshMetricsTrend(pool: pg.Pool, { timeoutMs = 0 } = {}): Promise<RefreshOutcome> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [...REFRESH_LOCK]);
    if (!rows[0]?.locked) {
      await client.query('SELECT pg_advisory_lock($1, $2)', [...REFRESH_LOCK]);
      await client.query('SELECT pg_advisory_unlock($1, $2)', [...REFRESH_LOCK]);
      return { ...(await metricsTrendFreshness(client)), refreshed: false };
    }
    try {
      await withinTransaction(client, async () => {
        await client.query(`SELECT set_config('statement_timeout', $1, true)`, [String(timeoutMs)]);
        const started = performance.now();
        await client.query(`REFRESH MATERIALIZED VIEW CONCURRENTLY ${METRICS_TREND_VIEW}`);
        await client.query(
          `INSERT INTO gateway_materialized_view_refreshes (view_name, refreshed_at, duration_ms) VALUES ($1, clock_timestamp(), $2)
           ON CONFLICT (view_name) DO UPDATE SET refreshed_at = excluded.refreshed_at, duration_ms = excluded.duration_ms`,
          [METRICS_TREND_VIEW, performance.now() - started],
        );
      });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, $2)', [...REFRESH_LOCK]);
    }
    return { ...(await metricsTrendFreshness(client)), refreshed: true };
  } finally {
    client.release();
  }
}
