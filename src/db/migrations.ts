import { PG_MIGRATE_LOCK_ID } from 'node-pg-migrate';
import type pg from 'pg';
import { planAdoption } from './adoption.js';
import { withinTransaction } from './transaction.js';
import { OperatorError, toOperatorError } from './errors.js';
import { concurrentSql, readMigrationScript } from './migrationScripts.js';
import {
  adoptionRecords,
  appliedMigrations,
  bookkeepingSql,
  forgetSql,
  listMigrationFiles,
  recordSql,
  type MigrationContext,
  type MigrationFile,
} from './migrationFiles.js';

export type { MigrationContext };

/**
 * The migration workflow of the operator's guide: `alembic current` → status, `upgrade head` →
 * migrate, `upgrade head --sql` → preview, `downgrade` → rollback. Migrations are the .sql files
 * of prisma/migrations in node-pg-migrate's format (`-- Up Migration` / `-- Down Migration`,
 * recorded in its `pgmigrations` table, under its advisory lock, so its CLI reads the same
 * history), planned and run here: node-pg-migrate's runner cannot adopt objects an earlier tool
 * made, run an upgrade with its adoption as one transaction, or print a preview that runs.
 *
 * Each command derives from one plan of steps, so what `preview` prints is what `migrate` runs:
 * - `migrate`: one transaction for adoption and every pending migration: it all lands, or
 *   nothing does (`--concurrently` instead runs each migration's index builds and validations
 *   outside a transaction, so they do not block writers; it is resumable, not atomic);
 * - `preview`: the same plan as an SQL script, notes as comments (`psql -v ON_ERROR_STOP=1 -f`);
 * - `rollback`: one transaction: each migration that was run is undone by its Down part, each
 *   that was adopted only by undoing what finished it (its objects were there before the gateway
 *   came, and stay), so rolling everything back hands the database back as it was found.
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

/**
 * One step of a plan: SQL with a comment saying what it is. `outside` steps cannot run in a
 * transaction (CREATE INDEX CONCURRENTLY): they run, and print, on their own.
 */
interface Step {
  note?: string;
  sql: string;
  outside?: boolean;
}

interface Plan {
  adopted: string[];
  applied: string[];
  /** In one transaction (plain), or as transactions of their own around the `outside` steps (concurrently). */
  steps: Step[];
  /** Each migration commits on its own, its steps outside (concurrently). */
  perMigration: boolean;
}

async function planMigrate(ctx: MigrationContext, client: pg.PoolClient, { concurrently = false, count }: MigrateOptions): Promise<Plan> {
  const adoption = await planAdoption(ctx, client, { concurrently });
  const applied = new Set([...(await appliedMigrations(client, ctx.migrationsTable)).map((m) => m.name), ...adoption.map((a) => a.name)]);
  const pending = listMigrationFiles().filter((m) => !applied.has(m.name));
  const toRun = count === undefined ? pending : pending.slice(0, Math.max(0, count));
  const steps: Step[] = [];
  if (adoption.length + toRun.length > 0) steps.push({ note: 'the bookkeeping tables (node-pg-migrate\'s, and the adoption records)', sql: bookkeepingSql(ctx.migrationsTable) });
  for (const { name, finishedWith } of adoption) {
    const note = `${name}: its objects already exist; recorded as applied without running it${finishedWith.length ? ', once these finish it' : ''}`;
    steps.push({ note, sql: '' });
    for (const statement of finishedWith) steps.push({ sql: statement, outside: concurrently && /CONCURRENTLY/i.test(statement) });
    steps.push({ sql: recordSql(ctx.migrationsTable, name, finishedWith) });
  }
  for (const { name } of toRun) {
    const script = readMigrationScript(name);
    if (concurrently && script.finishingSteps.length > 0) {
      steps.push({ note: `${name} (its index builds and validations outside the transaction, so writers are not blocked)`, sql: script.transactional });
      for (const step of script.finishingSteps) steps.push({ sql: concurrentSql(step), outside: true });
    } else {
      steps.push({ note: name, sql: script.up });
    }
    steps.push({ sql: recordSql(ctx.migrationsTable, name, null) });
  }
  return { adopted: adoption.map((a) => a.name), applied: toRun.map((m) => m.name), steps, perMigration: concurrently };
}

/**
 * Runs `work` on a connection of its own under the migration lock. Building indexes and
 * constraints on a large existing database can outlast the statement timeout meant for API
 * queries: migrations run without one.
 */
async function underMigrationLock<T>(ctx: MigrationContext, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await ctx.pool.connect();
  try {
    await client.query('SET statement_timeout = 0');
    // A second gateway starting at the same time waits here, then finds everything recorded.
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    try {
      return await work(client);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    }
  } finally {
    await client.query('RESET statement_timeout').catch(() => undefined);
    client.release();
  }
}

/** Runs steps in one transaction; a failure rolls all of it back and reports the statement's own error. */
async function inOneTransaction(client: pg.PoolClient, steps: Step[]): Promise<void> {
  try {
    await withinTransaction(client, async () => {
      for (const step of steps) if (step.sql) await client.query(step.sql);
    });
  } catch (error) {
    throw toOperatorError(error);
  }
}

/** Upgrades to head (or `count` steps), adopting objects an earlier tool already created. */
export interface MigrateOptions {
  /** Apply at most this many pending migrations. */
  count?: number;
  concurrently?: boolean;
}

export async function migrate(ctx: MigrationContext, options: MigrateOptions = {}): Promise<{ adopted: string[]; applied: string[] }> {
  return underMigrationLock(ctx, async (client) => {
    const plan = await planMigrate(ctx, client, options);
    if (!plan.perMigration) {
      await inOneTransaction(client, plan.steps);
    } else {
      // Each stretch of transactional steps commits before the steps that must run outside one.
      let stretch: Step[] = [];
      for (const step of plan.steps) {
        if (!step.outside) {
          stretch.push(step);
          continue;
        }
        await inOneTransaction(client, stretch);
        stretch = [];
        ctx.log?.(`running ${step.sql}`);
        await client.query(step.sql).catch((error: unknown) => Promise.reject(toOperatorError(error)));
      }
      await inOneTransaction(client, stretch);
    }
    for (const name of plan.adopted) ctx.log?.(`adopted ${name}`);
    for (const name of plan.applied) ctx.log?.(`applied ${name}`);
    return { adopted: plan.adopted, applied: plan.applied };
  });
}

/**
 * The SQL `migrate` would run, as a script (`psql -v ON_ERROR_STOP=1 -f`), without running any
 * of it; empty at head. What is adopted shows as comments with the statements that finish it.
 */
export async function previewMigrate(ctx: MigrationContext, options: { concurrently?: boolean } = {}): Promise<string> {
  const client = await ctx.pool.connect();
  let plan: Plan;
  try {
    plan = await planMigrate(ctx, client, { concurrently: options.concurrently ?? false });
  } finally {
    client.release();
  }
  if (plan.steps.length === 0) return '';
  const lines = [
    `-- What \`db migrate${plan.perMigration ? ' --concurrently' : ''}\` would run, generated ${new Date().toISOString()}.`,
    '-- Run it with: psql -v ON_ERROR_STOP=1 -f <this file>',
    `SELECT pg_advisory_lock(${MIGRATION_LOCK_ID});`,
  ];
  let open = false;
  const begin = () => {
    if (!open) lines.push('BEGIN;');
    open = true;
  };
  const commit = () => {
    if (open) lines.push('COMMIT;');
    open = false;
  };
  for (const step of plan.steps) {
    if (step.outside) commit();
    else begin();
    if (step.note) lines.push('', `-- ${step.note}`);
    if (step.sql) lines.push(step.sql.trim());
  }
  commit();
  lines.push(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_ID});`);
  return `${lines.join('\n')}\n`;
}

export type RollbackTarget = { steps: number } | { toRevision: number };

/** What undoes one statement that finished an adopted migration (validations cannot be undone, and need not be). */
function undoing(statement: string): string | null {
  const index = /^CREATE (?:UNIQUE )?INDEX (?:CONCURRENTLY )?(?:IF NOT EXISTS )?(\w+) ON/i.exec(statement);
  if (index) return `DROP INDEX IF EXISTS ${index[1]};`;
  const extension = /^CREATE EXTENSION IF NOT EXISTS (\w+);$/i.exec(statement);
  if (extension) return `DROP EXTENSION IF EXISTS ${extension[1]};`;
  const constraint = /^ALTER TABLE (\w+) ADD CONSTRAINT (\w+) /i.exec(statement);
  if (constraint) return `ALTER TABLE ${constraint[1]} DROP CONSTRAINT IF EXISTS ${constraint[2]};`;
  const columnDefault = /^ALTER TABLE (\w+) ALTER COLUMN (\w+) SET DEFAULT /i.exec(statement);
  if (columnDefault) return `ALTER TABLE ${columnDefault[1]} ALTER COLUMN ${columnDefault[2]} DROP DEFAULT;`;
  return null;
}

/**
 * Undoes the last `steps` migrations, or every one after `toRevision`, in one transaction: a step
 * that refuses (0007 while events are pending) leaves the database as it was, and its own message
 * says why. A migration that was adopted is undone by undoing what finished it, never by its Down
 * part (that would drop objects that were there before the gateway came).
 */
export async function rollback(ctx: MigrationContext, target: RollbackTarget): Promise<string[]> {
  if ('toRevision' in target && target.toRevision !== -1 && !listMigrationFiles().some((m) => m.revision === target.toRevision)) {
    throw new OperatorError(
      `unknown revision ${target.toRevision}`,
      `Known revisions: ${listMigrationFiles().map((m) => m.revision).join(', ')} (use -1 to roll back everything).`,
    );
  }
  return underMigrationLock(ctx, async (client) => {
    const applied = await appliedMigrations(client, ctx.migrationsTable);
    const adopted = new Map((await adoptionRecords(client, ctx.migrationsTable)).map((a) => [a.name, a.finishedWith]));
    const undo = ('steps' in target ? applied.slice(Math.max(0, applied.length - target.steps)) : applied.filter((m) => Number.parseInt(m.name, 10) > target.toRevision))
      .map((m) => m.name)
      .reverse();
    // The adoption records' table, which a database migrated before it existed lacks.
    const steps: Step[] = [{ sql: bookkeepingSql(ctx.migrationsTable) }];
    for (const name of undo) {
      const finishedWith = adopted.get(name);
      if (finishedWith) {
        for (const statement of [...finishedWith].reverse()) {
          const inverse = undoing(statement);
          if (inverse) steps.push({ sql: inverse });
        }
      } else {
        const down = readMigrationScript(name).down;
        if (down === undefined) throw new OperatorError(`${name} has no Down part and cannot be rolled back`);
        steps.push({ sql: down });
      }
      steps.push({ sql: forgetSql(ctx.migrationsTable, name) });
    }
    if (undo.length) await inOneTransaction(client, steps);
    return undo;
  });
}
