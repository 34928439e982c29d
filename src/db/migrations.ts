import { PG_MIGRATE_LOCK_ID, runner, type RunnerOption } from 'node-pg-migrate';
import type pg from 'pg';
import { migrationsDir } from '../paths.js';
import { adoptExistingSchema } from './adoption.js';
import { OperatorError } from './errors.js';
import { sqlMigrationLoader } from './migrationScripts.js';
import {
  adoptionRecords,
  appliedMigrations,
  forgetAdoptions,
  listMigrationFiles,
  type MigrationContext,
  type MigrationFile,
} from './migrationFiles.js';

// The parameter of every function here; defined beside the file listing adoption shares.
export type { MigrationContext };

/**
 * The migration workflow of the operator's guide on node-pg-migrate:
 * `alembic current` → status, `upgrade head` → migrate, `upgrade head --sql` → preview,
 * `downgrade` → rollback. Migrations are the .sql files of prisma/migrations, each split into
 * `-- Up Migration` / `-- Down Migration`, applied under node-pg-migrate's advisory lock so
 * that two gateways starting at once do not both migrate.
 */
export interface MigrationStatus {
  /** `adopted`: found in place and recorded without running, with what finished it. */
  applied: { name: string; runOn: Date; adopted?: { finishedWith: string[] } }[];
  pending: MigrationFile[];
}

/** node-pg-migrate's own lock id, so the gateway and the bare node-pg-migrate CLI exclude each other. */
const MIGRATION_LOCK_ID = PG_MIGRATE_LOCK_ID;

export async function migrationStatus(ctx: MigrationContext): Promise<MigrationStatus> {
  const applied = await appliedMigrations(ctx.pool, ctx.migrationsTable);
  const adopted = new Map((await adoptionRecords(ctx.pool, ctx.migrationsTable)).map((a) => [a.name, a]));
  const appliedNames = new Set(applied.map((m) => m.name));
  return {
    applied: applied.map((m) => {
      const record = adopted.get(m.name);
      return record ? { ...m, adopted: { finishedWith: record.finishedWith } } : m;
    }),
    pending: listMigrationFiles().filter((m) => !appliedNames.has(m.name)),
  };
}

async function runWithClient<T>(ctx: MigrationContext, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await ctx.pool.connect();
  try {
    // Building indexes and constraints on a large existing database can outlast the statement
    // timeout meant for API queries; migrations run without one.
    await client.query('SET statement_timeout = 0');
    return await work(client);
  } catch (error) {
    // A failed migration's transaction is left open by node-pg-migrate; do not hand it back.
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.query('RESET statement_timeout').catch(() => undefined);
    client.release();
  }
}

function runnerOptions(ctx: MigrationContext, client: pg.PoolClient, overrides: Partial<RunnerOption>, concurrently = false): RunnerOption {
  const log = ctx.log ?? (() => undefined);
  return {
    dbClient: client,
    dir: migrationsDir,
    migrationsTable: ctx.migrationsTable,
    direction: 'up',
    // Each file commits on its own, so a failure in 0003 leaves 0000–0002 applied and recorded.
    singleTransaction: false,
    checkOrder: true,
    advisoryLockMode: 'wait',
    migrationLoaderStrategies: [{ extensions: ['.sql'], loader: sqlMigrationLoader(concurrently) }],
    logger: { debug: () => undefined, info: log, warn: log, error: log },
    ...overrides,
  } as RunnerOption;
}

/** Upgrades to head (or `count` steps), adopting objects an earlier tool already created. */
export interface MigrateOptions {
  /** Apply at most this many pending migrations. */
  count?: number;
  concurrently?: boolean;
}

export async function migrate(ctx: MigrationContext, options: MigrateOptions = {}): Promise<{ adopted: string[]; applied: string[] }> {
  const { count, concurrently = false } = options;
  return runWithClient(ctx, async (client) => {
    // Adoption and migration under one advisory lock: a second gateway starting at the same
    // time waits, then finds everything recorded.
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    try {
      const adopted = await adoptExistingSchema(ctx, client, { concurrently, dryRun: false });
      const applied = await runner(
        runnerOptions(ctx, client, { direction: 'up', noLock: true, ...(count === undefined ? {} : { count }) }, concurrently),
      );
      return { adopted: adopted.map((m) => m.name), applied: applied.map((m) => m.name) };
    } catch (error) {
      // node-pg-migrate leaves a failed migration's transaction open; end it so the real error
      // is what the operator sees, not "current transaction is aborted".
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
    }
  });
}

/**
 * The SQL `migrate` would run, as node-pg-migrate's dry run logs it, without running any of
 * it: the dry run still creates its bookkeeping table, so it happens in a transaction that
 * is rolled back.
 */
export async function previewMigrate(ctx: MigrationContext, options: { concurrently?: boolean } = {}): Promise<string> {
  const concurrently = options.concurrently ?? false;
  return runWithClient(ctx, async (client) => {
    const steps: string[] = [];
    await client.query('BEGIN');
    try {
      const adopted = await adoptExistingSchema(ctx, client, { concurrently, dryRun: true });
      for (const { name, finishedWith } of adopted) {
        steps.push(`-- ${name}: its objects already exist; it would be recorded as applied without running`);
        if (finishedWith.length > 0) steps.push(`-- after finishing it with:\n${finishedWith.join('\n')}`);
      }
      await runner(
        runnerOptions(ctx, client, {
          dryRun: true,
          verbose: true,
          noLock: true,
          logger: { debug: (sql: string) => steps.push(sql.trim()), info: () => undefined, warn: () => undefined, error: () => undefined },
        }, concurrently),
      );
    } finally {
      await client.query('ROLLBACK');
    }
    return steps.join('\n\n');
  });
}

export type RollbackTarget = { steps: number } | { toRevision: number };

export async function rollback(ctx: MigrationContext, target: RollbackTarget): Promise<string[]> {
  const applied = await appliedMigrations(ctx.pool, ctx.migrationsTable);
  let count: number;
  if ('steps' in target) {
    count = target.steps;
  } else {
    const known = listMigrationFiles().some((m) => m.revision === target.toRevision);
    if (!known && target.toRevision !== -1) {
      throw new OperatorError(
        `unknown revision ${target.toRevision}`,
        `Known revisions: ${listMigrationFiles().map((m) => m.revision).join(', ')} (use -1 to roll back everything).`,
      );
    }
    count = applied.filter((m) => Number.parseInt(m.name, 10) > target.toRevision).length;
  }
  if (count <= 0) return [];
  const undone = (await runWithClient(ctx, (client) => runner(runnerOptions(ctx, client, { direction: 'down', count })))).map((m) => m.name);
  await forgetAdoptions(ctx.pool, ctx.migrationsTable, undone);
  return undone;
}
