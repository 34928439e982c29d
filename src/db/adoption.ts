import { runner, type RunnerOption } from 'node-pg-migrate';
import type pg from 'pg';
import { migrationsDir } from '../paths.js';
import { checksOf, runCatalogChecks } from './catalog.js';
import { OperatorError } from './errors.js';
import { concurrentSql, type FinishingStep } from './migrationScripts.js';
import { appliedMigrations, listMigrationFiles, recordAdoption, type MigrationContext } from './migrationFiles.js';

/**
 * The alembic revisions of the original Python migrations, and the migration of ours each one
 * corresponds to. A database whose alembic_version is at (or past) a revision already holds
 * that migration's objects.
 */
const ALEMBIC_REVISIONS: Record<string, string> = {
  '0001_create_temporal_tables': '20260301_0100',
  '0002_alter_existing_tables': '20260301_0200',
  '0003_create_views_and_functions': '20260301_0300',
};

async function alembicRevision(client: pg.PoolClient): Promise<string | null> {
  const { rows: exists } = await client.query<{ ok: boolean }>(`SELECT to_regclass('public.alembic_version') IS NOT NULL AS ok`);
  if (!exists[0]?.ok) return null;
  const { rows } = await client.query<{ version: string | null }>('SELECT max(version_num) AS version FROM public.alembic_version');
  return rows[0]?.version ?? null;
}

export interface AdoptionOptions {
  /** Build missing indexes with CREATE INDEX CONCURRENTLY (the connection must be outside a transaction). */
  concurrently: boolean;
  /** Preview: say what would be run, run nothing. */
  dryRun: boolean;
}

/**
 * Records as applied, without running them, the leading migrations whose objects the
 * database already has: the base tables of an existing Crosshot database, and the temporal
 * schema that alembic created. A migration whose objects are in place except for what its
 * finishing steps build (indexes, validations: an interrupted `db migrate --concurrently`, or
 * a schema SQLAlchemy created without its indexes) is finished first, step by step. A
 * migration whose other objects are only partly there, or that alembic claims but that is
 * missing objects, stops the upgrade with the list of what is missing: running it would fail
 * half-way, and guessing could touch user data.
 */
export interface AdoptedMigration {
  name: string;
  /** The statements that finished it (or, in a preview, would). */
  finishedWith: string[];
}

export async function adoptExistingSchema(ctx: MigrationContext, client: pg.PoolClient, options: AdoptionOptions): Promise<AdoptedMigration[]> {
  const applied = new Set((await appliedMigrations(client, ctx.migrationsTable)).map((m) => m.name));
  const alembic = await alembicRevision(client);
  const adopted: AdoptedMigration[] = [];

  for (const { name } of listMigrationFiles()) {
    if (applied.has(name)) continue;
    const results = await runCatalogChecks(client, checksOf(name));
    const objects = results.filter((r) => !r.check.step);
    const missing = objects.filter((r) => !r.ok).map((r) => `${r.check.kind} ${r.check.object}`);
    const unfinished = results.filter((r) => r.check.step && !r.ok);
    const anyIndexBuilt = results.some((r) => r.check.step?.kind === 'index' && r.ok);
    const claimedByAlembic = alembic !== null && ALEMBIC_REVISIONS[name] !== undefined && alembic >= ALEMBIC_REVISIONS[name];

    if (missing.length === 0 && (objects.length > 0 || anyIndexBuilt)) {
      const finishedWith: string[] = [];
      for (const { check } of unfinished) finishedWith.push(...(await finishStep(ctx, client, name, check.step!, options)));
      if (!options.dryRun) {
        await markApplied(ctx, client, name);
        await recordAdoption(client, ctx.migrationsTable, name, finishedWith);
      }
      adopted.push({ name, finishedWith });
      ctx.log?.(`adopted ${name}: its objects already exist${claimedByAlembic ? ` (alembic revision ${alembic})` : ''}`);
      continue;
    }
    if (claimedByAlembic) {
      throw new OperatorError(
        `alembic_version says revision ${alembic}, which includes ${name}, but the database lacks: ${missing.join(', ')}`,
        'Repair the schema (or downgrade it with alembic) before the gateway takes it over; `db verify` lists every check.',
      );
    }
    if (missing.length < objects.length || anyIndexBuilt) {
      throw new OperatorError(
        `${name} is not recorded as applied, but some of its objects already exist; missing: ${missing.join(', ')}`,
        'The schema was changed by hand. Create the missing objects or drop the partial ones, then run `db migrate` again.',
      );
    }
    break;
  }
  return adopted;
}

/**
 * Builds one missing index or validates one constraint of a migration being adopted. An index
 * of the step's name that is there but invalid is what an interrupted CREATE INDEX
 * CONCURRENTLY leaves behind: it is dropped and built again.
 */
async function finishStep(
  ctx: MigrationContext,
  client: pg.PoolClient,
  migration: string,
  step: FinishingStep,
  options: AdoptionOptions,
): Promise<string[]> {
  const statements: string[] = [];
  if (step.kind === 'index') {
    const { rows } = await client.query<{ invalid: boolean }>(
      `SELECT NOT i.indisvalid AS invalid FROM pg_index i WHERE i.indexrelid = to_regclass(format('public.%I', $1::text))`,
      [step.name],
    );
    if (rows[0]?.invalid) statements.push(`DROP INDEX ${options.concurrently ? 'CONCURRENTLY ' : ''}IF EXISTS ${step.name};`);
  }
  statements.push(options.concurrently ? concurrentSql(step) : step.sql);
  if (options.dryRun) return statements;
  for (const sql of statements) {
    ctx.log?.(`finishing ${migration}: ${sql}`);
    await client.query(sql);
  }
  return statements;
}

async function markApplied(ctx: MigrationContext, client: pg.PoolClient, name: string): Promise<void> {
  await runner({
    dbClient: client,
    dir: migrationsDir,
    migrationsTable: ctx.migrationsTable,
    direction: 'up',
    file: name,
    fake: true,
    checkOrder: false,
    // The caller holds the migration lock (or is previewing inside a rolled-back transaction).
    noLock: true,
    logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  } as RunnerOption);
}
