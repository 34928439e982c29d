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

export async function appliedMigrations(
  db: Queryable,
  migrationsTable: string,
): Promise<{ name: string; runOn: Date }[]> {
  const { rows: exists } = await db.query<{ ok: boolean }>(
    `SELECT to_regclass(format('public.%I', $1::text)) IS NOT NULL AS ok`,
    [migrationsTable],
  );
  if (!exists[0]?.ok) return [];
  const { rows } = await db.query<{ name: string; run_on: Date }>(
    `SELECT name, run_on FROM public.${quoteIdent(migrationsTable)} ORDER BY run_on, id`,
  );
  return rows.map((row) => ({ name: row.name, runOn: row.run_on }));
}

function quoteIdent(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
