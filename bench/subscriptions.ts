/**
 * `npm run bench:subscriptions [-- --subscribers 1000 --periods 200 --writers 4 --rounds 3]`:
 * the change feed under fan-out.
 *
 * Starts the gateway as production runs it (compiled, `node <start flags> dist/src/main.js`) on
 * a fresh database `crosshot_bench_feed`, opens N SSE subscriptions to periodCreated (one
 * instance), and inserts M periods by plain SQL from several writer connections, as Crosshot's
 * analyst does. Prints delivered/expected, delivery latency from the writer's COMMIT returning to
 * the subscriber's receipt (p50/p95/p99), database statements per change (transactions of the
 * database other than the writers', from pg_stat_database) for a few subscribers and for N, and
 * the writers' commit throughput with and without the feed's triggers (alternating rounds).
 *
 * BENCH_DATABASE_URL names a maintenance database of the server to use; unset, a throw-away
 * embedded PostgreSQL 18 is started.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded.js';
import { migrate } from '../src/db/migrations.js';
import { createPool } from '../src/db/pool.js';

const ROOT = new URL('..', import.meta.url).pathname;
const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '1000' },
    periods: { type: 'string', default: '200' },
    writers: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '3' },
    'throughput-periods': { type: 'string', default: '2000' },
  },
});
const N = Number(values.subscribers);
const M = Number(values.periods);
const WRITERS = Number(values.writers);
const ROUNDS = Number(values.rounds);
const THROUGHPUT_PERIODS = Number(values['throughput-periods']);
const PORT = 4391;
const DATABASE = 'crosshot_bench_feed';
const FEED_TRIGGERS = [
  ['analysis_periods', 'tr_analysis_periods_change_feed_insert'],
  ['analysis_periods', 'tr_analysis_periods_change_feed_activate'],
  ['temporal_events', 'tr_temporal_events_change_feed_insert'],
  ['temporal_events', 'tr_temporal_events_change_feed_update'],
];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);

async function createDatabase(adminUrl: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${DATABASE}`;
  const pool = createPool({ connectionString: url.toString(), max: 2 });
  await migrate({ pool, migrationsTable: 'pgmigrations' });
  await pool.end();
  return url.toString();
}

/** Topics for `count` writers, each writing its own (so writers do not queue on one entity). */
async function insertTopics(db: pg.Client, count: number, label: string): Promise<string[]> {
  const { rows } = await db.query(
    `INSERT INTO topics (name, created_at) SELECT $2 || ' ' || g, '2025-12-01' FROM generate_series(1, $1) g RETURNING id`,
    [count, label],
  );
  return rows.map((r) => r.id as string);
}

/** Inserts `perWriter` periods on each writer's topic; returns each period's commit time by id. */
async function write(url: string, topics: string[], perWriter: number): Promise<{ committedAt: Map<string, number>; seconds: number }> {
  const committedAt = new Map<string, number>();
  const clients = await Promise.all(topics.map(async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return client;
  }));
  const started = performance.now();
  await Promise.all(clients.map(async (client, w) => {
    const { rows } = await client.query(`SELECT COALESCE(max(period_number), 0) AS n FROM analysis_periods WHERE entity_id = $1 AND status = 'active'`, [topics[w]]);
    for (let i = 1; i <= perWriter; i++) {
      const n = Number(rows[0].n) + i;
      const start = new Date(Date.UTC(2026, 0, 1) + (n - 1) * 3_600_000);
      const end = new Date(start.getTime() + 3_600_000);
      const result = await client.query(
        `INSERT INTO analysis_periods (entity_type, entity_id, period_number, period_start, period_end, duration_hours, summary)
         VALUES ('topic', $1, $2, $3, $4, 1, 'bench') RETURNING id`,
        [topics[w], n, start, end],
      );
      committedAt.set(result.rows[0].id, performance.now());
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(clients.map((c) => c.end()));
  return { committedAt, seconds };
}

/** N SSE subscriptions, each noting when it received which period. */
async function subscribe(count: number): Promise<{ received: Map<string, number[]>; close(): void }> {
  const received = new Map<string, number[]>();
  const aborts: AbortController[] = [];
  const query = 'subscription { periodCreated { id periodNumber summary entity { name } } }';
  for (let i = 0; i < count; i += 100) {
    await Promise.all(Array.from({ length: Math.min(100, count - i) }, async () => {
      const abort = new AbortController();
      aborts.push(abort);
      const response = await fetch(`http://127.0.0.1:${PORT}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ query }),
        signal: abort.signal,
      });
      void (async () => {
        const decoder = new TextDecoder();
        let buffer = '';
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const data = /^data: (.*)$/m.exec(buffer.slice(0, end))?.[1];
            buffer = buffer.slice(end + 2);
            const id = data ? (JSON.parse(data) as { data?: { periodCreated?: { id: string } } }).data?.periodCreated?.id : undefined;
            if (!id) continue;
            const times = received.get(id);
            if (times) times.push(performance.now());
            else received.set(id, [performance.now()]);
          }
        }
      })().catch(() => undefined);
    }));
  }
  return { received, close: () => aborts.forEach((a) => a.abort()) };
}

/**
 * Transactions of the database so far. Idle backends report their statistics after 10 s of
 * idleness (PGSTAT_IDLE_INTERVAL), so the count waits that long first.
 */
async function transactions(db: pg.Client): Promise<number> {
  await new Promise((r) => setTimeout(r, 11_000));
  const { rows } = await db.query(`SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = $1`, [DATABASE]);
  return Number(rows[0].n);
}

async function fanOut(url: string, db: pg.Client, subscribers: number, periods: number) {
  const subscription = await subscribe(subscribers);
  const topics = await insertTopics(db, WRITERS, `fan-out ${subscribers}`);
  const before = await transactions(db);
  const { committedAt } = await write(url, topics, Math.ceil(periods / WRITERS));
  const expected = committedAt.size * subscribers;
  const deadline = Date.now() + 30_000;
  const delivered = () => [...committedAt.keys()].reduce((sum, id) => sum + (subscription.received.get(id)?.length ?? 0), 0);
  while (delivered() < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  // The writers' own transactions (one per period, and the numbering read) are not the feed's;
  // the statistics queries of this script are one transaction each (two per reading).
  const feedTransactions = (await transactions(db)) - before - committedAt.size - WRITERS - 2;
  const latencies = [...committedAt].flatMap(([id, at]) => (subscription.received.get(id) ?? []).map((t) => t - at)).sort((a, b) => a - b);
  subscription.close();
  return {
    subscribers,
    delivered: delivered(),
    expected,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    statementsPerChange: feedTransactions / committedAt.size,
  };
}

async function setFeedTriggers(db: pg.Client, enabled: boolean): Promise<void> {
  for (const [table, trigger] of FEED_TRIGGERS) await db.query(`ALTER TABLE ${table} ${enabled ? 'ENABLE' : 'DISABLE'} TRIGGER ${trigger}`);
}

async function main(): Promise<void> {
  let adminUrl = process.env.BENCH_DATABASE_URL;
  let stopServer: (() => Promise<void>) | undefined;
  if (!adminUrl) {
    const server = await startEmbeddedPostgres({ dataDir: mkdtempSync(join(tmpdir(), 'crosshot-feed-bench-')), port: 54398, persistent: false });
    adminUrl = server.adminUrl;
    stopServer = () => server.stop();
  }
  const url = await createDatabase(adminUrl);
  const db = new pg.Client({ connectionString: url });
  await db.connect();

  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error('npm run build failed');
  const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const flags = (scripts.start ?? '').split(/\s+/).filter((w) => w.startsWith('--max'));
  const gateway = spawn(process.execPath, [...flags, 'dist/src/main.js'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, PORT: String(PORT), HOST: '127.0.0.1', LOG_LEVEL: 'warn', TREND_REFRESH_ENABLED: 'false', SUBSCRIPTIONS_MAX: String(N + 100) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (let i = 0; i < 300; i++) {
      if (await fetch(`http://127.0.0.1:${PORT}/readyz`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    console.log(`fan-out: ${M} periods by SQL from ${WRITERS} writer connections, SSE subscribers on one instance`);
    for (const subscribers of [10, N]) {
      const r = await fanOut(url, db, subscribers, M);
      console.log(
        `  ${String(subscribers).padStart(5)} subscribers: delivered ${r.delivered}/${r.expected}` +
          `, latency commit→receipt p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms` +
          `, database statements per change ${r.statementsPerChange.toFixed(2)}`,
      );
    }
  } finally {
    gateway.kill('SIGTERM');
    await new Promise((r) => gateway.once('exit', r));
  }

  console.log(`writer throughput: ${THROUGHPUT_PERIODS} periods by ${WRITERS} writers per round, rounds alternating`);
  const rates: Record<'with' | 'without', number[]> = { with: [], without: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of ['with', 'without'] as const) {
      await setFeedTriggers(db, mode === 'with');
      const topics = await insertTopics(db, WRITERS, `throughput ${round} ${mode}`);
      const { committedAt, seconds } = await write(url, topics, Math.ceil(THROUGHPUT_PERIODS / WRITERS));
      rates[mode].push(committedAt.size / seconds);
    }
  }
  await setFeedTriggers(db, true);
  const [withFeed, without] = [median(rates.with), median(rates.without)];
  console.log(`  with the feed's triggers ${withFeed.toFixed(0)} commits/s, without ${without.toFixed(0)}: ${((withFeed / without) * 100).toFixed(0)}% (rounds ${rates.with.map((r, i) => `${(r / rates.without[i]! * 100).toFixed(0)}%`).join(' ')})`);
  await db.end();
  await stopServer?.();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
