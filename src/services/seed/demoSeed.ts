import type pg from 'pg';
import { inTransaction } from '../../db/transaction.js';
import { OperatorError } from '../../db/errors.js';
import { BENCH_SEED_STATEMENTS } from './benchSeed.sql.js';
import { DEMO_SEED_STATEMENTS } from './demoSeed.sql.js';
import { refreshMetricsTrend } from '../analytics/trendRefresh.js';

export type SeedProfile = 'demo' | 'bench';

export interface DemoSeedOptions {
  /**
   * demo: varied, realistic data, 6 topics and 4 tracked users (12 periods each) per unit.
   * bench: uniform data for the benchmark, 500 topics and 500 users (40 periods each) per unit.
   */
  profile?: SeedProfile;
  scale?: number;
  seed?: number;
  /** The newest period ends at most here; fixed in tests, the current hour otherwise. */
  anchor?: Date;
}

export interface DemoSeedCounts {
  topics: number;
  users: number;
  periods: number;
  contents: number;
  snapshots: number;
  events: number;
  crawlEffectiveness: number;
  durationMs: number;
}

/** Loads realistic, deterministic demo data with set-based SQL, in one transaction. */
export async function seedDemoData(pool: pg.Pool, options: DemoSeedOptions = {}): Promise<DemoSeedCounts> {
  const scale = options.scale ?? 1;
  const seed = options.seed ?? 42;
  const anchor = options.anchor ?? new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  const started = performance.now();

  await inTransaction(pool, async (client) => {
    const { rowCount } = await client.query(`SELECT 1 FROM topics WHERE config->>'demo_seed' = $1 LIMIT 1`, [String(seed)]);
    if (rowCount) {
      throw new OperatorError(`demo data with seed ${seed} is already loaded`, 'Pass another --seed to add a second batch.');
    }
    // FK triggers fire once per row and dominate a bulk load whose rows reference each other by
    // construction; a superuser (the embedded server) may skip them, anyone else pays for them.
    const { rows } = await client.query<{ superuser: boolean }>(`SELECT current_setting('is_superuser') = 'on' AS superuser`);
    if (rows[0]?.superuser) await client.query(`SET LOCAL session_replication_role = replica`);
    // A large scale takes longer than the API's statement timeout allows.
    await client.query(`SET LOCAL statement_timeout = 0`);
    await client.query(
      `CREATE TEMP TABLE demo_params ON COMMIT DROP AS SELECT $1::int AS seed, $2::int AS scale, $3::timestamptz AS anchor`,
      [seed, scale, anchor],
    );
    for (const statement of options.profile === 'bench' ? BENCH_SEED_STATEMENTS : DEMO_SEED_STATEMENTS) await client.query(statement);
  });
  // Fresh statistics, so the planner sees the new rows (autovacuum would get there later).
  await pool.query(
    'ANALYZE topics, users, tasks, contents, analysis_periods, period_content_snapshots, temporal_events, event_contents, crawl_effectiveness',
  );
  await refreshMetricsTrend(pool);

  const { rows } = await pool.query<Record<keyof Omit<DemoSeedCounts, 'durationMs'>, string>>(
    `WITH seeded AS (
       SELECT id, 'topic' AS kind FROM topics WHERE config->>'demo_seed' = $1
       UNION ALL SELECT id, 'user' FROM users WHERE config->>'demo_seed' = $1)
     SELECT
       (SELECT count(*) FROM seeded WHERE kind = 'topic') AS topics,
       (SELECT count(*) FROM seeded WHERE kind = 'user') AS users,
       (SELECT count(*) FROM analysis_periods ap JOIN seeded s ON s.id = ap.entity_id) AS periods,
       (SELECT count(*) FROM contents c JOIN seeded s ON s.id = COALESCE(c.topic_id, c.user_id)) AS contents,
       (SELECT count(*) FROM period_content_snapshots pcs JOIN analysis_periods ap ON ap.id = pcs.period_id JOIN seeded s ON s.id = ap.entity_id) AS snapshots,
       (SELECT count(*) FROM temporal_events te JOIN seeded s ON s.id = te.entity_id) AS events,
       (SELECT count(*) FROM crawl_effectiveness ce JOIN seeded s ON s.id = ce.entity_id) AS "crawlEffectiveness"`,
    [String(seed)],
  );
  const counts = rows[0]!;
  return {
    topics: Number(counts.topics),
    users: Number(counts.users),
    periods: Number(counts.periods),
    contents: Number(counts.contents),
    snapshots: Number(counts.snapshots),
    events: Number(counts.events),
    crawlEffectiveness: Number(counts.crawlEffectiveness),
    durationMs: performance.now() - started,
  };
}
