import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { migrationsDir } from '../../src/paths.js';

/**
 * A comparable dump of the public schema: columns (without ordinal positions, which dropped
 * and re-added columns change), constraints, indexes, views, functions and extensions.
 */
export async function dumpCatalog(pool: pg.Pool): Promise<Record<string, string[]>> {
  const queries: Record<string, string> = {
    columns: `SELECT table_name || '.' || column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '')
                     || ' ' || udt_name || ' null=' || is_nullable || ' default=' || coalesce(column_default, '-') AS line
              FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'pgmigrations'`,
    constraints: `SELECT conrelid::regclass || ' ' || conname || ' ' || contype::text || ' ' || pg_get_constraintdef(oid) AS line
                  FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid <> 'public.pgmigrations'::regclass`,
    indexes: `SELECT indexdef AS line FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'pgmigrations'`,
    views: `SELECT viewname || ' ' || definition AS line FROM pg_views WHERE schemaname = 'public'`,
    matviews: `SELECT matviewname || ' ' || definition AS line FROM pg_matviews WHERE schemaname = 'public'`,
    functions: `SELECT pg_get_functiondef(p.oid) AS line FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
                  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`,
    extensions: `SELECT extname AS line FROM pg_extension`,
    compression: `SELECT attrelid::regclass || '.' || attname || ' ' || attcompression::text AS line FROM pg_attribute
                  WHERE attcompression <> '' AND attrelid::regclass::text NOT LIKE 'pg_%'`,
  };
  const dump: Record<string, string[]> = {};
  for (const [key, sql] of Object.entries(queries)) {
    const { rows } = await pool.query<{ line: string }>(sql);
    dump[key] = rows.map((r) => r.line).sort();
  }
  return dump;
}

/** The Up part of one of our migration files, to run by hand the way an earlier tool (alembic) would have. */
export function upSql(name: string): string {
  const text = readFileSync(join(migrationsDir, `${name}.sql`), 'utf8');
  return text.slice(0, text.indexOf('-- Down Migration'));
}

/** An md5 of every row of each table, to show that adopting a database changed no row. */
export async function rowFingerprints(pool: pg.Pool, tables: string[]): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const table of tables) {
    const { rows } = await pool.query<{ h: string }>(`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM ${table} t`);
    result[table] = rows[0]!.h;
  }
  return result;
}
