/**
 * `npm run bench [-- --scale N]`: loads the demo data at a scale, then prints how long the
 * common reads and writes take through the real gateway (in-process, as tests call it) and
 * how many SQL statements each runs. Figures, not assertions: compare runs on one machine.
 * Uses BENCH_DATABASE_URL (a maintenance-database URL) or a throw-away embedded PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { startEmbeddedPostgres } from '../src/db/embedded.js';
import { migrate } from '../src/db/migrations.js';
import { createPool } from '../src/db/pool.js';
import { createPrismaClient } from '../src/db/prisma.js';
import { createLogger } from '../src/logger.js';
import { createGateway } from '../src/server/gateway.js';
import { seedDemoData } from '../src/services/demoSeed.js';
import { recordAnalysisPeriod } from '../src/services/recordPeriod.js';
import { refreshMetricsTrend } from '../src/services/metricsTrend.js';
import { TrendRefresher } from '../src/services/trendRefresher.js';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '100' }, iterations: { type: 'string', default: '30' } } });
const scale = Number(values.scale);
const iterations = Number(values.iterations);

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  let adminUrl = process.env.BENCH_DATABASE_URL;
  let stopServer: (() => Promise<void>) | undefined;
  let dataDir: string | undefined;
  if (!adminUrl) {
    dataDir = mkdtempSync(join(tmpdir(), 'crosshot-bench-'));
    const server = await startEmbeddedPostgres({ dataDir, port: 54399, persistent: false });
    adminUrl = server.adminUrl;
    stopServer = () => server.stop();
  }
  const database = `crosshot_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const pool = createPool({ connectionString: url.toString(), max: 10 });
  const lines: string[] = [];
  const print = (line: string) => {
    lines.push(line);
    console.log(line);
  };

  try {
    await migrate({ pool, migrationsTable: 'pgmigrations' });
    const counts = await seedDemoData(pool, { scale, anchor: new Date('2026-06-01T00:00:00Z') });
    const rows = counts.periods + counts.contents + counts.snapshots + counts.events + counts.crawlEffectiveness;
    print(`seed scale ${scale}: ${counts.periods} periods, ${rows} rows in ${(counts.durationMs / 1000).toFixed(1)} s (${Math.round(rows / (counts.durationMs / 1000))} rows/s)`);

    const config = loadConfig({ NODE_ENV: 'production', TREND_REFRESH_ENABLED: 'false', LOG_LEVEL: 'silent' });
    const logger = createLogger('silent');
    const prisma = createPrismaClient(pool);
    const yoga = createGateway({ config, pool, prisma, logger, trendRefresher: new TrendRefresher(pool, config.trendRefresh, logger) });
    const topic = (await pool.query(`SELECT id FROM topics WHERE name = 'AI regulation'`)).rows[0].id;

    const operations: Record<string, [string, Record<string, unknown>]> = {
      'nested timeline (20 topics x 10 periods)': [
        `{ topics(first: 20) { edges { node { name periods(first: 10) { totalCount edges { node { periodNumber
           metricChanges { key absolute percent } unresolvedEventCount events { title } crawlEffectiveness { query } entity { name } } } } } } } }`,
        {},
      ],
      comparePeriods: [`query($id: ID!) { comparePeriods(entityType: TOPIC, entityId: $id, from: 2, to: 11) { elapsedHours metrics { key percent } eventsOngoing { id } contentOverlap { shared } } }`, { id: topic }],
      'anomalies + metricTrend': [`query($id: ID!) { topic(id: $id) { anomalies(metric: "total_posts", threshold: 1.5) { zScore } metricTrend(metric: "total_posts") { value } } }`, { id: topic }],
      contentTimeline: [`query($id: ID!) { topic(id: $id) { contentTimeline(first: 50) { totalCount edges { node { relevanceScore } } } } }`, { id: topic }],
      'periodTimeline (50)': [`{ periodTimeline(first: 50) { totalCount edges { node { periodNumber entity { name } } } } }`, {}],
    };
    print('');
    print(`reads (${iterations} runs each): p50 / p95 ms, SQL statements per request`);
    for (const [name, [query, variables]] of Object.entries(operations)) {
      const samples: number[] = [];
      let statements = 0;
      for (let i = 0; i < iterations; i++) {
        let count = 0;
        const stop = pool.onStatement(() => count++);
        const started = performance.now();
        const response = await yoga.fetch('http://bench/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query, variables }),
        });
        const body = (await response.json()) as { errors?: unknown };
        samples.push(performance.now() - started);
        stop();
        if (body.errors) throw new Error(`${name}: ${JSON.stringify(body.errors)}`);
        statements = count;
      }
      print(`  ${name.padEnd(44)} ${percentile(samples, 50).toFixed(1).padStart(7)} / ${percentile(samples, 95).toFixed(1).padStart(7)}   ${statements}`);
    }

    print('');
    const entities = (await pool.query(`SELECT id FROM topics WHERE config ? 'demo_seed' AND current_period_number IS NOT NULL LIMIT 50`)).rows.map((r) => r.id);
    let started = performance.now();
    for (const id of entities) await recordAnalysisPeriod(pool, { entityType: 'topic', entityId: id, summary: 'bench', metrics: { total_posts: 1 } });
    const sequential = performance.now() - started;
    print(`recordAnalysisPeriod: ${entities.length} sequential calls, ${(sequential / entities.length).toFixed(1)} ms each`);
    started = performance.now();
    await Promise.all(Array.from({ length: 20 }, () => recordAnalysisPeriod(pool, { entityType: 'topic', entityId: entities[0], summary: 'bench' })));
    print(`recordAnalysisPeriod: 20 concurrent calls on one entity in ${(performance.now() - started).toFixed(0)} ms (serialised by the entity lock)`);
    started = performance.now();
    await Promise.all(entities.slice(0, 20).map((id) => recordAnalysisPeriod(pool, { entityType: 'topic', entityId: id, summary: 'bench' })));
    print(`recordAnalysisPeriod: 20 concurrent calls on 20 entities in ${(performance.now() - started).toFixed(0)} ms`);
    const refresh = await refreshMetricsTrend(pool);
    print(`REFRESH MATERIALIZED VIEW CONCURRENTLY mv_period_metrics_trend: ${(refresh.durationMs ?? 0).toFixed(0)} ms`);
    await prisma.$disconnect();
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    await stopServer?.();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
