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
              FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT IN ('pgmigrations', 'pgmigrations_adopted')`,
    constraints: `SELECT conrelid::regclass || ' ' || conname || ' ' || contype::text || ' ' || pg_get_constraintdef(oid) AS line
                  FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text NOT IN ('pgmigrations', 'pgmigrations_adopted')`,
    indexes: `SELECT indexdef AS line FROM pg_indexes WHERE schemaname = 'public' AND tablename NOT IN ('pgmigrations', 'pgmigrations_adopted')`,
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

/**
 * The entity counters 0010 derives from the periods (and recomputes once where an earlier writer
 * left them stale): not data adoption may keep as it found them.
 */
export const DERIVED_COUNTERS = ['current_period_number', 'last_period_id', 'total_periods', 'first_analysis_at', 'avg_period_duration_hours'];

/**
 * An md5 of every row of each table, to show that adopting a database changed no row; on topics
 * and users, every column but the derived counters.
 */
export async function rowFingerprints(pool: pg.Pool, tables: string[]): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const table of tables) {
    const row = table === 'topics' || table === 'users' ? `(to_jsonb(t) - $1::text[])::text` : 't::text';
    const { rows } = await pool.query<{ h: string }>(
      `SELECT md5(coalesce(string_agg(${row}, '|' ORDER BY ${row}), '')) AS h FROM ${table} t WHERE $1::text[] IS NOT NULL`,
      [DERIVED_COUNTERS],
    );
    result[table] = rows[0]!.h;
  }
  return result;
}

/** Entities whose counters differ from what their periods say (none, once 0010 is applied). */
export async function staleCounters(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT e.id FROM (SELECT 'topic'::varchar AS type, id, current_period_number, last_period_id, total_periods, first_analysis_at, avg_period_duration_hours FROM topics
                       UNION ALL SELECT 'user', id, current_period_number, last_period_id, total_periods, first_analysis_at, avg_period_duration_hours FROM users) e
     CROSS JOIN LATERAL entity_period_stats(e.type, e.id) s
     WHERE (e.current_period_number, e.last_period_id, e.total_periods, e.first_analysis_at, e.avg_period_duration_hours)
           IS DISTINCT FROM (s.current_period_number, s.last_period_id, s.total_periods, s.first_analysis_at, s.avg_period_duration_hours)`,
  );
  return rows.map((r) => r.id);
}
