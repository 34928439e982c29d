import type { Queryable } from '../../db/queryable.js';

/**
 * The change feed's retention (migration 0011): its time partitions made ahead and dropped once
 * older than the retention, and the default partition's stragglers deleted, by the database's
 * change_feed_maintain(), which one caller at a time runs (an advisory lock: with N instances,
 * the others return at once). Operators without a gateway running can call the same function
 * from SQL (cron, pg_cron).
 */

export interface FeedRetentionSettings {
  /** Changes are kept at least this long (a partition goes once its end is this old). */
  retentionMs: number;
  /** The width of a time partition. */
  partitionMs: number;
}

export interface MaintenanceAction {
  action: 'created' | 'create postponed' | 'dropped' | 'drop postponed' | 'deleted';
  partition: string;
  /** The partition's range; for `deleted`, the rows older than `to` left the default partition. */
  from: string | null;
  to: string;
  /** Rows: the planner's estimate for a dropped partition, the count for deleted ones. */
  rows: number | null;
}

/** How far ahead partitions are made: two days, and at least two partitions. */
export function partitionsAheadMs(partitionMs: number): number {
  return Math.max(2 * 86_400_000, 2 * partitionMs);
}

/** One pass of change_feed_maintain(), as of `at` (the database's clock when not given). */
export async function maintainChangeFeed(db: Queryable, settings: FeedRetentionSettings, at?: string): Promise<MaintenanceAction[]> {
  const { rows } = await db.query<{ action: MaintenanceAction['action']; partition_name: string; range_from: string | null; range_to: string; approx_rows: string | null }>(
    `SELECT action, partition_name, range_from::text, range_to::text, approx_rows::text
     FROM change_feed_maintain($1 * interval '1 millisecond', $2 * interval '1 millisecond', $3 * interval '1 millisecond', COALESCE($4::timestamptz, clock_timestamp()))`,
    [settings.retentionMs, settings.partitionMs, partitionsAheadMs(settings.partitionMs), at ?? null],
  );
  return rows.map((row) => ({
    action: row.action,
    partition: row.partition_name,
    from: row.range_from,
    to: row.range_to,
    rows: row.approx_rows === null ? null : Number(row.approx_rows),
  }));
}
