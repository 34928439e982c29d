import { describe, expect, it } from 'vitest';
import { runCatalogChecks } from '../src/db/catalog.js';
import { migrate, previewMigrate, type MigrationContext } from '../src/db/migrations.js';
import { listMigrationFiles } from '../src/db/migrationFiles.js';
import { parseMigrationScript, readMigrationScript } from '../src/db/migrationScripts.js';
import { dumpCatalog } from './helpers/catalog.js';
import { createTestDatabase, recordStatements } from './helpers/database.js';

const ALL = listMigrationFiles().map((m) => m.name);

async function failedChecks(pool: MigrationContext['pool']): Promise<string[]> {
  return (await runCatalogChecks(pool)).filter((r) => !r.ok).map((r) => `${r.check.kind} ${r.check.object}`);
}

describe('migration scripts', () => {
  it('splits the Up part at -- Finishing Steps and parses each step', () => {
    const script = parseMigrationScript(
      'x.sql',
      `-- Up Migration\nALTER TABLE t ADD COLUMN c int;\n-- Finishing Steps\nALTER TABLE t VALIDATE CONSTRAINT ck_t;\nCREATE INDEX ix_t ON t (c DESC NULLS LAST, d) WHERE c IS NULL;\n-- Down Migration\nDROP INDEX ix_t;`,
    );
    expect(script.transactional).toBe('-- Up Migration\nALTER TABLE t ADD COLUMN c int;\n');
    expect(script.finishingSteps).toEqual([
      { kind: 'validate', table: 't', constraint: 'ck_t', sql: 'ALTER TABLE t VALIDATE CONSTRAINT ck_t;' },
      { kind: 'index', name: 'ix_t', unique: false, table: 't', columns: ['c', 'd'], predicate: 'c IS NULL', sql: 'CREATE INDEX ix_t ON t (c DESC NULLS LAST, d) WHERE c IS NULL;' },
    ]);
    expect(script.down).toBe('-- Down Migration\nDROP INDEX ix_t;');
  });

  it('refuses a finishing step it cannot derive a check from', () => {
    expect(() => parseMigrationScript('x.sql', '-- Up Migration\n-- Finishing Steps\nUPDATE t SET c = 1;\n')).toThrow(
      /x.sql: a Finishing Steps line must be one CREATE INDEX, VALIDATE CONSTRAINT, CREATE EXTENSION IF NOT EXISTS or ADD CONSTRAINT ... EXCLUDE statement, not: UPDATE t SET c = 1;/,
    );
  });

  it('every migration file parses, and the base tables get their indexes as finishing steps', () => {
    const steps = ALL.flatMap((name) => readMigrationScript(name).finishingSteps);
    const indexed = new Set(steps.filter((s) => s.kind === 'index').map((s) => s.table));
    expect([...indexed].sort()).toEqual(['analysis_periods', 'chat_messages', 'contents', 'crawl_effectiveness', 'mv_period_metrics_trend', 'period_content_snapshots', 'tasks', 'temporal_events', 'topics', 'users']);
  });
});

describe('db migrate --concurrently', async () => {
  const plain = await createTestDatabase({ migrated: false });
  const concurrent = await createTestDatabase({ migrated: false });

  it('ends in the same schema as a plain migrate, building indexes outside the transaction', async () => {
    await migrate({ pool: plain.pool, migrationsTable: 'pgmigrations' });
    const { result, statements } = await recordStatements(concurrent.pool, () =>
      migrate({ pool: concurrent.pool, migrationsTable: 'pgmigrations' }, { concurrently: true }),
    );
    expect(result.applied).toEqual(ALL);
    expect(await dumpCatalog(concurrent.pool)).toEqual(await dumpCatalog(plain.pool));
    expect(await failedChecks(concurrent.pool)).toEqual([]);
    // Each finishing step is a statement of its own (CREATE INDEX CONCURRENTLY cannot run in a
    // transaction or a multi-statement query).
    expect(statements).toContain('CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_contents_analysis_period ON contents (analysis_period_id);');
    expect(statements).toContain('ALTER TABLE contents VALIDATE CONSTRAINT fk_contents_analysis_period;');
  });

  it('previews the concurrent statements', async () => {
    const fresh = await createTestDatabase({ migrated: false });
    const sql = await previewMigrate({ pool: fresh.pool, migrationsTable: 'pgmigrations' }, { concurrently: true });
    expect(sql).toContain('CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_contents_user_unanalysed ON contents (user_id, crawled_at) WHERE analysis_period_id IS NULL;');
    expect(sql).not.toMatch(/^CREATE INDEX ix_contents_user_unanalysed/m);
  });
});

describe('finishing a migration an interrupted --concurrently run left behind', async () => {
  const db = await createTestDatabase({ migrated: false });
  const ctx: MigrationContext = { pool: db.pool, migrationsTable: 'pgmigrations' };
  await migrate(ctx);

  it('validates what is NOT VALID, rebuilds an invalid index, builds a missing one, then records the migrations', async () => {
    // What a run cut off after 0002's transaction and in the middle of 0005's second index leaves:
    // 0002's constraint not yet validated and an index not yet built; 0005's first index built,
    // its second left INVALID by the failed CREATE INDEX CONCURRENTLY; none of them recorded.
    await db.pool.query(`
      DELETE FROM pgmigrations WHERE name >= '0002';
      ALTER TABLE contents DROP CONSTRAINT fk_contents_analysis_period;
      ALTER TABLE contents ADD CONSTRAINT fk_contents_analysis_period FOREIGN KEY (analysis_period_id) REFERENCES analysis_periods (id) ON DELETE SET NULL NOT VALID;
      DROP INDEX ix_contents_published_at;
      DROP INDEX ix_contents_user_unanalysed;
      INSERT INTO tasks (id, label) VALUES ('00000000-0000-0000-0000-000000000001', 'crawl');
      INSERT INTO contents (task_id, platform, platform_content_id, source_url) VALUES
        ('00000000-0000-0000-0000-000000000001', 'x', '1', 'https://x/1'), ('00000000-0000-0000-0000-000000000001', 'x', '2', 'https://x/2');`);
    await expect(db.pool.query('CREATE UNIQUE INDEX CONCURRENTLY ix_contents_user_unanalysed ON contents (platform)')).rejects.toThrow(/could not create unique index/);
    expect(await failedChecks(db.pool)).toEqual([
      'constraint fk_contents_analysis_period on contents validated',
      'index (published_at) on contents',
      'index (user_id, crawled_at) on contents WHERE analysis_period_id IS NULL',
    ]);

    const preview = await previewMigrate(ctx, { concurrently: true });
    expect(preview).toContain('DROP INDEX CONCURRENTLY IF EXISTS ix_contents_user_unanalysed;');

    const result = await migrate(ctx, { concurrently: true });
    expect(result.adopted).toEqual(ALL.slice(2));
    expect(result.applied).toEqual([]);
    expect(await failedChecks(db.pool)).toEqual([]);
    const { rows } = await db.pool.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_contents_user_unanalysed'`);
    expect(rows).toEqual([{ indexdef: expect.stringContaining('(user_id, crawled_at) WHERE (analysis_period_id IS NULL)') }]);
  });
});
