import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CATALOG_CHECKS, runCatalogChecks } from '../src/db/catalog.js';
import { migrate, migrationStatus, previewMigrate, rollback, type MigrationContext } from '../src/db/migrations.js';
import { dumpCatalog } from './helpers/catalog.js';
import { createTestDatabase } from './helpers/database.js';
import { temporaryFile } from './helpers/files.js';

/** psql, where the machine has it (CI's PostgreSQL 15 does; the embedded server ships none). */
const hasPsql = spawnSync('psql', ['--version']).status === 0;

const ALL = ['0000_base_tables', '0001_create_temporal_tables', '0002_alter_existing_tables', '0003_create_views_and_functions', '0004_create_refresh_log', '0005_index_unanalysed_contents', '0006_align_with_crosshot', '0007_pending_events', '0008_guard_direct_period_writes', '0009_change_feed', '0010_shared_writers', '0011_time_partitions', '0012_index_entity_list_order'];

describe('migrations', async () => {
  const db = await createTestDatabase({ migrated: false });
  const ctx: MigrationContext = { pool: db.pool, migrationsTable: 'pgmigrations' };

  it('previews the full SQL on an empty database without running any of it', async () => {
    const sql = await previewMigrate(ctx);
    expect(sql).toContain('CREATE TABLE analysis_periods');
    expect(sql).toContain('EXCLUDE USING gist');
    expect(sql).toContain('CREATE MATERIALIZED VIEW mv_period_metrics_trend');
    expect(sql.indexOf('CREATE TABLE tasks')).toBeLessThan(sql.indexOf('CREATE TABLE analysis_periods'));
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`);
    expect(rows[0].n).toBe(0);
    expect((await migrationStatus(ctx)).pending.map((m) => m.name)).toEqual(ALL);
  });

  it('the preview is the migration: run as written (one statement string, as psql -f would), it brings the database to head', async () => {
    const script = await previewMigrate(ctx);
    expect(script).toMatch(/^BEGIN;$/m);
    const client = await db.pool.connect();
    try {
      await client.query(script);
    } finally {
      client.release();
    }
    expect(await migrate(ctx)).toEqual({ adopted: [], applied: [] });
    const status = await migrationStatus(ctx);
    expect(status.applied.map((m) => m.name)).toEqual(ALL);
    expect(status.pending).toEqual([]);
    const failed = (await runCatalogChecks(db.pool)).filter((r) => !r.ok).map((r) => r.check.object);
    expect(failed).toEqual([]);
    expect(await previewMigrate(ctx)).toBe('');
  });

  it('verify notices a missing object', async () => {
    await db.pool.query('BEGIN');
    try {
      await db.pool.query('ALTER TABLE analysis_periods DROP CONSTRAINT no_overlapping_periods');
      const results = await runCatalogChecks(db.pool, CATALOG_CHECKS);
      expect(results.filter((r) => !r.ok).map((r) => r.check.object)).toEqual(['EXCLUDE on analysis_periods']);
    } finally {
      await db.pool.query('ROLLBACK');
    }
  });

  it('round-trips: up, rollback everything, up again gives an identical catalog', async () => {
    const before = await dumpCatalog(db.pool);
    expect(before.matviews).toHaveLength(1);
    expect(before.extensions).toEqual(expect.arrayContaining(['btree_gist', 'pg_trgm']));

    expect(await rollback(ctx, { toRevision: -1 })).toEqual([...ALL].reverse());
    const empty = await dumpCatalog(db.pool);
    expect(empty.columns).toEqual([]);
    expect(empty.extensions).not.toContain('btree_gist');

    await migrate(ctx);
    expect(await dumpCatalog(db.pool)).toEqual(before);
  });

  it.runIf(hasPsql)('the preview file runs with psql -v ON_ERROR_STOP=1 -f, plain and --concurrently, to the same catalog', async () => {
    const head = await dumpCatalog(db.pool);
    for (const concurrently of [false, true]) {
      await rollback(ctx, { toRevision: -1 });
      const file = temporaryFile('upgrade.sql', await previewMigrate(ctx, { concurrently }));
      execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', db.url, '-f', file], { stdio: 'pipe' });
      expect((await migrationStatus(ctx)).pending, `concurrently: ${concurrently}`).toEqual([]);
      expect(await dumpCatalog(db.pool)).toEqual(head);
    }
  });

  it('rolls back step by step and to a revision, keeping the base tables at revision 0', async () => {
    expect(await rollback(ctx, { steps: 8 })).toEqual(['0012_index_entity_list_order', '0011_time_partitions', '0010_shared_writers', '0009_change_feed', '0008_guard_direct_period_writes', '0007_pending_events', '0006_align_with_crosshot', '0005_index_unanalysed_contents']);
    // A database the gateway migrated earlier upgrades: no newer migration looks half-applied.
    expect(await migrate(ctx)).toEqual({ adopted: [], applied: ALL.slice(5) });
    expect(await rollback(ctx, { toRevision: 0 })).toEqual([
      '0012_index_entity_list_order', '0011_time_partitions', '0010_shared_writers', '0009_change_feed', '0008_guard_direct_period_writes', '0007_pending_events', '0006_align_with_crosshot', '0005_index_unanalysed_contents', '0004_create_refresh_log', '0003_create_views_and_functions', '0002_alter_existing_tables', '0001_create_temporal_tables',
    ]);
    const { rows } = await db.pool.query<{ table: string }>(
      `SELECT tablename AS table FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('pgmigrations', 'pgmigrations_adopted') ORDER BY 1`,
    );
    expect(rows.map((r) => r.table)).toEqual(['chat_messages', 'content_media', 'contents', 'tasks', 'topic_users', 'topics', 'users']);
    expect(await rollback(ctx, { toRevision: 0 })).toEqual([]);
    await expect(rollback(ctx, { toRevision: 99 })).rejects.toThrow(/unknown revision 99/);
    expect((await migrate(ctx)).applied).toEqual(ALL.slice(1));
  });

  it('upgrades a database left at any earlier revision to head', async () => {
    for (let revision = ALL.length - 2; revision >= 0; revision--) {
      await rollback(ctx, { toRevision: revision });
      expect(await migrate(ctx), `from revision ${revision}`).toEqual({ adopted: [], applied: ALL.slice(revision + 1) });
    }
  });
});
