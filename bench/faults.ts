/**
 * `npm run bench:faults [-- --seconds 40 --readers 4 --writers 4 --subscribers 10]`: the gateway
 * under a failing database.
 *
 * Starts a PostgreSQL of its own (the embedded PostgreSQL 18, in a temporary folder, so that it
 * can be restarted) and the gateway as production runs it (compiled, `node <start flags>
 * dist/src/main.js`). Then, for --seconds: readers run the nested timeline and a single topic,
 * writers record periods through the API (one topic each), subscribers (half SSE, half
 * WebSocket) follow periodCreated and resume from their last cursor whenever a stream ends; every
 * 0.5 to 1 s all of the gateway's database connections are terminated
 * (pg_terminate_backend, as a failover or an administrator would), and once, half-way, PostgreSQL
 * itself is restarted. At the end it waits for the subscribers to catch up and reports: whether
 * the process is alive, requests answered / failed (by error code) / dropped (no answer), the
 * deliveries lost (periods committed that a subscriber never received: must be 0), and the
 * gateway's peak RSS. Results go to bench/results/faults-<time>.json.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createClient } from 'graphql-ws';
import pg from 'pg';
import { WebSocket } from 'ws';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedServer } from '../src/db/embedded.js';
import { rssKiB, startBuiltGateway, writeResults } from './support.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '40' },
    readers: { type: 'string', default: '4' },
    writers: { type: 'string', default: '4' },
    subscribers: { type: 'string', default: '10' },
  },
});
const SECONDS = Number(values.seconds);
const READERS = Number(values.readers);
const WRITERS = Number(values.writers);
const SUBSCRIBERS = Number(values.subscribers);
const PG_PORT = 54397;
const PORT = 4392;
const URL_ = `http://127.0.0.1:${PORT}/graphql`;

const READ_QUERIES = [
  `query Q1 { topics(first: 5) { edges { node { id name periods(first: 5) { edges { node { periodNumber periodEnd events { title } } } } } } } }`,
  `query Q2($id: ID!) { topic(id: $id) { name totalPeriods periods(first: 10) { edges { node { periodNumber summaryShort metrics } } } } }`,
];
const RECORD = `mutation Record($input: RecordAnalysisPeriodInput!) { recordAnalysisPeriod(input: $input) { periodNumber } }`;
const PERIODS = `subscription Periods($after: String) { periodCreated(entityType: TOPIC, after: $after) { id periodNumber } }`;

interface Tally {
  answered: number;
  failed: Record<string, number>;
  dropped: number;
}

const tally: Tally = { answered: 0, failed: {}, dropped: 0 };
const count = (codes: string[]) => {
  if (codes.length === 0) tally.answered++;
  for (const code of new Set(codes)) tally.failed[code] = (tally.failed[code] ?? 0) + 1;
};

async function post(query: string, variables: Record<string, unknown>): Promise<void> {
  try {
    const response = await fetch(URL_, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }), signal: AbortSignal.timeout(15_000) });
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    count((body.errors ?? []).map((error) => error.extensions?.code ?? 'UNCODED'));
  } catch {
    tally.dropped++;
  }
}

/** A subscriber that follows periodCreated and resumes from its last cursor whenever its stream ends. */
interface Subscriber {
  kind: 'sse' | 'ws';
  delivered: Set<string>;
  resumptions: number;
  stop(): Promise<void>;
}

function sseSubscriber(): Subscriber {
  const subscriber: Subscriber = { kind: 'sse', delivered: new Set(), resumptions: 0, stop: async () => undefined };
  let lastCursor: string | undefined;
  let stopped = false;
  let abort = new AbortController();
  const run = async () => {
    while (!stopped) {
      abort = new AbortController();
      try {
        const response = await fetch(URL_, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
          body: JSON.stringify({ query: PERIODS, variables: { after: lastCursor } }),
          signal: abort.signal,
        });
        const decoder = new TextDecoder();
        let buffer = '';
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const id = /^id: (.+)$/m.exec(block)?.[1];
            const data = /^data: (.+)$/m.exec(block)?.[1];
            const period = data ? (JSON.parse(data) as { data?: { periodCreated?: { id: string } } }).data?.periodCreated : undefined;
            if (period) subscriber.delivered.add(period.id);
            if (id) lastCursor = id;
          }
        }
      } catch {
        // the stream broke: resume below
      }
      if (!stopped) {
        subscriber.resumptions++;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  };
  void run();
  subscriber.stop = async () => {
    stopped = true;
    abort.abort();
  };
  return subscriber;
}

function webSocketSubscriber(): Subscriber {
  const subscriber: Subscriber = { kind: 'ws', delivered: new Set(), resumptions: 0, stop: async () => undefined };
  let lastCursor: string | undefined;
  let stopped = false;
  const client = createClient({
    url: URL_.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 1_000,
    retryWait: async () => new Promise((r) => setTimeout(r, 200)),
    shouldRetry: () => !stopped,
  });
  const follow = () => {
    if (stopped) return;
    client.subscribe<{ periodCreated?: { id: string } }>({ query: PERIODS, variables: { after: lastCursor } }, {
      next: (result) => {
        if (result.data?.periodCreated) subscriber.delivered.add(result.data.periodCreated.id);
        const cursor = (result.extensions as { cursor?: string } | undefined)?.cursor;
        if (cursor) lastCursor = cursor;
      },
      error: () => {
        subscriber.resumptions++;
        setTimeout(follow, 200);
      },
      complete: () => {
        subscriber.resumptions++;
        setTimeout(follow, 200);
      },
    });
  };
  follow();
  subscriber.stop = async () => {
    stopped = true;
    await client.dispose();
  };
  return subscriber;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crosshot-faults-pg-'));
  let postgres: EmbeddedServer = await startEmbeddedPostgres({ dataDir, port: PG_PORT, persistent: true });
  await ensureDatabase(postgres.adminUrl, 'crosshot_faults');
  const databaseUrl = postgres.urlFor('crosshot_faults');

  const gateway = await startBuiltGateway(PORT, { DATABASE_URL: databaseUrl, LOG_LEVEL: 'error', TREND_REFRESH_ENABLED: 'true', NODE_ENV: 'development' }, ['ignore', 'ignore', 'pipe']);
  let stderr = '';
  gateway.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  let exited: number | null | undefined;
  gateway.once('exit', (code, signal) => (exited = code ?? (signal ? -1 : null)));
  const admin = () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    client.on('error', () => undefined);
    return client;
  };
  try {
    const setup = admin();
    await setup.connect();
    const { rows } = await setup.query<{ id: string }>(
      `INSERT INTO topics (name, created_at) SELECT 'Fault topic ' || g, '2026-01-01' FROM generate_series(1, $1) g RETURNING id`,
      [WRITERS],
    );
    await setup.end();
    const topics = rows.map((row) => row.id);

    const subscribers = Array.from({ length: SUBSCRIBERS }, (_, i) => (i % 2 === 0 ? sseSubscriber() : webSocketSubscriber()));
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    let rssPeak = 0;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssKiB(gateway.pid!))), 200);
    const deadline = Date.now() + SECONDS * 1000;
    let kills = 0;
    let restarted = false;
    const killer = (async () => {
      while (Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 500 + Math.random() * 500));
        if (!restarted && Date.now() > deadline - (SECONDS * 1000) / 2) {
          restarted = true;
          await postgres.stop();
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          postgres = await startEmbeddedPostgres({ dataDir, port: PG_PORT, persistent: true });
          continue;
        }
        const client = admin();
        try {
          await client.connect();
          const { rowCount } = await client.query(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name LIKE 'crosshot-gateway%'`,
          );
          kills += rowCount ?? 0;
        } catch {
          // the database is restarting
        } finally {
          await client.end().catch(() => undefined);
        }
      }
    })();
    const readers = Array.from({ length: READERS }, async (_, r) => {
      for (let i = 0; Date.now() < deadline; i++) await post(READ_QUERIES[(i + r) % 2]!, { id: topics[i % topics.length] });
    });
    const writers = topics.map(async (entityId) => {
      // Each attempt ends an hour later than the one before: a write whose answer was lost may have committed.
      for (let hour = 1; Date.now() < deadline; hour++) {
        await post(RECORD, { input: { entityType: 'TOPIC', entityId, summary: `hour ${hour}`, periodEnd: new Date(Date.UTC(2026, 0, 1) + hour * 3_600_000).toISOString() } });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });
    await Promise.all([killer, ...readers, ...writers]);

    // Every committed period must reach every subscriber (they resume with their cursors).
    const check = admin();
    for (let i = 0; i < 50; i++) {
      try {
        await check.connect();
        break;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    const committed = (await check.query<{ id: string }>(`SELECT id FROM analysis_periods WHERE status = 'active'`)).rows.map((row) => row.id);
    await check.end();
    const missing = () => subscribers.reduce((sum, s) => sum + committed.filter((id) => !s.delivered.has(id)).length, 0);
    for (const until = Date.now() + 30_000; Date.now() < until && missing() > 0; ) await new Promise((resolve) => setTimeout(resolve, 250));
    clearInterval(sampler);
    const alive = exited === undefined && (await fetch(`http://127.0.0.1:${PORT}/healthz`).then((r) => r.ok, () => false));
    const report = {
      date: new Date().toISOString(),
      seconds: SECONDS,
      readers: READERS,
      writers: WRITERS,
      subscribers: SUBSCRIBERS,
      connectionsTerminated: kills,
      postgresRestarted: restarted,
      processAlive: alive,
      requests: { answered: tally.answered, failedByCode: tally.failed, dropped: tally.dropped },
      periodsCommitted: committed.length,
      deliveriesExpected: committed.length * subscribers.length,
      deliveriesLost: missing(),
      resumptions: subscribers.reduce((sum, s) => sum + s.resumptions, 0),
      rssPeakMiB: Math.round(rssPeak / 1024),
      uncodedFailures: tally.failed.UNCODED ?? 0,
      internalErrors: tally.failed.INTERNAL_SERVER_ERROR ?? 0,
    };
    await Promise.allSettled(subscribers.map((s) => s.stop()));
    console.log(JSON.stringify(report, null, 2));
    if (stderr.trim()) console.log(`gateway stderr (error level):\n${stderr.split('\n').slice(0, 20).join('\n')}`);
    writeResults('faults', report);
    if (!alive || report.deliveriesLost > 0 || report.uncodedFailures > 0 || report.internalErrors > 0) process.exitCode = 1;
  } finally {
    gateway.kill('SIGTERM');
    await new Promise((resolve) => (exited !== undefined ? resolve(undefined) : gateway.once('exit', resolve)));
    await postgres.stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// A subscriber's client may fail while the gateway is down (or dead): the report says so, the run goes on.
process.on('unhandledRejection', () => undefined);

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
