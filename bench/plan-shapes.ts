/**
 * `npm run bench:plans [-- --scales 1,10,100] [--partitioned]`: the hot queries' plans as the data grows.
 *
 * For each scale, the benchmark profile (500 topics + 500 users × 40 periods, 3 events and 4
 * crawl rows per period, per unit: scale 100 is 4 million periods and 12 million events) in
 * `crosshot_bench_<scale>` (seeded once and kept: scale 100 takes about 40 minutes), vacuumed and
 * analysed;
 * then every SQL statement one request of Q1–Q4 and of the explorer's timeline reads runs is
 * explained (bench/plans.ts). The goal: each statement's plan has the same shape at every scale
 * (same nodes, tables and indexes; only the numbers change), with no sequential scan of a big
 * table. Also written: the big tables' and their indexes' sizes, and each statement's time.
 *
 * `--partitioned` also copies each scale's database (`crosshot_bench_<scale>_partitioned`,
 * CREATE DATABASE ... TEMPLATE), partitions analysis_periods' dependents in the copy by month
 * (`db partition-dependents`, timed: the offline step's cost), and explains the same requests
 * there: what partitioning costs the hot queries.
 *
 * BENCH_DATABASE_URL names a maintenance database of the server to use; unset, a throw-away
 * embedded PostgreSQL 18 is started.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { statementReports, type StatementReport } from './plans.js';
import { BENCH_TOPIC_SQL, SCENARIOS } from './scenarios.js';
import { partitionDependents } from '../src/db/historyPartitions.js';
import { benchDatabase, benchPostgres, databaseUrl, dropDatabase, ROOT, writeResults } from './support.js';

const { values } = parseArgs({ options: { scales: { type: 'string', default: '1,10,100' }, partitioned: { type: 'boolean', default: false } } });
const scales = values.scales.split(',').map(Number);

/** The explorer's operation `name`, as its persisted-documents manifest (`npm run codegen`) has it. */
function explorerOperation(name: string): string {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'src/explorer/gql/persisted-documents.json'), 'utf8')) as Record<string, string>;
  const document = Object.values(manifest).find((text) => text.startsWith(`query ${name}(`));
  if (!document) throw new Error(`the explorer has no operation ${name}`);
  return document;
}

/** Q1–Q4, and the explorer's reads of one entity's whole timeline (a page of periods with their events; the pending events). */
const HOT_READS = [
  ...SCENARIOS,
  { name: 'E1', query: explorerOperation('ExplorerPeriods'), variables: { type: 'TOPIC', id: '$topic', eventLimit: 100 } },
  { name: 'E2', query: explorerOperation('ExplorerEvents'), variables: { type: 'TOPIC', id: '$topic', pendingOnly: true } },
];
const BIG_TABLES = ['analysis_periods', 'temporal_events', 'crawl_effectiveness', 'period_content_snapshots', 'contents'];

interface ScalePlans {
  scale: number;
  /** The copy with the dependents partitioned by month: how long each table's conversion took. */
  partitioned?: { table: string; rows: number; seconds: number }[];
  tables: Record<string, { rows: number; tableMiB: number; indexesMiB: number }>;
  reports: Record<string, StatementReport>;
}

async function plansAt(adminUrl: string, scale: number, partitioned: boolean): Promise<ScalePlans> {
  let url = await benchDatabase(adminUrl, `crosshot_bench_${scale}`, { profileScale: scale, keep: true });
  let conversion: ScalePlans['partitioned'];
  if (partitioned) {
    const name = `crosshot_bench_${scale}_partitioned`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${name} TEMPLATE crosshot_bench_${scale}`);
    } finally {
      await admin.end();
    }
    url = databaseUrl(adminUrl, name);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const reports = await partitionDependents(client, { months: 1, apply: true });
      conversion = reports.map((r) => ({ table: r.table, rows: r.rows ?? 0, seconds: Math.round(r.durationMs / 100) / 10 }));
    } finally {
      await client.end();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let topic: string;
  const tables: ScalePlans['tables'] = {};
  try {
    // As a running database's autovacuum leaves it: statistics, and the visibility map index-only scans read.
    await client.query('VACUUM (ANALYZE)');
    topic = (await client.query<{ id: string }>(BENCH_TOPIC_SQL)).rows[0]!.id;
    for (const table of BIG_TABLES) {
      // A partitioned table's size is its partitions' (pg_partition_tree), a plain table's its own.
      const { rows } = await client.query<{ rows: string; table_bytes: string; index_bytes: string }>(
        `SELECT sum(c.reltuples)::bigint::text AS rows, sum(pg_table_size(c.oid))::text AS table_bytes, sum(pg_indexes_size(c.oid))::text AS index_bytes
         FROM pg_class c WHERE c.oid IN (SELECT $1::regclass UNION ALL SELECT relid FROM pg_partition_tree($1::regclass) WHERE isleaf) AND c.relkind = 'r'`,
        [table],
      );
      const mib = (bytes: string) => Math.round(Number(bytes) / 2 ** 20);
      tables[table] = { rows: Number(rows[0]!.rows), tableMiB: mib(rows[0]!.table_bytes), indexesMiB: mib(rows[0]!.index_bytes) };
    }
  } finally {
    await client.end();
  }
  const reports = await statementReports(url, topic, HOT_READS);
  if (partitioned) await dropDatabase(adminUrl, `crosshot_bench_${scale}_partitioned`);
  return { scale, partitioned: conversion, tables, reports };
}

function print(at: ScalePlans): void {
  for (const step of at.partitioned ?? []) console.log(`  partitioned ${step.table}: ${step.rows} rows in ${step.seconds} s`);
  for (const [table, size] of Object.entries(at.tables)) {
    console.log(`  ${table.padEnd(26)} ${String(size.rows).padStart(10)} rows  ${String(size.tableMiB).padStart(6)} MiB  indexes ${String(size.indexesMiB).padStart(6)} MiB`);
  }
  for (const [name, report] of Object.entries(at.reports)) {
    console.log(
      `  ${name}: ${report.shapes.length} SELECTs, ${report.executionMs.toFixed(2)} ms in PostgreSQL (${report.statementMs.map((ms) => ms.toFixed(2)).join(' + ')}), max cost ${report.maxCost.toFixed(0)}${report.seqScans.length ? `, SEQ SCANS ${report.seqScans.join(' ')}` : ''}`,
    );
  }
}

/** Where `later`'s plans differ in shape from `first`'s, statement by statement. */
function shapeChanges(first: ScalePlans, later: ScalePlans, label: string): string[] {
  const changed: string[] = [];
  for (const name of Object.keys(first.reports)) {
    const [a, b] = [first.reports[name]!.shapes, later.reports[name]!.shapes];
    a.forEach((shape, i) => {
      if (shape !== b[i]) changed.push(`${name} statement ${i + 1} ${label}:\n    ${shape}\n    ${b[i] ?? '(none)'}`);
    });
    if (b.length !== a.length) changed.push(`${name}: ${a.length} statements, ${b.length} ${label}`);
  }
  return changed;
}

const postgres = await benchPostgres(4650);
try {
  const results: ScalePlans[] = [];
  const partitioned: ScalePlans[] = [];
  for (const scale of scales) {
    console.log(`scale ${scale}: ${40_000 * scale} periods`);
    results.push(await plansAt(postgres.adminUrl, scale, false));
    print(results.at(-1)!);
    if (values.partitioned) {
      console.log(`scale ${scale}, dependents partitioned by month:`);
      partitioned.push(await plansAt(postgres.adminUrl, scale, true));
      print(partitioned.at(-1)!);
    }
  }
  const changed = results.slice(1).flatMap((later) => shapeChanges(results[0]!, later, `at scale ${later.scale}`));
  const seqScans = results.flatMap((r) => Object.entries(r.reports).flatMap(([name, report]) => report.seqScans.map((table) => `${name} at scale ${r.scale}: ${table}`)));
  console.log(`goal: every hot statement's plan the same in shape at scales ${scales.join(', ')}: ${changed.length === 0 ? 'met' : 'MISSED'}`);
  for (const line of changed) console.log(`  ${line}`);
  console.log(`goal: no sequential scan of a big table: ${seqScans.length === 0 ? 'met' : `MISSED (${seqScans.join('; ')})`}`);
  const partitionedChanges = partitioned.flatMap((p, i) => shapeChanges(results[i]!, p, `partitioned, at scale ${p.scale}`));
  if (values.partitioned) {
    console.log(`partitioned dependents: ${partitionedChanges.length} statement plan(s) differ from the plain tables'`);
    for (const line of partitionedChanges) console.log(`  ${line}`);
  }
  writeResults('plans', { scales, results, changed, seqScans, partitioned, partitionedChanges });
} finally {
  await postgres.stop();
}
