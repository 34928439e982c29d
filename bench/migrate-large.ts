/**
 * `npm run bench:migrate [-- --contents 1000000 --entities 10000 --tasks 200000 --concurrently]`:
 * what `db migrate` costs an operator adopting a large, base-only Crosshot database.
 *
 * Builds `crosshot_migrate_bench` (dropped first) with the base tables only, the way Crosshot's
 * API creates them, fills it set-based (contents spread over topics and users, five per task),
 * then runs the gateway's migrate while a second connection samples pg_locks every few
 * milliseconds. It prints, for each migration, its time and the longest stretch it held a lock
 * that blocks writers (SHARE or stronger) on each base table, and whether any base table was
 * rewritten (its relfilenode changed). A third connection updates a content row every 5 ms
 * throughout and reports the slowest update: the stall a crawler writing at the time would see. Results go to bench/results/migrate-<date>.json.
 *
 * BENCH_DATABASE_URL names a maintenance database of the server to use (default: the local
 * PostgreSQL at 127.0.0.1:5432).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { migrate } from '../src/db/migrations.js';
import { migrationsDir } from '../src/paths.js';

const { values } = parseArgs({
  options: {
    contents: { type: 'string', default: '1000000' },
    entities: { type: 'string', default: '10000' },
    tasks: { type: 'string', default: '200000' },
    concurrently: { type: 'boolean', default: false },
    'keep-data': { type: 'boolean', default: false },
  },
});
const contents = Number(values.contents);
const entities = Number(values.entities);
const tasks = Number(values.tasks);

const BASE_TABLES = ['topics', 'users', 'contents', 'tasks', 'chat_messages'];
/** Lock modes that conflict with ROW EXCLUSIVE, the lock every INSERT/UPDATE/DELETE takes. */
const WRITE_BLOCKING = new Set(['ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock']);
const DATABASE = 'crosshot_migrate_bench';
const APPLICATION = 'crosshot-migrate-bench';
const SAMPLE_MS = 2;

const maintenanceUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const databaseUrl = (() => {
  const url = new URL(maintenanceUrl);
  url.pathname = `/${DATABASE}`;
  return url.toString();
})();

function upSqlOf(file: string): string {
  const text = readFileSync(join(migrationsDir, file), 'utf8');
  return text.slice(text.indexOf('-- Up Migration'), text.indexOf('-- Down Migration'));
}

async function buildBaseDatabase(): Promise<number> {
  const admin = new pg.Client({ connectionString: maintenanceUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();

  const started = performance.now();
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  await db.query(upSqlOf('0000_base_tables.sql'));
  // Crosshot's tables get their defaults from SQLAlchemy, not the server; the values below are
  // what its models write, so the rows look like a crawler's.
  await db.query(`
    INSERT INTO topics (id, name, keywords, created_at)
    SELECT md5('t' || g)::uuid, 'topic ' || g, ARRAY['kw' || g], now() - interval '300 days'
    FROM generate_series(1, $1::int) g;
    INSERT INTO users (id, name, platform, profile_url, username, created_at)
    SELECT md5('u' || g)::uuid, 'user ' || g, 'x', 'https://x.com/u' || g, 'u' || g, now() - interval '300 days'
    FROM generate_series(1, $1::int) g;`.replaceAll('$1', String(entities)));
  await db.query(`
    INSERT INTO tasks (id, label, status, payload, created_at, completed_at)
    SELECT md5('k' || g)::uuid, 'crawl', 'done', jsonb_build_object('query', 'q' || g),
           now() - (g % 7200) * interval '1 hour', now() - (g % 7200) * interval '1 hour' + interval '2 minutes'
    FROM generate_series(1, ${tasks}) g`);
  await db.query(`
    INSERT INTO contents (task_id, topic_id, user_id, platform, platform_content_id, source_url, crawled_at,
                          author_username, text, lang, processing_status, metrics)
    SELECT md5('k' || (1 + g % ${tasks}))::uuid,
           CASE WHEN g % 2 = 0 THEN md5('t' || (1 + g % ${entities}))::uuid END,
           CASE WHEN g % 2 = 1 THEN md5('u' || (1 + g % ${entities}))::uuid END,
           'x', 'c' || g, 'https://x.com/s/' || g, now() - (g % 7200) * interval '1 hour',
           'author' || (g % 5000), repeat(md5(g::text), 6), 'en', 'processed',
           jsonb_build_object('likes', g % 1000, 'views', g % 10000)
    FROM generate_series(1, ${contents}) g`);
  await db.query(`
    INSERT INTO chat_messages (entity_type, entity_id, role, content, created_at)
    SELECT 'topic', md5('t' || (1 + g % ${entities}))::uuid, 'assistant', repeat(md5(g::text), 4), now() - g * interval '1 minute'
    FROM generate_series(1, ${entities * 10}) g`);
  await db.query('VACUUM ANALYZE');
  await db.end();
  return performance.now() - started;
}

interface LockSpan {
  table: string;
  mode: string;
  ms: number;
}

interface Sample {
  at: number;
  /** The statement the migrating backend is running. */
  query: string | null;
  held: { table: string; mode: string }[];
}

/** Samples the migrating backend's granted, writer-blocking locks on the base tables. */
function sampleLocks(client: pg.Client): { stop: () => Promise<Sample[]> } {
  const samples: Sample[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const at = performance.now();
      const { rows } = await client.query<{ query: string | null; held: { table: string; mode: string }[] }>(
        `SELECT a.query, coalesce((SELECT json_agg(json_build_object('table', c.relname, 'mode', l.mode))
                                     FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                                    WHERE l.pid = a.pid AND l.granted AND c.relname = ANY ($2)), '[]') AS held
           FROM pg_stat_activity a WHERE a.application_name = $1 AND a.state = 'active'`,
        [APPLICATION, BASE_TABLES],
      );
      samples.push({ at, query: rows[0]?.query ?? null, held: (rows[0]?.held ?? []).filter((h) => WRITE_BLOCKING.has(h.mode)) });
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return samples;
    },
  };
}

/** The longest unbroken run of samples in [from, to) holding a blocking lock, per table. */
function longestSpans(samples: Sample[], from: number, to: number): LockSpan[] {
  return BASE_TABLES.map((table) => {
    let best: LockSpan = { table, mode: '-', ms: 0 };
    let start: number | null = null;
    for (const sample of samples) {
      const held = sample.at >= from && sample.at < to ? sample.held.find((h) => h.table === table) : undefined;
      if (!held) {
        start = null;
        continue;
      }
      start ??= sample.at;
      if (sample.at - start >= best.ms) best = { table, mode: held.mode, ms: sample.at - start };
    }
    return best;
  });
}

/** The statements that ran longest (an index build or a validating scan is one statement under --concurrently). */
function longestStatements(samples: Sample[], top: number): { statement: string; ms: number }[] {
  const spans = new Map<string, number>();
  let current: { query: string; since: number } | null = null;
  for (const sample of samples) {
    if (current && sample.query !== current.query) current = null;
    if (sample.query && !current) current = { query: sample.query, since: sample.at };
    if (current) spans.set(current.query, Math.max(spans.get(current.query) ?? 0, sample.at - current.since));
  }
  return [...spans]
    .map(([query, ms]) => ({ statement: query.replace(/\s+/g, ' ').trim().slice(0, 90), ms }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, top);
}

/**
 * A writer beside the migration: updates one content row every few milliseconds and records
 * how long each update waited, which is what a crawler writing during the migration feels.
 */
function probeWrites(client: pg.Client, contentId: string): { stop: () => Promise<{ at: number; ms: number }[]> } {
  const writes: { at: number; ms: number }[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const at = performance.now();
      await client.query('UPDATE contents SET lang = lang WHERE id = $1', [contentId]);
      writes.push({ at, ms: performance.now() - at });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return writes;
    },
  };
}

async function relfilenodes(client: pg.Client): Promise<Record<string, string>> {
  const { rows } = await client.query<{ relname: string; relfilenode: string }>(
    'SELECT relname, relfilenode::text FROM pg_class WHERE relname = ANY ($1) AND relkind = $2',
    [BASE_TABLES, 'r'],
  );
  return Object.fromEntries(rows.map((r) => [r.relname, r.relfilenode]));
}

const buildMs = await buildBaseDatabase();
console.log(`base database: ${entities} topics + ${entities} users, ${tasks} tasks, ${contents} contents, ${entities * 10} chat messages (${(buildMs / 1000).toFixed(0)} s to build)`);

const monitor = new pg.Client({ connectionString: databaseUrl });
await monitor.connect();
const before = await relfilenodes(monitor);
const pool = new pg.Pool({ connectionString: databaseUrl, max: 1, application_name: APPLICATION });
const starts: { name: string; at: number }[] = [];
const writer = new pg.Client({ connectionString: databaseUrl });
await writer.connect();
const { rows: [probeRow] } = await writer.query<{ id: string }>('SELECT id FROM contents LIMIT 1');
const sampler = sampleLocks(monitor);
const probe = probeWrites(writer, probeRow!.id);
const started = performance.now();
const result = await migrate(
  {
    pool,
    migrationsTable: 'pgmigrations',
    log: (line) => {
      const match = /### MIGRATION (\S+) \(UP\) ###/.exec(line);
      if (match) starts.push({ name: match[1]!, at: performance.now() });
    },
  },
  { concurrently: values.concurrently },
);
const finished = performance.now();
const samples = await sampler.stop();
const writes = await probe.stop();
await writer.end();
const after = await relfilenodes(monitor);
await pool.end();

const rows = starts.map((step, i) => {
  const end = starts[i + 1]?.at ?? finished;
  const slowestWrite = Math.max(0, ...writes.filter((w) => w.at >= step.at && w.at < end).map((w) => w.ms));
  return { migration: step.name, seconds: (end - step.at) / 1000, locks: longestSpans(samples, step.at, end), slowestWrite };
});
const rewritten = BASE_TABLES.filter((table) => before[table] !== after[table]);

console.log(`\ndb migrate${values.concurrently ? ' --concurrently' : ''}: ${((finished - started) / 1000).toFixed(1)} s in all; adopted ${result.adopted.join(', ') || 'none'}`);
console.log('longest writer-blocking lock held, per table (ms; sampled every ~2 ms):');
console.log(['migration'.padEnd(36), 'time s'.padStart(7), ...BASE_TABLES.map((t) => t.padStart(14)), 'slowest write'.padStart(15)].join(''));
for (const row of rows) {
  const locks = row.locks.map((l) => (l.ms ? `${l.ms.toFixed(0)}` : '-').padStart(14));
  console.log([row.migration.padEnd(36), row.seconds.toFixed(2).padStart(7), ...locks, `${row.slowestWrite.toFixed(0)} ms`.padStart(15)].join(''));
}
console.log(`slowest content update during the whole migration: ${Math.max(...writes.map((w) => w.ms)).toFixed(0)} ms (${writes.length} updates)`);
console.log(`tables rewritten: ${rewritten.join(', ') || 'none'}`);
const statements = longestStatements(samples, 8);
console.log('longest statements:');
for (const s of statements) console.log(`${s.ms.toFixed(0).padStart(7)} ms  ${s.statement}`);

const stamp = new Date().toISOString().slice(0, 16).replace(':', '');
mkdirSync(new URL('results', import.meta.url), { recursive: true });
const file = new URL(`results/migrate-${stamp}${values.concurrently ? '-concurrently' : ''}.json`, import.meta.url);
writeFileSync(file, `${JSON.stringify({ contents, entities, tasks, concurrently: values.concurrently, totalSeconds: (finished - started) / 1000, migrations: rows, rewritten, statements }, null, 2)}\n`);
console.log(`results: ${file.pathname}`);
await monitor.end();
if (!values['keep-data']) {
  const admin = new pg.Client({ connectionString: maintenanceUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.end();
}
