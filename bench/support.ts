/**
 * What every benchmark needs: a PostgreSQL server (BENCH_DATABASE_URL's, or a throw-away
 * embedded one), a database of its own (migrated, optionally with the benchmark profile), the
 * gateway as production runs it (compiled, the start script's memory flags, BENCH_NODE_FLAGS
 * added, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`), and a results file.
 */
import { spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded.js';
import { migrate } from '../src/db/migrations.js';
import { createPool } from '../src/db/pool.js';
import { seedDemoData } from '../src/services/seed/demoSeed.js';

export const ROOT = new URL('..', import.meta.url).pathname;

export interface BenchPostgres {
  adminUrl: string;
  stop(): Promise<void>;
}

/** BENCH_DATABASE_URL (a maintenance database of the server to use), or an embedded PostgreSQL 18 on `port`, removed by stop(). */
export async function benchPostgres(port: number): Promise<BenchPostgres> {
  const given = process.env.BENCH_DATABASE_URL;
  if (given) return { adminUrl: given, stop: async () => undefined };
  const dataDir = mkdtempSync(join(tmpdir(), 'crosshot-bench-pg-'));
  const server = await startEmbeddedPostgres({ dataDir, port, persistent: false });
  return {
    adminUrl: server.adminUrl,
    stop: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * The database `name`, migrated; with `profileScale`, holding the benchmark profile (500 topics +
 * 500 users × 40 periods per unit). `keep`: a database already holding that profile is reused
 * (seeding takes minutes); otherwise it is made anew.
 */
export async function benchDatabase(adminUrl: string, name: string, options: { profileScale?: number; keep?: boolean } = {}): Promise<string> {
  const url = databaseUrl(adminUrl, name);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rowCount;
    if (exists && options.keep && options.profileScale) {
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      const ready = await pool
        .query(`SELECT count(*)::int AS n FROM topics WHERE config ->> 'profile' = 'bench'`)
        .then((r) => r.rows[0].n === 500 * options.profileScale!)
        .catch(() => false);
      await pool.end();
      if (ready) {
        await migrateDatabase(url);
        return url;
      }
    }
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  await migrateDatabase(url);
  if (options.profileScale) {
    const pool = createPool({ connectionString: url, max: 2 });
    try {
      console.log(`seeding the bench profile at scale ${options.profileScale} into ${name} ...`);
      const counts = await seedDemoData(pool, { profile: 'bench', scale: options.profileScale, anchor: new Date('2026-06-01T00:00:00Z') });
      console.log(`  ${counts.periods} periods, ${counts.events} events, ${counts.crawlEffectiveness} crawl rows in ${(counts.durationMs / 1000).toFixed(0)} s`);
    } finally {
      await pool.end();
    }
  }
  return url;
}

async function migrateDatabase(url: string): Promise<void> {
  const pool = createPool({ connectionString: url, max: 2 });
  try {
    await migrate({ pool, migrationsTable: 'pgmigrations' });
  } finally {
    await pool.end();
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** `npm run build`, once per process. */
let built = false;
export function buildGateway(): void {
  if (built) return;
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error('npm run build failed');
  built = true;
}

/** The node flags of the start script (its memory limits), then BENCH_NODE_FLAGS. */
export function productionNodeFlags(root = ROOT): string[] {
  const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  return [...(scripts.start ?? '').split(/\s+/).filter((word) => word.startsWith('--max')), ...(process.env.BENCH_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? [])];
}

/** The compiled gateway on `port`, started with `env` over the environment, once /readyz answers. */
export async function startBuiltGateway(port: number, env: Record<string, string>, stdio: StdioOptions = ['ignore', 'ignore', 'inherit']): Promise<ChildProcess> {
  buildGateway();
  const gateway = spawn(process.execPath, [...productionNodeFlags(), 'dist/src/main.js'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', TREND_REFRESH_ENABLED: 'false', ...env },
    stdio,
  });
  await waitUntilReady(`http://127.0.0.1:${port}`);
  return gateway;
}

export async function waitUntilReady(origin: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await fetch(`${origin}/readyz`).then((r) => r.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${origin} did not become ready in 30 s`);
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** The resident memory of a process, in KiB (0 once it is gone). */
export function rssKiB(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
export const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);

/** Writes bench/results/<kind>-<time>.json (no kind: <time>.json) and returns its path. */
export function writeResults(kind: string | null, data: unknown): string {
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  const stamp = new Date().toISOString().slice(0, 16).replace(':', '');
  const file = join(ROOT, `bench/results/${kind ? `${kind}-` : ''}${stamp}.json`);
  writeFileSync(file, JSON.stringify(data, null, 2));
  console.log(`results: ${file}`);
  return file;
}
