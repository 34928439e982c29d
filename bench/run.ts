/**
 * `npm run bench [-- --scales 1,10 --rounds 3 --duration 10]`: the gateway against the floor.
 *
 * For each scale: loads the benchmark profile (500 topics + 500 users x 40 periods per unit) into
 * `crosshot_bench_<scale>` once (kept for later runs), starts the gateway (production settings,
 * logging at warn, no background refresh) and the floor (bench/floor.ts) as child processes on
 * the same database, checks that both return equal data, then drives each scenario with
 * autocannon (10 connections, warm-up, measured rounds alternating gateway, floor, gateway, ...
 * so that machine drift cancels) and prints req/s, p50/p99, the ratio to the floor (median of
 * the per-round ratios), SQL statements per request, server CPU ms per request and peak RSS.
 * Then W1: recordAnalysisPeriod over HTTP across many entities, and on one entity. Results go
 * to bench/results/<date>.json.
 *
 * BENCH_DATABASE_URL names a maintenance database of the server to use; unset, a throw-away
 * embedded PostgreSQL 18 is started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { startEmbeddedPostgres } from '../src/db/embedded.js';
import { migrate } from '../src/db/migrations.js';
import { createPool } from '../src/db/pool.js';
import { createPrismaClient } from '../src/db/prisma.js';
import { createLogger } from '../src/logger.js';
import { createGateway } from '../src/server/gateway.js';
import { seedDemoData } from '../src/services/demoSeed.js';
import { TrendRefresher } from '../src/services/trendRefresher.js';
import { BENCH_TOPIC_SQL, SCENARIOS, variablesFor, type Scenario } from './scenarios.js';
import { runWrites, type WriteResult } from './writes.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string' },
    scales: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '10' },
    only: { type: 'string' },
    'no-writes': { type: 'boolean', default: false },
  },
});
const scales = (values.scale ?? values.scales).split(',').map(Number);
const rounds = Number(values.rounds);
const duration = Number(values.duration);
const warmup = Number(values.warmup);
const connections = Number(values.connections);
const scenarios = SCENARIOS.filter((s) => !values.only || values.only.split(',').includes(s.name));

const ROOT = new URL('..', import.meta.url).pathname;
const GATEWAY_PORT = 4600;
const FLOOR_PORT = 4601;

interface Target {
  name: 'gateway' | 'floor';
  process: ChildProcess;
  request(scenario: Scenario, topic: string): { url: string; method: 'GET' | 'POST'; body?: string; headers?: Record<string, string> };
}

interface Measurement {
  reqPerSec: number;
  p50: number;
  p99: number;
  cpuMsPerRequest: number;
  peakRssMiB: number;
  errors: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** utime + stime of a process in ms (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.replace(/\D+/g, '')) / 1024;
}

function start(script: string[], env: Record<string, string>, nodeFlags: string[] = []): ChildProcess {
  return spawn(process.execPath, [...nodeFlags, '--import', 'tsx', ...script], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

async function fetchJson(target: Target, scenario: Scenario, topic: string): Promise<unknown> {
  const { url, method, body, headers } = target.request(scenario, topic);
  const response = await fetch(url, { method, body, headers });
  return response.json();
}

async function measure(target: Target, scenario: Scenario, topic: string, seconds: number): Promise<Measurement> {
  const pid = target.process.pid!;
  const { url, method, body, headers } = target.request(scenario, topic);
  let peak = rssMiB(pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 200);
  const cpuBefore = cpuMs(pid);
  const result = await autocannon({ url, method, body, headers, connections, duration: seconds });
  const cpu = cpuMs(pid) - cpuBefore;
  clearInterval(sampler);
  return {
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuMsPerRequest: cpu / Math.max(1, result.requests.total),
    peakRssMiB: Math.max(peak, rssMiB(pid)),
    errors: result.errors + result.non2xx,
  };
}

/** SQL statements one request runs, counted on an in-process gateway over the same database. */
async function statementCounts(url: string, topic: string): Promise<Record<string, number>> {
  const pool = createPool({ connectionString: url, max: 4 });
  const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', TREND_REFRESH_ENABLED: 'false' });
  const logger = createLogger('silent');
  const prisma = createPrismaClient(pool);
  const yoga = createGateway({ config, pool, prisma, logger, trendRefresher: new TrendRefresher(pool, config.trendRefresh, logger) });
  const counts: Record<string, number> = {};
  try {
    for (const scenario of scenarios) {
      let count = 0;
      const stop = pool.onStatement(() => count++);
      await yoga.fetch('http://bench/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: scenario.query, variables: variablesFor(scenario, topic) }),
      });
      stop();
      counts[scenario.name] = count;
    }
  } finally {
    await prisma.$disconnect();
    await pool.end();
  }
  return counts;
}

async function prepareDatabase(adminUrl: string, scale: number): Promise<string> {
  const database = `crosshot_bench_${scale}`;
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [database])).rowCount;
    if (exists) {
      const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
      const ready = await pool
        .query(`SELECT count(*)::int AS n FROM topics WHERE config ->> 'profile' = 'bench'`)
        .then((r) => r.rows[0].n === 500 * scale)
        .catch(() => false);
      await pool.end();
      if (ready) return url.toString();
      await admin.query(`DROP DATABASE ${database} WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  const pool = createPool({ connectionString: url.toString(), max: 2 });
  try {
    await migrate({ pool, migrationsTable: 'pgmigrations' });
    console.log(`seeding the bench profile at scale ${scale} ...`);
    const counts = await seedDemoData(pool, { profile: 'bench', scale, anchor: new Date('2026-06-01T00:00:00Z') });
    console.log(`  ${counts.periods} periods, ${counts.events} events, ${counts.crawlEffectiveness} crawl rows in ${(counts.durationMs / 1000).toFixed(0)} s`);
  } finally {
    await pool.end();
  }
  return url.toString();
}

interface ScaleResult {
  scale: number;
  scenarios: Record<string, { statements: number; gateway: Measurement[]; floor: Measurement[]; ratio: number }>;
  writes?: WriteResult;
}

async function benchScale(adminUrl: string, scale: number): Promise<ScaleResult> {
  const url = await prepareDatabase(adminUrl, scale);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const topic = (await client.query<{ id: string }>(BENCH_TOPIC_SQL)).rows[0]!.id;
  await client.end();
  const env = { DATABASE_URL: url, NODE_ENV: 'production', LOG_LEVEL: 'warn', TREND_REFRESH_ENABLED: 'false', DATABASE_POOL_SIZE: '10' };
  const gateway: Target = {
    name: 'gateway',
    // As `npm start` and the Docker image run it.
    process: start(['src/main.ts'], { ...env, PORT: String(GATEWAY_PORT), HOST: '127.0.0.1' }, ['--max-semi-space-size=64']),
    request: (scenario, id) => ({
      url: `http://127.0.0.1:${GATEWAY_PORT}/graphql`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: scenario.query, variables: variablesFor(scenario, id) }),
    }),
  };
  const floor: Target = {
    name: 'floor',
    process: start(['bench/floor.ts'], { ...env, PORT: String(FLOOR_PORT) }),
    request: (scenario, id) => ({ url: `http://127.0.0.1:${FLOOR_PORT}/${scenario.name}?topic=${id}`, method: 'GET' }),
  };
  const result: ScaleResult = { scale, scenarios: {} };
  try {
    await Promise.all([waitFor(`http://127.0.0.1:${GATEWAY_PORT}/readyz`), waitFor(`http://127.0.0.1:${FLOOR_PORT}/ready`)]);
    const statements = await statementCounts(url, topic);
    for (const scenario of scenarios) {
      const [fromGateway, fromFloor] = [await fetchJson(gateway, scenario, topic), await fetchJson(floor, scenario, topic)];
      if (!isDeepStrictEqual(fromGateway, fromFloor)) {
        writeFileSync(join(tmpdir(), `bench-${scenario.name}-gateway.json`), JSON.stringify(fromGateway, null, 1));
        writeFileSync(join(tmpdir(), `bench-${scenario.name}-floor.json`), JSON.stringify(fromFloor, null, 1));
        throw new Error(`${scenario.name}: gateway and floor answer differently (both written to ${tmpdir()}/bench-${scenario.name}-*.json)`);
      }
      const entry = { statements: statements[scenario.name]!, gateway: [] as Measurement[], floor: [] as Measurement[], ratio: 0 };
      for (const target of [gateway, floor]) await measure(target, scenario, topic, warmup);
      for (let round = 0; round < rounds; round++) {
        for (const target of [gateway, floor]) entry[target.name].push(await measure(target, scenario, topic, duration));
      }
      entry.ratio = median(entry.gateway.map((g, i) => g.reqPerSec / entry.floor[i]!.reqPerSec));
      result.scenarios[scenario.name] = entry;
      const g = (f: (m: Measurement) => number) => median(entry.gateway.map(f));
      const fl = (f: (m: Measurement) => number) => median(entry.floor.map(f));
      console.log(
        `  ${scenario.name.padEnd(3)} ${g((m) => m.reqPerSec).toFixed(0).padStart(6)} req/s  p50 ${g((m) => m.p50).toFixed(0).padStart(4)} p99 ${g((m) => m.p99).toFixed(0).padStart(4)} ms | ` +
          `floor ${fl((m) => m.reqPerSec).toFixed(0).padStart(6)} req/s p50 ${fl((m) => m.p50).toFixed(0).padStart(4)} p99 ${fl((m) => m.p99).toFixed(0).padStart(4)} ms | ` +
          `ratio ${entry.ratio.toFixed(2)} (rounds ${entry.gateway.map((m, i) => (m.reqPerSec / entry.floor[i]!.reqPerSec).toFixed(2)).join(' ')}) | ` +
          `${entry.statements} SQL | CPU ${g((m) => m.cpuMsPerRequest).toFixed(2)} ms/req (floor ${fl((m) => m.cpuMsPerRequest).toFixed(2)}) | ` +
          `RSS ${Math.max(...entry.gateway.map((m) => m.peakRssMiB)).toFixed(0)} MiB${entry.gateway.some((m) => m.errors) ? ' | ERRORS' : ''}`,
      );
    }
    if (!values['no-writes']) {
      result.writes = await runWrites(url, `http://127.0.0.1:${GATEWAY_PORT}/graphql`, connections);
      const w = result.writes;
      console.log(`  W1  across entities: ${w.acrossEntities.perSecond.toFixed(0)} periods/s, p99 ${w.acrossEntities.p99.toFixed(0)} ms` +
        ` | one entity: ${w.oneEntity.perSecond.toFixed(0)} periods/s, p99 ${w.oneEntity.p99.toFixed(0)} ms | invariants ${w.invariantsHold ? 'hold' : 'BROKEN'}`);
    }
  } finally {
    for (const target of [gateway, floor]) target.process.kill('SIGTERM');
  }
  return result;
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
  const results: ScaleResult[] = [];
  try {
    for (const scale of scales) {
      console.log(`scale ${scale}: ${40_000 * scale} periods; ${connections} connections, ${rounds} rounds of ${duration} s per target`);
      results.push(await benchScale(adminUrl, scale));
    }
    if (results.length > 1) {
      const [first, last] = [results[0]!, results.at(-1)!];
      for (const name of Object.keys(first.scenarios)) {
        const p99 = (r: ScaleResult) => median(r.scenarios[name]!.gateway.map((m) => m.p99));
        console.log(`  ${name} p99 at scale ${last.scale} / scale ${first.scale}: ${(p99(last) / p99(first)).toFixed(2)}`);
      }
    }
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    const file = join(ROOT, `bench/results/${new Date().toISOString().slice(0, 16).replace(':', '')}.json`);
    writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), connections, rounds, duration, results }, null, 2));
    console.log(`results: ${file}`);
  } finally {
    await stopServer?.();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
