import { readdirSync } from 'node:fs';
import type pg from 'pg';
import { migrationsDir } from '../paths.js';
import type { Queryable } from './queryable.js';

/** The migration files and what the bookkeeping table says of them; used by migrate and adoption. */
export interface MigrationFile {
  name: string;
  /** The numeric prefix: `rollback --to 1` keeps 0000 and 0001. */
  revision: number;
}

export interface MigrationContext {
  pool: pg.Pool;
  migrationsTable: string;
  log?: (message: string) => void;
}

export function listMigrationFiles(): MigrationFile[] {
  return readdirSync(migrationsDir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => {
      const name = file.replace(/\.sql$/, '');
      return { name, revision: Number.parseInt(name, 10) };
    });
}

/** The bookkeeping tables are created on first use: before that, there is nothing to read. */
async function tableExists(db: Queryable, table: string): Promise<boolean> {
  const { rows } = await db.query<{ ok: boolean }>(`SELECT to_regclass(format('public.%I', $1::text)) IS NOT NULL AS ok`, [table]);
  return rows[0]?.ok === true;
}

export async function appliedMigrations(
  db: Queryable,
  migrationsTable: string,
): Promise<{ name: string; runOn: Date }[]> {
  if (!(await tableExists(db, migrationsTable))) return [];
  const { rows } = await db.query<{ name: string; run_on: Date }>(
    `SELECT name, run_on FROM public.${quoteIdent(migrationsTable)} ORDER BY run_on, id`,
  );
  return rows.map((row) => ({ name: row.name, runOn: row.run_on }));
}

/**
 * Which applied migrations were adopted (found in place, recorded without running) and what
 * finished them: kept in `<migrationsTable>_adopted` beside node-pg-migrate's own table, created
 * the first time a migration is adopted, so `db status` can tell adopted from run.
 */
export interface AdoptionRecord {
  name: string;
  adoptedAt: Date;
  finishedWith: string[];
}

const adoptionTable = (migrationsTable: string) => `public.${quoteIdent(`${migrationsTable}_adopted`)}`;

export async function recordAdoption(db: Queryable, migrationsTable: string, name: string, finishedWith: string[]): Promise<void> {
  await db.query(
    `CREATE TABLE IF NOT EXISTS ${adoptionTable(migrationsTable)} (
       name text PRIMARY KEY, adopted_at timestamptz NOT NULL DEFAULT now(), finished_with text[] NOT NULL DEFAULT '{}')`,
  );
  await db.query(
    `INSERT INTO ${adoptionTable(migrationsTable)} (name, finished_with) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET adopted_at = now(), finished_with = EXCLUDED.finished_with`,
    [name, finishedWith],
  );
}

/** Adoption records of the applied migrations (rollback forgets those it undoes). */
export async function adoptionRecords(db: Queryable, migrationsTable: string): Promise<AdoptionRecord[]> {
  if (!(await tableExists(db, `${migrationsTable}_adopted`))) return [];
  const { rows } = await db.query<{ name: string; adopted_at: Date; finished_with: string[] }>(
    `SELECT a.name, a.adopted_at, a.finished_with FROM ${adoptionTable(migrationsTable)} a
     ORDER BY a.name`,
  );
  return rows.map((r) => ({ name: r.name, adoptedAt: r.adopted_at, finishedWith: r.finished_with }));
}

export async function forgetAdoptions(db: Queryable, migrationsTable: string, names: string[]): Promise<void> {
  if (names.length === 0 || !(await tableExists(db, `${migrationsTable}_adopted`))) return;
  await db.query(`DELETE FROM ${adoptionTable(migrationsTable)} WHERE name = ANY ($1::text[])`, [names]);
}

function quoteIdent(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
