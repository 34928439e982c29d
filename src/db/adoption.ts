import type pg from 'pg';
import { checksOf, runCatalogChecks } from './catalog.js';
import { OperatorError } from './errors.js';
import { concurrentSql, type FinishingStep } from './migrationScripts.js';
import { appliedMigrations, listMigrationFiles, type MigrationContext } from './migrationFiles.js';

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

/** A migration found in place, and the statements that finish it (indexes, validations, ...). */
export interface AdoptedMigration {
  name: string;
  finishedWith: string[];
}

/**
 * Which leading migrations the database already holds the objects of, and how to finish each:
 * the base tables of an existing Crosshot database, and the temporal schema that alembic (or
 * SQLAlchemy's create_all) created. A migration whose objects are in place except for what its
 * finishing steps build (indexes, validations: an interrupted `db migrate --concurrently`, or a
 * schema SQLAlchemy created without its indexes) is finished by those steps. A migration whose
 * other objects are only partly there, or that alembic claims but that is missing objects, stops
 * the upgrade with the list of what is missing: running it would fail half-way, and guessing
 * could touch user data. Nothing runs here: migrate runs the plan, preview prints it.
 */
export async function planAdoption(ctx: MigrationContext, client: pg.PoolClient, { concurrently }: { concurrently: boolean }): Promise<AdoptedMigration[]> {
  const applied = new Set((await appliedMigrations(client, ctx.migrationsTable)).map((m) => m.name));
  const alembic = await alembicRevision(client);
  const adopted: AdoptedMigration[] = [];

  for (const { name } of listMigrationFiles()) {
    if (applied.has(name)) continue;
    const results = await runCatalogChecks(client, checksOf(name));
    const objects = results.filter((r) => !r.check.step);
    const missing = objects.filter((r) => !r.ok).map((r) => `${r.check.kind} ${r.check.object}`);
    const unfinished = results.filter((r) => r.check.step && !r.ok).map((r) => r.check.step!);
    const anyIndexBuilt = results.some((r) => r.check.step?.kind === 'index' && r.ok);
    const claimedByAlembic = alembic !== null && ALEMBIC_REVISIONS[name] !== undefined && alembic >= ALEMBIC_REVISIONS[name];

    if (missing.length === 0 && (objects.length > 0 || anyIndexBuilt)) {
      for (const step of unfinished) await assertNoCollisions(client, step);
      const finishedWith: string[] = [];
      for (const step of unfinished) finishedWith.push(...(await finishingStatements(client, step, concurrently)));
      adopted.push({ name, finishedWith });
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
 * The statements that build one missing index or validate one constraint of a migration being
 * adopted. An index of the step's name that is there but invalid is what an interrupted CREATE
 * INDEX CONCURRENTLY leaves behind: it is dropped and built again.
 */
async function finishingStatements(client: pg.PoolClient, step: FinishingStep, concurrently: boolean): Promise<string[]> {
  const statements: string[] = [];
  if (step.kind === 'index') {
    const { rows } = await client.query<{ invalid: boolean }>(
      `SELECT NOT i.indisvalid AS invalid FROM pg_index i WHERE i.indexrelid = to_regclass(format('public.%I', $1::text))`,
      [step.name],
    );
    if (rows[0]?.invalid) statements.push(`DROP INDEX ${concurrently ? 'CONCURRENTLY ' : ''}IF EXISTS ${step.name};`);
  }
  statements.push(concurrently ? concurrentSql(step) : step.sql);
  return statements;
}

/**
 * Rows that would make a unique index or the exclusion constraint fail: active periods of one
 * entity sharing a number, or overlapping in time (two analyst cycles that raced before any lock
 * held them apart). Refused before anything runs, naming each collision and what to do.
 */
async function assertNoCollisions(client: pg.PoolClient, step: FinishingStep): Promise<void> {
  if (step.kind === 'exclusion' && step.table === 'analysis_periods') {
    const { rows } = await client.query<{ entity_type: string; entity_id: string; a: number; b: number; a_id: string; b_id: string }>(
      `SELECT x.entity_type, x.entity_id, x.period_number AS a, y.period_number AS b, x.id AS a_id, y.id AS b_id
       FROM analysis_periods x JOIN analysis_periods y
         ON y.entity_type = x.entity_type AND y.entity_id = x.entity_id AND y.id > x.id
        AND y.period_start < x.period_end AND y.period_end > x.period_start
       WHERE x.status = 'active' AND y.status = 'active'
       ORDER BY 1, 2, 3 LIMIT 20`,
    );
    if (rows.length) {
      throw collisions(
        'overlap in time',
        rows.map((r) => `${r.entity_type} ${r.entity_id}: active periods ${r.a} (${r.a_id}) and ${r.b} (${r.b_id}) overlap`),
      );
    }
  }
  if (step.kind === 'index' && step.unique && step.table === 'analysis_periods') {
    const { rows } = await client.query<{ entity_type: string; entity_id: string; period_number: number; ids: string[] }>(
      `SELECT entity_type, entity_id, period_number, array_agg(id ORDER BY created_at, id) AS ids
       FROM analysis_periods WHERE status = 'active'
       GROUP BY entity_type, entity_id, period_number HAVING count(*) > 1
       ORDER BY 1, 2, 3 LIMIT 20`,
    );
    if (rows.length) {
      throw collisions(
        'share a number',
        rows.map((r) => `${r.entity_type} ${r.entity_id}: ${r.ids.length} active periods numbered ${r.period_number} (${r.ids.join(', ')})`),
      );
    }
  }
}

function collisions(what: string, lines: string[]): OperatorError {
  return new OperatorError(
    `analysis_periods holds active periods that ${what} (two analysis cycles that raced, most likely), so the gateway's constraints cannot be built:\n  ${lines.join('\n  ')}`,
    'Keep one period of each collision and supersede the other: UPDATE analysis_periods SET status = \'superseded\', superseded_by = <id kept> WHERE id = <id replaced>; then run `db migrate` again. Nothing was changed.',
  );
}
