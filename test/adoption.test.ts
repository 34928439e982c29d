import { describe, expect, it } from 'vitest';
import { runCatalogChecks } from '../src/db/catalog.js';
import { listMigrationFiles } from '../src/db/migrationFiles.js';
import { migrate, migrationStatus, type MigrationContext } from '../src/db/migrations.js';
import { upSql } from './helpers/catalog.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';


async function loadLegacyData(db: TestDatabase): Promise<void> {
  await db.pool.query(`
    INSERT INTO tasks (id, label) VALUES ('00000000-0000-0000-0000-000000000001', 'crawler:search');
    INSERT INTO topics (id, name, total_contents) VALUES ('00000000-0000-0000-0000-0000000000aa', 'Legacy topic', 2);
    INSERT INTO contents (task_id, topic_id, platform, platform_content_id, source_url, text)
    VALUES ('00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-0000000000aa', 'x', '1', 'https://x/1', 'first'),
           ('00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-0000000000aa', 'x', '2', 'https://x/2', 'second');`);
}

async function rowCounts(db: TestDatabase): Promise<Record<string, number>> {
  const { rows } = await db.pool.query(`SELECT (SELECT count(*) FROM tasks)::int AS tasks, (SELECT count(*) FROM topics)::int AS topics,
                                               (SELECT count(*) FROM contents)::int AS contents`);
  return rows[0];
}

describe('adopting an existing database', () => {
  it('records the base migration as applied when the base tables exist, and keeps their rows', async () => {
    const db = await createTestDatabase({ migrated: false });
    await db.pool.query(upSql('0000_base_tables'));
    await loadLegacyData(db);
    const before = await rowCounts(db);

    const ctx: MigrationContext = { pool: db.pool, migrationsTable: 'pgmigrations' };
    const result = await migrate(ctx);
    expect(result.adopted).toEqual(['0000_base_tables']);
    expect(result.applied).toEqual(['0001_create_temporal_tables', '0002_alter_existing_tables', '0003_create_views_and_functions', '0004_create_refresh_log', '0005_index_unanalysed_contents', '0006_align_with_crosshot', '0007_pending_events', '0008_guard_direct_period_writes', '0009_change_feed', '0010_shared_writers', '0011_time_partitions', '0012_index_entity_list_order']);
    expect(await rowCounts(db)).toEqual(before);
    const { rows } = await db.pool.query(`SELECT text, analysis_period_id, discovered_at IS NOT NULL AS has_discovered FROM contents ORDER BY text`);
    expect(rows).toEqual([
      { text: 'first', analysis_period_id: null, has_discovered: true },
      { text: 'second', analysis_period_id: null, has_discovered: true },
    ]);
  });

  it('records every migration as applied when alembic already created the temporal schema', async () => {
    const db = await createTestDatabase({ migrated: false });
    for (const name of ['0000_base_tables', '0001_create_temporal_tables', '0002_alter_existing_tables', '0003_create_views_and_functions']) {
      await db.pool.query(upSql(name));
    }
    await db.pool.query(`CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY); INSERT INTO alembic_version VALUES ('20260301_0300')`);
    await loadLegacyData(db);
    const before = await rowCounts(db);

    const ctx: MigrationContext = { pool: db.pool, migrationsTable: 'pgmigrations' };
    const result = await migrate(ctx);
    expect(result.adopted).toHaveLength(4);
    // The gateway's own bookkeeping table and indexes are new to such a database, and created.
    expect(result.applied).toEqual(['0004_create_refresh_log', '0005_index_unanalysed_contents', '0006_align_with_crosshot', '0007_pending_events', '0008_guard_direct_period_writes', '0009_change_feed', '0010_shared_writers', '0011_time_partitions', '0012_index_entity_list_order']);
    expect((await migrationStatus(ctx)).pending).toEqual([]);
    expect(await rowCounts(db)).toEqual(before);
  });

  it('refuses, naming what is missing, when alembic claims objects the database lacks', async () => {
    const db = await createTestDatabase({ migrated: false });
    for (const name of ['0000_base_tables', '0001_create_temporal_tables', '0002_alter_existing_tables', '0003_create_views_and_functions']) {
      await db.pool.query(upSql(name));
    }
    await db.pool.query(`DROP VIEW v_crawl_effectiveness_ranking`);
    await db.pool.query(`CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY); INSERT INTO alembic_version VALUES ('20260301_0300')`);

    const ctx: MigrationContext = { pool: db.pool, migrationsTable: 'pgmigrations' };
    await expect(migrate(ctx)).rejects.toThrow(/alembic_version says revision 20260301_0300.*view v_crawl_effectiveness_ranking/);
    // An upgrade is all or nothing: the three consistent ones are not recorded either.
    expect((await migrationStatus(ctx)).pending.map((m) => m.name)).toEqual(listMigrationFiles().map((m) => m.name));
  });

  it('refuses to run a migration whose objects partly exist', async () => {
    const db = await createTestDatabase({ migrated: false });
    await db.pool.query(upSql('0000_base_tables'));
    await db.pool.query(`CREATE EXTENSION IF NOT EXISTS btree_gist; CREATE TABLE analysis_periods (id uuid PRIMARY KEY)`);
    const ctx: MigrationContext = { pool: db.pool, migrationsTable: 'pgmigrations' };
    await expect(migrate(ctx)).rejects.toThrow(/0001_create_temporal_tables is not recorded as applied, but some of its objects already exist; missing: .*table temporal_events/);
  });

  it.each([
    ['20260301_0100', ['0000_base_tables', '0001_create_temporal_tables']],
    ['20260301_0200', ['0000_base_tables', '0001_create_temporal_tables', '0002_alter_existing_tables']],
  ])('adopts a database alembic left at %s and runs everything after it', async (revision, adopted) => {
    const db = await createTestDatabase({ migrated: false });
    for (const name of adopted) await db.pool.query(upSql(name));
    await db.pool.query(`CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)`);
    await db.pool.query(`INSERT INTO alembic_version VALUES ($1)`, [revision]);
    await loadLegacyData(db);
    const before = await rowCounts(db);
    const ctx: MigrationContext = { pool: db.pool, migrationsTable: 'pgmigrations' };
    const result = await migrate(ctx);
    expect(result.adopted).toEqual(adopted);
    expect(result.applied).toEqual(listMigrationFiles().map((m) => m.name).slice(adopted.length));
    expect(await rowCounts(db)).toEqual(before);
    expect((await runCatalogChecks(db.pool)).filter((r) => !r.ok)).toEqual([]);
  });
});
