/**
 * `npm run bench:replicas [-- --duration 20 --writers 4 --readers 8]`: read replicas under load.
 *
 * Starts a private primary and a streaming replica of it (test/helpers/replicatedCluster.ts: the
 * machine's PostgreSQL 15 binaries when installed, else the embedded 18's), and the gateway as
 * production runs it (compiled) with DATABASE_READ_URLS naming the replica. For --duration
 * seconds, --writers clients each record an event (a mutation) and read it back at once with the
 * consistency token, and --readers clients read an entity's events without one. Meanwhile the
 * primary's pg_stat_replication is sampled every 100 ms. Prints the cycles and reads per second,
 * reads that did not see their own write (must be 0), where the gateway routed queries (its
 * /metrics), and the replica's replay lag (time and bytes) at p50/p99/max.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { binariesOf, startReplicatedCluster } from '../test/helpers/replicatedCluster.js';
import { percentile, startBuiltGateway, stopProcess, writeResults } from './support.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '20' },
    writers: { type: 'string', default: '4' },
    readers: { type: 'string', default: '8' },
  },
});
const DURATION_MS = Number(values.duration) * 1000;
const WRITERS = Number(values.writers);
const READERS = Number(values.readers);
const PORT = 4392;
const URL_ = `http://127.0.0.1:${PORT}/graphql`;

interface Answer {
  data?: { topic?: { events: { edges: { node: { title: string } }[] } } } | null;
  extensions?: { consistencyToken?: string };
}

async function post(body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(URL_, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return (await response.json()) as Answer;
}

const folder = mkdtempSync(join(tmpdir(), 'crosshot-bench-replicas-'));
chmodSync(folder, 0o755);
const cluster = await startReplicatedCluster(await binariesOf(15), folder, { logStatements: false });
const gateway = await startBuiltGateway(PORT, { DATABASE_URL: cluster.primaryUrl, DATABASE_READ_URLS: cluster.replicaUrl, METRICS_ENABLED: 'true', METRICS_PORT: 'none' });
try {
  const { rows } = await cluster.pool.query<{ id: string }>(`INSERT INTO topics (name) SELECT 'Bench ' || g FROM generate_series(1, $1) g RETURNING id`, [WRITERS + READERS]);
  const topics = rows.map((row) => row.id);
  const deadline = Date.now() + DURATION_MS;
  let cycles = 0;
  let reads = 0;
  let stale = 0;
  const lagMs: number[] = [];
  const lagBytes: number[] = [];

  const writer = async (topicId: string) => {
    for (let i = 0; Date.now() < deadline; i++) {
      const title = `w ${i}`;
      const written = await post({ query: `mutation($id: ID!, $t: String!) { recordTemporalEvent(input: { entityType: TOPIC, entityId: $id, eventType: "note", title: $t, description: "-" }) { id } }`, variables: { id: topicId, t: title } });
      const token = written.extensions?.consistencyToken ?? '';
      const read = await post({ query: `query($id: ID!) { topic(id: $id) { events(first: 1) { edges { node { title } } } } }`, variables: { id: topicId } }, { 'x-consistency-token': token });
      if (read.data?.topic?.events.edges[0]?.node.title !== title) stale++;
      cycles++;
    }
  };
  const reader = async (topicId: string) => {
    while (Date.now() < deadline) {
      await post({ query: `query($id: ID!) { topic(id: $id) { name events(first: 20) { totalCount edges { node { title severity firstDetectedAt } } } } }`, variables: { id: topicId } });
      reads++;
    }
  };
  const sampler = async () => {
    while (Date.now() < deadline) {
      const { rows: sample } = await cluster.pool.query<{ ms: number | null; bytes: number | null }>(
        `SELECT (extract(epoch FROM replay_lag) * 1000)::float8 AS ms, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::float8 AS bytes FROM pg_stat_replication`,
      );
      lagMs.push(sample[0]?.ms ?? 0);
      lagBytes.push(sample[0]?.bytes ?? 0);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  await Promise.all([...topics.slice(0, WRITERS).map(writer), ...topics.slice(WRITERS).map(reader), sampler()]);

  const metrics = await (await fetch(`http://127.0.0.1:${PORT}/metrics`)).text();
  const routed = Object.fromEntries([...metrics.matchAll(/^crosshot_read_routing_total\{target="(\w+)"\} (\d+)/gm)].map((m) => [m[1], Number(m[2])]));
  const seconds = DURATION_MS / 1000;
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const [ms, bytes] = [sorted(lagMs), sorted(lagBytes)];
  const result = {
    date: new Date().toISOString(),
    writers: WRITERS,
    readers: READERS,
    seconds,
    cyclesPerSecond: cycles / seconds,
    readsPerSecond: reads / seconds,
    stale,
    routed,
    replayLagMs: { p50: percentile(ms, 50), p99: percentile(ms, 99), max: ms.at(-1) },
    replayLagBytes: { p50: percentile(bytes, 50), p99: percentile(bytes, 99), max: bytes.at(-1) },
  };
  console.log(`${WRITERS} writers (mutate, then read with the token), ${READERS} readers (no token), ${seconds} s, one gateway, primary and replica on this machine`);
  console.log(`  mutate-then-read cycles ${result.cyclesPerSecond.toFixed(0)}/s, of them reads that missed their own write: ${stale}`);
  console.log(`  token-less reads ${result.readsPerSecond.toFixed(0)}/s`);
  console.log(`  queries routed: replica ${routed.replica ?? 0}, primary ${routed.primary ?? 0} (no replica at the token in time: ${routed.token_fallback ?? 0})`);
  console.log(`  replay lag: p50 ${result.replayLagMs.p50.toFixed(1)} ms, p99 ${result.replayLagMs.p99.toFixed(1)} ms, max ${result.replayLagMs.max?.toFixed(1)} ms; behind by p99 ${(result.replayLagBytes.p99 / 1024).toFixed(0)} KiB`);
  writeResults('replicas', result);
} finally {
  await stopProcess(gateway);
  await cluster.stop();
  rmSync(folder, { recursive: true, force: true });
}
