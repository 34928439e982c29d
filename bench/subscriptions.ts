/**
 * `npm run bench:subscriptions [-- --subscribers 1000 --periods 200 --writers 4 --rate 5 --rounds 3]`:
 * the change feed under fan-out.
 *
 * Starts the gateway as production runs it (compiled, `node <start flags> dist/src/main.js`) on
 * a fresh database `crosshot_bench_feed`, opens N SSE subscriptions to periodCreated (one
 * instance, the clients in processes of their own), and inserts M periods by plain SQL from
 * several writer connections, as Crosshot's analyst does: paced at --rate periods per second,
 * then as fast as the writers can (the burst shows the delivery throughput). Prints delivered/expected, delivery latency from the writer's COMMIT returning to
 * the subscriber's receipt (p50/p95/p99), database statements per change (transactions of the
 * database other than the writers', from pg_stat_database) for a few subscribers and for N, and
 * the writers' commit throughput with and without the feed's triggers (alternating rounds).
 *
 * BENCH_DATABASE_URL names a maintenance database of the server to use; unset, a throw-away
 * embedded PostgreSQL 18 is started.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { benchDatabase, benchPostgres, dropDatabase, median, percentile, ROOT, startBuiltGateway, stopProcess, writeResults } from './support.js';

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '1000' },
    periods: { type: 'string', default: '200' },
    writers: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '3' },
    'throughput-periods': { type: 'string', default: '2000' },
    rate: { type: 'string', default: '5' },
  },
});
const N = Number(values.subscribers);
const M = Number(values.periods);
const WRITERS = Number(values.writers);
const ROUNDS = Number(values.rounds);
const THROUGHPUT_PERIODS = Number(values['throughput-periods']);
/** Periods per second the writers insert together in the fan-out runs (0: as fast as they can). */
const RATE = Number(values.rate);
const PORT = 4391;
/** Processes the subscribers are spread over. */
const CLIENT_PROCESSES = 2;
const DATABASE = 'crosshot_bench_feed';
const FEED_TRIGGERS = [
  ['analysis_periods', 'tr_analysis_periods_change_feed_insert'],
  ['analysis_periods', 'tr_analysis_periods_change_feed_activate'],
  ['temporal_events', 'tr_temporal_events_change_feed_insert'],
  ['temporal_events', 'tr_temporal_events_change_feed_update'],
];


/** Topics for `count` writers, each writing its own (so writers do not queue on one entity). */
async function insertTopics(db: pg.Client, count: number, label: string): Promise<string[]> {
  const { rows } = await db.query(
    `INSERT INTO topics (name, created_at) SELECT $2 || ' ' || g, '2025-12-01' FROM generate_series(1, $1) g RETURNING id`,
    [count, label],
  );
  return rows.map((r) => r.id as string);
}

/** Inserts `perWriter` periods on each writer's topic; returns each period's commit time by id. */
async function write(url: string, topics: string[], perWriter: number, rate = 0): Promise<{ committedAt: Map<string, number>; seconds: number }> {
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
      // Paced: writer w's i-th insert is due at (i - 1) / (rate / writers) seconds, offset by w.
      if (rate > 0) {
        const due = started + ((i - 1 + w / topics.length) * topics.length * 1000) / rate;
        if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
      }
      const n = Number(rows[0].n) + i;
      const start = new Date(Date.UTC(2026, 0, 1) + (n - 1) * 3_600_000);
      const end = new Date(start.getTime() + 3_600_000);
      const result = await client.query(
        `INSERT INTO analysis_periods (entity_type, entity_id, period_number, period_start, period_end, duration_hours, summary)
         VALUES ('topic', $1, $2, $3, $4, 1, 'bench') RETURNING id`,
        [topics[w], n, start, end],
      );
      committedAt.set(result.rows[0].id, performance.timeOrigin + performance.now());
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(clients.map((c) => c.end()));
  return { committedAt, seconds };
}

/**
 * N SSE subscriptions in client processes of their own (bench/sse-clients.ts), so that the
 * clients' work is not on the writers' event loop. `report` collects, per period id, the
 * absolute times the subscribers received it.
 */
async function subscribe(count: number): Promise<{ received(): Promise<number>; report(): Promise<Map<string, number[]>> }> {
  const processes = Math.min(CLIENT_PROCESSES, count);
  const children = Array.from({ length: processes }, (_, i) => {
    const share = Math.floor(count / processes) + (i < count % processes ? 1 : 0);
    return fork(join(ROOT, 'bench/sse-clients.ts'), [String(PORT), String(share)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  });
  await Promise.all(children.map((child) => new Promise<void>((resolve) => child.once('message', () => resolve()))));
  const ask = <T>(child: ChildProcess, message: object, take: (reply: Record<string, unknown>) => T) =>
    new Promise<T>((resolve) => {
      const listener = (reply: Record<string, unknown>) => {
        child.off('message', listener);
        resolve(take(reply));
      };
      child.on('message', listener);
      child.send(message);
    });
  return {
    async received() {
      const counts = await Promise.all(children.map((child) => ask(child, { count: true }, (reply) => reply.count as number)));
      return counts.reduce((a, b) => a + b, 0);
    },
    async report() {
      const received = new Map<string, number[]>();
      await Promise.all(children.map((child) => new Promise<void>((resolve) => {
        child.once('message', (message: { received: Record<string, number[]> }) => {
          for (const [id, times] of Object.entries(message.received)) received.set(id, [...(received.get(id) ?? []), ...times]);
          resolve();
        });
        child.send({ report: true });
      })));
      return received;
    },
  };
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

async function fanOut(url: string, db: pg.Client, subscribers: number, periods: number, rate: number) {
  const subscription = await subscribe(subscribers);
  const topics = await insertTopics(db, WRITERS, `fan-out ${subscribers}`);
  const before = await transactions(db);
  const { committedAt } = await write(url, topics, Math.ceil(periods / WRITERS), rate);
  const expected = committedAt.size * subscribers;
  // Every delivery arrives (or a minute passes) before the figures are taken.
  for (const deadline = Date.now() + 60_000; Date.now() < deadline && (await subscription.received()) < expected; ) await new Promise((r) => setTimeout(r, 200));
  // The writers' own transactions (one per period, and the numbering read) are not the feed's;
  // the statistics queries of this script are one transaction each (two per reading).
  const feedTransactions = (await transactions(db)) - before - committedAt.size - WRITERS - 2;
  const received = await subscription.report();
  const latencies = [...committedAt].flatMap(([id, at]) => (received.get(id) ?? []).map((t) => t - at)).sort((a, b) => a - b);
  return {
    subscribers,
    delivered: latencies.length,
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
  const postgres = await benchPostgres(54398);
  const url = await benchDatabase(postgres.adminUrl, DATABASE);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  // The subscribers stand for N clients, but all connect from this machine's one address: the
  // per-client limit (CLIENT_MAX_SUBSCRIPTIONS) would admit only its first 100.
  const gateway = await startBuiltGateway(PORT, { DATABASE_URL: url, SUBSCRIPTIONS_MAX: String(N + 100), CLIENT_MAX_SUBSCRIPTIONS: '0' });
  const fanOuts: Record<string, unknown>[] = [];
  try {
    console.log(`fan-out: ${M} periods by SQL from ${WRITERS} writer connections, SSE subscribers on one instance`);
    for (const [subscribers, rate] of [[10, RATE], [N, RATE], [N, 0]] as const) {
      const r = await fanOut(url, db, subscribers, M, rate);
      fanOuts.push({ rate, ...r });
      console.log(
        `  ${String(subscribers).padStart(5)} subscribers, ${rate ? `${rate} periods/s` : 'unpaced'}: delivered ${r.delivered}/${r.expected}` +
          `, latency commit→receipt p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms` +
          `, database statements per change ${r.statementsPerChange.toFixed(2)}`,
      );
    }
  } finally {
    await stopProcess(gateway);
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
  // The ratio of each round (with and without run back to back), then their median, as the read benchmark does.
  const ratios = rates.with.map((r, i) => r / rates.without[i]!);
  console.log(`  with the feed's triggers ${withFeed.toFixed(0)} commits/s, without ${without.toFixed(0)}: ${(median(ratios) * 100).toFixed(0)}% (median of the rounds ${ratios.map((r) => `${(r * 100).toFixed(0)}%`).join(' ')})`);
  writeResults('subscriptions', { date: new Date().toISOString(), subscribers: N, periods: M, writers: WRITERS, rate: RATE, fanOuts, writerThroughput: { rates, ratios } });
  await db.end();
  await dropDatabase(postgres.adminUrl, DATABASE);
  await postgres.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
