import type pg from 'pg';

/**
 * Small hand-made rows for tests that need exact values: an entity, periods with given
 * windows and metrics, snapshots, events. Everything goes through plain SQL so the code under
 * test is not used to build its own fixtures.
 */
export async function insertTopic(pool: pg.Pool, name = 'Fixture topic', overrides: Record<string, unknown> = {}): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO topics (name, total_contents, last_crawl_at, created_at)
     VALUES ($1, $2, $3, COALESCE($4::timestamptz, now())) RETURNING id`,
    [name, overrides.totalContents ?? 0, overrides.lastCrawlAt ?? null, overrides.createdAt ?? null],
  );
  return rows[0]!.id;
}

export async function insertUser(pool: pg.Pool, name = 'Fixture user', overrides: Record<string, unknown> = {}): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO users (name, platform, profile_url, total_contents, last_crawl_at, created_at)
     VALUES ($1, 'x', 'https://x.com/fixture', $2, $3, COALESCE($4::timestamptz, now())) RETURNING id`,
    [name, overrides.totalContents ?? 0, overrides.lastCrawlAt ?? null, overrides.createdAt ?? null],
  );
  return rows[0]!.id;
}

export interface PeriodFixture {
  entityType?: 'topic' | 'user';
  entityId: string;
  number: number;
  start: string;
  end: string;
  status?: string;
  metrics?: Record<string, unknown>;
  qualityScore?: number | null;
  completenessScore?: number | null;
  contentCount?: number;
  supersededBy?: string | null;
  createdAt?: string;
}

export async function insertPeriod(db: Pick<pg.Pool, 'query'>, p: PeriodFixture): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO analysis_periods (entity_type, entity_id, period_number, period_start, period_end, duration_hours,
        status, summary, metrics, quality_score, completeness_score, content_count, superseded_by, created_at)
     VALUES ($1, $2, $3, $4, $5, EXTRACT(EPOCH FROM ($5::timestamptz - $4::timestamptz)) / 3600, $6, $7, $8, $9, $10, $11, $12,
             COALESCE($13::timestamptz, now()))
     RETURNING id`,
    [
      p.entityType ?? 'topic', p.entityId, p.number, p.start, p.end, p.status ?? 'active', `Period ${p.number}`,
      JSON.stringify(p.metrics ?? {}), p.qualityScore ?? null, p.completenessScore ?? null, p.contentCount ?? 0,
      p.supersededBy ?? null, p.createdAt ?? null,
    ],
  );
  return rows[0]!.id;
}

export async function insertContent(pool: pg.Pool, entity: { topicId?: string; userId?: string }, text: string, extra: { processed?: boolean } = {}): Promise<string> {
  const { rows: task } = await pool.query<{ id: string }>(`INSERT INTO tasks (label) VALUES ('crawler:test') RETURNING id`);
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO contents (task_id, topic_id, user_id, platform, source_url, text, key_points, processing_status)
     VALUES ($1, $2, $3, 'x', 'https://x.example/1', $4, $5, $6) RETURNING id`,
    [task[0]!.id, entity.topicId ?? null, entity.userId ?? null, text, JSON.stringify([`about ${text}`]), extra.processed === false ? null : 'processed'],
  );
  return rows[0]!.id;
}

/** Hours after a fixed origin, as ISO strings: readable windows in tests. */
export function hoursAfter(hours: number, origin = '2026-01-01T00:00:00Z'): string {
  return new Date(Date.parse(origin) + hours * 3_600_000).toISOString();
}

/**
 * A period whose topic was deleted by hand (the polymorphic pair has no foreign key): resolving
 * its entity fails unexpectedly, which is how tests provoke an unexpected error.
 */
export async function insertOrphanPeriod(pool: pg.Pool): Promise<string> {
  const doomed = await insertTopic(pool, 'Deleted by hand');
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO analysis_periods (entity_type, entity_id, period_number, period_start, period_end, duration_hours, summary)
     VALUES ('topic', $1, 1, now() - interval '1 hour', now(), 1, 'orphan') RETURNING id`,
    [doomed],
  );
  await pool.query('DELETE FROM topics WHERE id = $1', [doomed]);
  return rows[0]!.id;
}

/**
 * Makes this database's anomaly detector (detect_metric_anomalies) take `seconds` and find
 * nothing: a slow statement on demand, for timeouts, queues and shutdown.
 */
export async function slowAnomalyDetector(pool: Pick<pg.Pool, 'query'>, seconds: number): Promise<void> {
  await pool.query(`CREATE OR REPLACE FUNCTION detect_metric_anomalies(p_entity_type varchar, p_entity_id uuid, p_metric_key text, p_threshold_factor float8 DEFAULT 2.0)
    RETURNS TABLE (period_id uuid, period_number integer, metric_value float8, avg_value float8, stddev_value float8, z_score float8)
    LANGUAGE plpgsql STABLE AS $$ BEGIN PERFORM pg_sleep(${Number(seconds)}); END $$`);
}
