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
 * `--baseline DIR` also starts the gateway of another checkout (e.g. a `git worktree` of the
 * commit before a change, with its dependencies installed) on the same database, checks its
 * answers too and measures it in the same alternating rounds: before and after in one run.
 *
 * BENCH_DATABASE_URL names a maintenance database of the server to use; unset, a throw-away
 * embedded PostgreSQL 18 is started.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { BENCH_TOPIC_SQL, P99_GROWTH_GOAL, RATIO_GOALS, RSS_GOAL_MIB, SCENARIOS, variablesFor, type Scenario } from './scenarios.js';
import { BENCH_SECRET, benchToken, statementReports, type StatementReport } from './plans.js';
import { benchDatabase, benchPostgres, median, productionNodeFlags, ROOT, rssKiB, waitUntilReady, writeResults } from './support.js';
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
    baseline: { type: 'string' },
  },
});
const scales = (values.scale ?? values.scales).split(',').map(Number);
const rounds = Number(values.rounds);
const duration = Number(values.duration);
const warmup = Number(values.warmup);
const connections = Number(values.connections);
const scenarios = SCENARIOS.filter((s) => !values.only || values.only.split(',').includes(s.name));

const GATEWAY_PORT = 4600;
const FLOOR_PORT = 4601;
const BASELINE_PORT = 4602;

interface Target {
  name: string;
  process: ChildProcess;
  /** A URL that answers 200 once the server is up. */
  ready: string;
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


/** utime + stime of a process in ms (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const rssMiB = (pid: number) => rssKiB(pid) / 1024;

/** A TypeScript script of the bench run through tsx (the floor). */
function start(cwd: string, script: string[], env: Record<string, string>, nodeFlags: string[] = []): ChildProcess {
  return spawn(process.execPath, [...nodeFlags, '--import', 'tsx', ...script], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

/**
 * A checkout's gateway as production runs it (the Docker image): compiled by its `npm run build`,
 * then `node <its start flags> dist/src/main.js`. tsx would add its own per-closure helper
 * (esbuild's keepNames) to every function the server creates while it serves.
 */
function startBuilt(root: string, env: Record<string, string>): ChildProcess {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error(`npm run build failed in ${root}`);
  return spawn(process.execPath, [...productionNodeFlags(root), 'dist/src/main.js'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
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

interface ScaleResult {
  scale: number;
  /** Per scenario and target: the measured rounds, and the median ratio of each gateway to the floor. */
  scenarios: Record<string, { statements: number; plans: StatementReport; rounds: Record<string, Measurement[]>; ratios: Record<string, number> }>;
  writes: Record<string, WriteResult>;
  /** Every round of W1 per gateway (`writes` keeps the first, as earlier result files did). */
  writeRounds: Record<string, WriteResult[]>;
}

/** A gateway from a checkout (this one, or --baseline's), built and started as production runs it. */
function gatewayTarget(name: string, root: string, port: number, env: Record<string, string>, token: string): Target {
  return {
    name,
    // Each its own metrics port: production serves /metrics apart, on 9464 unless told.
    process: startBuilt(root, { ...env, PORT: String(port), METRICS_PORT: String(port + 1000), HOST: '127.0.0.1' }),
    ready: `http://127.0.0.1:${port}`,
    request: (scenario, id) => ({
      url: `http://127.0.0.1:${port}/graphql`,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: scenario.query, variables: variablesFor(scenario, id) }),
    }),
  };
}

function summary(name: string, measurements: Measurement[], ratio: number | null, floor: Measurement[]): string {
  const m = (f: (x: Measurement) => number) => median(measurements.map(f));
  const rounds = ratio === null ? '' : ` ratio ${ratio.toFixed(2)} (rounds ${measurements.map((x, i) => (x.reqPerSec / floor[i]!.reqPerSec).toFixed(2)).join(' ')}) |`;
  return (
    `      ${name.padEnd(8)} ${m((x) => x.reqPerSec).toFixed(0).padStart(6)} req/s  p50 ${m((x) => x.p50).toFixed(0).padStart(4)}  p99 ${m((x) => x.p99).toFixed(0).padStart(4)} ms |` +
    `${rounds} CPU ${m((x) => x.cpuMsPerRequest).toFixed(2)} ms/req | RSS ${Math.max(...measurements.map((x) => x.peakRssMiB)).toFixed(0)} MiB` +
    (measurements.some((x) => x.errors) ? ' | ERRORS' : '')
  );
}

async function benchScale(adminUrl: string, scale: number): Promise<ScaleResult> {
  const url = await benchDatabase(adminUrl, `crosshot_bench_${scale}`, { profileScale: scale, keep: true });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const topic = (await client.query<{ id: string }>(BENCH_TOPIC_SQL)).rows[0]!.id;
  await client.end();
  // Production settings, authentication included: every request carries a read-write token.
  const env = { DATABASE_URL: url, NODE_ENV: 'production', LOG_LEVEL: 'warn', TREND_REFRESH_ENABLED: 'false', DATABASE_POOL_SIZE: '10', JWT_SECRET: BENCH_SECRET };
  const token = await benchToken();
  const gateways = [gatewayTarget('gateway', ROOT, GATEWAY_PORT, env, token)];
  if (values.baseline) gateways.push(gatewayTarget('baseline', values.baseline, BASELINE_PORT, env, token));
  const floor: Target = {
    name: 'floor',
    process: start(ROOT, ['bench/floor.ts'], { ...env, PORT: String(FLOOR_PORT) }),
    ready: `http://127.0.0.1:${FLOOR_PORT}`,
    request: (scenario, id) => ({ url: `http://127.0.0.1:${FLOOR_PORT}/${scenario.name}?topic=${id}`, method: 'GET' }),
  };
  const targets = [...gateways, floor];
  const result: ScaleResult = { scale, scenarios: {}, writes: {}, writeRounds: {} };
  try {
    await Promise.all(targets.map((target) => waitUntilReady(target.ready)));
    const statements = await statementReports(url, topic, scenarios);
    for (const scenario of scenarios) {
      const expected = await fetchJson(floor, scenario, topic);
      // A baseline from before a scenario's fields existed answers it with errors: it sits that scenario out.
      const answering: Target[] = [];
      for (const gateway of gateways) {
        const answer = await fetchJson(gateway, scenario, topic);
        if (gateway.name === 'baseline' && (answer as { errors?: unknown[] }).errors?.length && !isDeepStrictEqual(answer, expected)) {
          console.log(`  ${scenario.name}: the baseline cannot answer it (${JSON.stringify((answer as { errors: { message: string }[] }).errors[0]!.message)}); measured without it`);
          continue;
        }
        answering.push(gateway);
        if (!isDeepStrictEqual(answer, expected)) {
          writeFileSync(join(tmpdir(), `bench-${scenario.name}-${gateway.name}.json`), JSON.stringify(answer, null, 1));
          writeFileSync(join(tmpdir(), `bench-${scenario.name}-floor.json`), JSON.stringify(expected, null, 1));
          throw new Error(`${scenario.name}: ${gateway.name} and floor answer differently (both written to ${tmpdir()}/bench-${scenario.name}-*.json)`);
        }
      }
      const measuredTargets = [...answering, floor];
      for (const target of measuredTargets) await measure(target, scenario, topic, warmup);
      const measured: Record<string, Measurement[]> = Object.fromEntries(measuredTargets.map((t) => [t.name, [] as Measurement[]]));
      for (let round = 0; round < rounds; round++) {
        for (const target of measuredTargets) measured[target.name]!.push(await measure(target, scenario, topic, duration));
      }
      const ratios = Object.fromEntries(
        answering.map((g) => [g.name, median(measured[g.name]!.map((m, i) => m.reqPerSec / measured.floor![i]!.reqPerSec))]),
      );
      const report = statements[scenario.name]!;
      result.scenarios[scenario.name] = { statements: report.count, plans: report, rounds: measured, ratios };
      console.log(
        `  ${scenario.name} (${report.count} SQL statements in this checkout; PostgreSQL ${report.executionMs.toFixed(2)} ms ` +
          `(${report.statementMs.map((ms) => ms.toFixed(2)).join(' + ')}), ` +
          `highest plan cost ${report.maxCost.toFixed(0)}, JIT ${report.jit ? `in ${report.jit} statements` : 'none'}, ` +
          `${report.replanned ? `${report.replanned} replanned on every execution` : 'generic plans kept'}, ` +
          `${report.seqScans.length ? `sequential scans of ${[...new Set(report.seqScans)].join(', ')}` : 'no sequential scans of the big tables'})`,
      );
      for (const target of measuredTargets) console.log(summary(target.name, measured[target.name]!, ratios[target.name] ?? null, measured.floor!));
    }
    if (!values['no-writes']) {
      // Rounds alternate between the gateways, as the read scenarios do, so drift cancels.
      const runs: Record<string, WriteResult[]> = Object.fromEntries(gateways.map((g) => [g.name, []]));
      for (let round = 0; round < rounds; round++) {
        for (const gateway of gateways) runs[gateway.name]!.push(await runWrites(url, gateway.request(SCENARIOS[0]!, topic).url, connections, token));
      }
      for (const gateway of gateways) {
        const w = runs[gateway.name]!;
        const med = (f: (r: WriteResult) => number) => median(w.map(f));
        result.writes[gateway.name] = w[0]!;
        result.writeRounds[gateway.name] = w;
        console.log(`  W1 ${gateway.name}: across entities ${med((r) => r.acrossEntities.perSecond).toFixed(0)} periods/s (rounds ${w.map((r) => r.acrossEntities.perSecond.toFixed(0)).join(' ')}), p99 ${med((r) => r.acrossEntities.p99).toFixed(0)} ms` +
          ` | one entity ${med((r) => r.oneEntity.perSecond).toFixed(0)} periods/s, p99 ${med((r) => r.oneEntity.p99).toFixed(0)} ms | invariants ${w.every((r) => r.invariantsHold) ? 'hold' : 'BROKEN'}`);
      }
    }
  } finally {
    for (const target of targets) target.process.kill('SIGTERM');
  }
  printGoals(result);
  return result;
}

/** The goals' figures for this scale: each ratio against its goal, RSS under load, W1 against the baseline. */
function printGoals(result: ScaleResult): void {
  const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log(`  goals at scale ${result.scale}:`);
  for (const [name, scenario] of Object.entries(result.scenarios)) {
    const goal = RATIO_GOALS[name];
    const ratio = scenario.ratios.gateway;
    if (goal === undefined || ratio === undefined) continue;
    const before = scenario.ratios.baseline === undefined ? '' : ` (baseline ${scenario.ratios.baseline.toFixed(2)})`;
    console.log(`    ${name} ratio to the floor ${ratio.toFixed(2)}, goal ≥ ${goal.toFixed(2)}: ${met(ratio >= goal)}${before}; ${scenario.statements} SQL statement(s)`);
  }
  const rss = Math.max(...Object.values(result.scenarios).flatMap((s) => s.rounds.gateway?.map((m) => m.peakRssMiB) ?? [0]));
  console.log(`    RSS under load ${rss.toFixed(0)} MiB, goal ≤ ${RSS_GOAL_MIB}: ${met(rss <= RSS_GOAL_MIB)}`);
  const w1 = (name: string) => (result.writeRounds[name]?.length ? median(result.writeRounds[name]!.map((r) => r.acrossEntities.perSecond)) : null);
  const [now, before] = [w1('gateway'), w1('baseline')];
  if (now !== null && before !== null) console.log(`    W1 ${now.toFixed(0)} periods/s, baseline ${before.toFixed(0)}: ${met(now >= before * 0.95)} (unchanged or better, within 5%)`);
}

async function main(): Promise<void> {
  const postgres = await benchPostgres(54399);
  const results: ScaleResult[] = [];
  try {
    for (const scale of scales) {
      console.log(`scale ${scale}: ${40_000 * scale} periods; ${connections} connections, ${rounds} rounds of ${duration} s per target`);
      results.push(await benchScale(postgres.adminUrl, scale));
    }
    if (results.length > 1) {
      const [first, last] = [results[0]!, results.at(-1)!];
      for (const name of Object.keys(first.scenarios)) {
        const p99 = (r: ScaleResult) => median(r.scenarios[name]!.rounds.gateway!.map((m) => m.p99));
        const growth = p99(last) / p99(first);
        console.log(`  ${name} p99 at scale ${last.scale} / scale ${first.scale}: ${growth.toFixed(2)}, goal ≤ ${P99_GROWTH_GOAL}: ${growth <= P99_GROWTH_GOAL ? 'met' : 'MISSED'}`);
      }
    }
    writeResults(null, { date: new Date().toISOString(), connections, rounds, duration, results });
  } finally {
    await postgres.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
