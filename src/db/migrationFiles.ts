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

/** A string as an SQL literal (standard_conforming_strings: quotes doubled). */
export function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * The bookkeeping tables, created when missing: node-pg-migrate's own (so its CLI reads the same
 * history), and the adoption records beside it (which migrations were found in place, and the
 * statements that finished them: what a rollback of such a migration undoes).
 */
export function bookkeepingSql(migrationsTable: string): string {
  return [
    `CREATE TABLE IF NOT EXISTS public.${quoteIdent(migrationsTable)} (id SERIAL PRIMARY KEY, name varchar(255) NOT NULL, run_on timestamp NOT NULL);`,
    `CREATE TABLE IF NOT EXISTS ${adoptionTable(migrationsTable)} (name text PRIMARY KEY, adopted_at timestamptz NOT NULL DEFAULT now(), finished_with text[] NOT NULL DEFAULT '{}');`,
  ].join('\n');
}

/** Records a migration as applied (and, when adopted, what finished it). */
export function recordSql(migrationsTable: string, name: string, adoptedWith: string[] | null): string {
  const applied = `INSERT INTO public.${quoteIdent(migrationsTable)} (name, run_on) VALUES (${literal(name)}, NOW());`;
  if (!adoptedWith) return applied;
  const statements = adoptedWith.length ? `ARRAY[${adoptedWith.map(literal).join(', ')}]::text[]` : `'{}'::text[]`;
  return `${applied}\nINSERT INTO ${adoptionTable(migrationsTable)} (name, finished_with) VALUES (${literal(name)}, ${statements})
  ON CONFLICT (name) DO UPDATE SET adopted_at = now(), finished_with = EXCLUDED.finished_with;`;
}

/** Forgets a migration: no longer applied, nor adopted. */
export function forgetSql(migrationsTable: string, name: string): string {
  return `DELETE FROM public.${quoteIdent(migrationsTable)} WHERE name = ${literal(name)};\nDELETE FROM ${adoptionTable(migrationsTable)} WHERE name = ${literal(name)};`;
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

function quoteIdent(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
