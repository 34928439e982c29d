import { parseArgs } from 'node:util';
import { mintToken, SCOPES, type Scope } from '../auth.js';
import { HISTORY_MONTHS, loadConfig } from '../config.js';
import { CATALOG_CHECKS, runCatalogChecks } from '../db/catalog.js';
import { openDatabase, type Database } from '../db/database.js';
import { formatOperatorError, OperatorError, toOperatorError } from '../db/errors.js';
import { partitionDependents } from '../db/historyPartitions.js';
import { migrate, migrationStatus, previewMigrate, rollback, type MigrationContext } from '../db/migrations.js';
import { createLogger } from '../logger.js';
import { seedDemoData } from '../services/seed/demoSeed.js';
import { refreshMetricsTrend } from '../services/analytics/trendRefresh.js';
import type { EntityKind } from '../services/common/entityKeys.js';
import { initializePeriodZero } from '../services/periods/periodZero.js';

const USAGE = `Usage: npm run db -- <command> [options]

Commands (the operator guide's workflow in brackets):
  status                      applied and pending migrations       [alembic current]
  migrate [--concurrently]    upgrade to head                      [alembic upgrade head]
                              --concurrently: build indexes with CREATE INDEX CONCURRENTLY
                              and validate constraints outside the migration's transaction,
                              so writers are blocked for milliseconds, not for index builds
  preview [--concurrently]    print the SQL migrate would run      [alembic upgrade head --sql]
  rollback [N]                undo the last N migrations (1)       [alembic downgrade -N]
  rollback --to <revision>    undo every migration after revision  [alembic downgrade <rev>]
  verify                      the guide's schema checks; exit 1 on any failure
  period-zero [--entity topic|user|all]   create period 0 for entities with content and no period
  refresh-trends              REFRESH MATERIALIZED VIEW CONCURRENTLY mv_period_metrics_trend
  partition-dependents [--months N] [--preview]
                              partition temporal_events, crawl_effectiveness and
                              period_content_snapshots by time, N months a partition
                              (HISTORY_PARTITION_MONTHS, 1): offline, each table locked
                              while its rows are copied; --preview prints the SQL only
  mint-token [--scope "read write"] [--sub NAME] [--ttl SECONDS]
                              print a bearer token signed with JWT_SECRET, for local use
  seed-demo [--scale N] [--seed S] [--profile demo|bench]
                              load deterministic demo data; bench: 500 topics + 500 users
                              x 40 periods per unit of scale, for \`npm run bench\`

Uses DATABASE_URL, or the embedded PostgreSQL when it is unset.`;

type Print = (line: string) => void;

async function runCommand(command: string, args: ReturnType<typeof parse>, db: Database, print: Print): Promise<number> {
  const config = loadConfig();
  const ctx: MigrationContext = { pool: db.pool, migrationsTable: config.database.migrationsTable, log: print };
  switch (command) {
    case 'status': {
      const status = await migrationStatus(ctx);
      print('Applied:');
      for (const m of status.applied) {
        const how = m.adopted ? `adopted: its objects were already there${m.adopted.finishedWith.length ? `; finished with ${m.adopted.finishedWith.length} statement(s)` : ''}` : 'run';
        print(`  ${m.name}  (${m.runOn.toISOString()}, ${how})`);
        for (const sql of m.adopted?.finishedWith ?? []) print(`      ${sql}`);
      }
      if (status.applied.length === 0) print('  (none)');
      print('Pending:');
      for (const m of status.pending) print(`  ${m.name}`);
      if (status.pending.length === 0) print('  (none: at head)');
      return 0;
    }
    case 'migrate': {
      const result = await migrate(ctx, { concurrently: args.values.concurrently });
      print(`adopted: ${result.adopted.join(', ') || 'none'}; applied: ${result.applied.join(', ') || 'none (already at head)'}`);
      return 0;
    }
    case 'preview': {
      const sql = await previewMigrate(ctx, { concurrently: args.values.concurrently });
      print(sql || '-- nothing to run: the database is at head');
      return 0;
    }
    case 'rollback': {
      const target = args.values.to !== undefined ? { toRevision: parseInteger(args.values.to, '--to') } : { steps: parseInteger(args.positionals[1] ?? '1', 'N') };
      const undone = await rollback(ctx, target);
      print(`rolled back: ${undone.join(', ') || 'nothing'}`);
      return 0;
    }
    case 'verify': {
      const results = await runCatalogChecks(db.pool, CATALOG_CHECKS);
      const width = Math.max(...results.map((r) => `${r.check.kind} ${r.check.object}`.length));
      for (const r of results) print(`${r.ok ? 'PASS' : 'FAIL'}  ${`${r.check.kind} ${r.check.object}`.padEnd(width)}  (${r.check.migration})`);
      const failed = results.filter((r) => !r.ok).length;
      print(failed === 0 ? `all ${results.length} checks passed` : `${failed} of ${results.length} checks failed`);
      return failed === 0 ? 0 : 1;
    }
    case 'period-zero': {
      const entity = args.values.entity ?? 'all';
      if (!['topic', 'user', 'all'].includes(entity)) throw new OperatorError(`--entity must be topic, user or all, not "${entity}"`);
      const kinds: EntityKind[] = entity === 'all' ? ['topic', 'user'] : [entity as EntityKind];
      const created = await initializePeriodZero(db.pool, kinds);
      print(`period 0 created: ${created.topic} topic(s), ${created.user} user(s)`);
      return 0;
    }
    case 'refresh-trends': {
      const { durationMs } = await refreshMetricsTrend(db.pool);
      print(`mv_period_metrics_trend refreshed in ${(durationMs ?? 0).toFixed(0)} ms`);
      return 0;
    }
    case 'partition-dependents': {
      const months = args.values.months === undefined ? config.history.months : parseInteger(args.values.months, '--months');
      if (months < HISTORY_MONTHS.min || months > HISTORY_MONTHS.max) throw new OperatorError(`--months must be ${HISTORY_MONTHS.min} to ${HISTORY_MONTHS.max}, not ${months}`);
      const client = await db.pool.connect();
      try {
        const reports = await partitionDependents(client, { months, apply: !args.values.preview });
        for (const report of reports) {
          if (report.skipped) print(`-- ${report.table}: already partitioned`);
          else if (args.values.preview) print(`-- ${report.table}\n${report.statements.map((statement) => `${statement};`).join('\n')}`);
          else print(`${report.table}: ${report.rows} rows partitioned by ${months} month(s) in ${(report.durationMs / 1000).toFixed(1)} s`);
        }
      } finally {
        client.release();
      }
      return 0;
    }
    case 'seed-demo': {
      const profile = args.values.profile ?? 'demo';
      if (profile !== 'demo' && profile !== 'bench') throw new OperatorError(`--profile must be demo or bench, not "${profile}"`);
      const { pending } = await migrationStatus(ctx);
      if (pending.length) {
        throw new OperatorError(`the database is not migrated (pending: ${pending.map((m) => m.name).join(', ')}), so there is nowhere to put the demo data`, 'Run `npm run db -- migrate` first (npm start does it too).');
      }
      const counts = await seedDemoData(db.pool, {
        profile,
        scale: parseInteger(args.values.scale ?? '1', '--scale'),
        seed: parseInteger(args.values.seed ?? '42', '--seed'),
      });
      const { durationMs, ...rows } = counts;
      print(`seeded in ${(durationMs / 1000).toFixed(1)} s: ${Object.entries(rows).map(([k, v]) => `${v} ${k}`).join(', ')}`);
      return 0;
    }
    default:
      throw new OperatorError(`unknown command "${command}"`);
  }
}

const COMMANDS = new Set(['status', 'migrate', 'preview', 'rollback', 'verify', 'period-zero', 'refresh-trends', 'partition-dependents', 'seed-demo', 'mint-token']);

/** Needs JWT_SECRET, not the database. */
async function mintTokenCommand(args: ReturnType<typeof parse>, print: Print): Promise<number> {
  const secret = loadConfig().auth.jwtSecret;
  if (!secret) throw new OperatorError('mint-token signs with JWT_SECRET, which is not set');
  const scopes = (args.values.scope ?? 'read').split(/[\s,]+/).filter(Boolean);
  const unknown = scopes.filter((scope) => !SCOPES.includes(scope as Scope));
  if (unknown.length) throw new OperatorError(`--scope takes ${SCOPES.join(', ')}; unknown: ${unknown.join(', ')}`);
  const ttlSeconds = parseInteger(args.values.ttl ?? '3600', '--ttl');
  print(await mintToken(secret, { subject: args.values.sub ?? 'local', scopes: scopes as Scope[], ttlSeconds }));
  return 0;
}

function parseInteger(raw: string, name: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new OperatorError(`${name} must be an integer, not "${raw}"`);
  return value;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      to: { type: 'string' },
      entity: { type: 'string' },
      scale: { type: 'string' },
      seed: { type: 'string' },
      profile: { type: 'string' },
      scope: { type: 'string' },
      sub: { type: 'string' },
      ttl: { type: 'string' },
      concurrently: { type: 'boolean', default: false },
      months: { type: 'string' },
      preview: { type: 'boolean', default: false },
    },
  });
}

/** Runs one `db` command; returns the process exit code. */
export async function runDbCli(argv: string[], print: Print = console.log): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (error) {
    print(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const command = args.positionals[0] ?? 'help';
  if (!COMMANDS.has(command)) {
    print(USAGE);
    return command === 'help' ? 0 : 2;
  }

  if (command === 'mint-token') {
    try {
      return await mintTokenCommand(args, print);
    } catch (error) {
      console.error(`error: ${formatOperatorError(toOperatorError(error))}`);
      return 1;
    }
  }
  const config = loadConfig();
  // CLI output is the command's own; the logger only reports problems.
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  let db: Database | undefined;
  try {
    db = await openDatabase(config, logger);
    return await runCommand(command, args, db, print);
  } catch (error) {
    console.error(`error: ${formatOperatorError(toOperatorError(error, db?.url ?? config.databaseUrl))}`);
    return 1;
  } finally {
    await db?.close();
  }
}
