import { describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { formatOperatorError, toOperatorError } from '../src/db/errors.js';
import { createPool } from '../src/db/pool.js';
import { migrate } from '../src/db/migrations.js';
import { createLogger } from '../src/logger.js';
import { upSql } from './helpers/catalog.js';
import { createTestDatabase } from './helpers/database.js';
import { adminClient, databaseUrl } from './helpers/server.js';


async function operatorMessage(promise: Promise<unknown>, url?: string): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return formatOperatorError(toOperatorError(error, url));
  }
  throw new Error('expected a failure');
}

describe('errors an operator can act on', () => {
  it('names host and port of an unreachable database', async () => {
    const url = 'postgresql://postgres@127.0.0.1:1/crosshot';
    const message = await operatorMessage(openDatabase(loadConfig({ DATABASE_URL: url }), createLogger('silent')), url);
    expect(message).toMatch(/cannot reach PostgreSQL at 127\.0\.0\.1:1 \(database crosshot\): ECONNREFUSED/);
    expect(message).toMatch(/hint: .*DATABASE_URL/);
  });

  it('names the table and count of orphaned rows that block a foreign key', async () => {
    const db = await createTestDatabase({ migrated: false });
    await db.pool.query(upSql('0000_base_tables'));
    await db.pool.query(upSql('0001_create_temporal_tables'));
    await db.pool.query(`CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY); INSERT INTO alembic_version VALUES ('20260301_0100')`);
    const { rows } = await db.pool.query(`INSERT INTO topics (name) VALUES ('t') RETURNING id`);
    const period = await db.pool.query(
      `INSERT INTO analysis_periods (entity_type, entity_id, period_number, period_start, period_end, duration_hours, summary)
       VALUES ('topic', $1, 1, now() - interval '1 hour', now(), 1, 's') RETURNING id`,
      [rows[0].id],
    );
    for (let i = 0; i < 3; i++) {
      await db.pool.query(`INSERT INTO period_content_snapshots (period_id, content_id) VALUES ($1, gen_random_uuid())`, [period.rows[0].id]);
    }
    const message = await operatorMessage(migrate({ pool: db.pool, migrationsTable: 'pgmigrations' }));
    expect(message).toMatch(/3 row\(s\) of period_content_snapshots have a content_id that does not exist in contents/);
    expect(message).toMatch(/hint: Delete or fix them first/);
    const tables = await db.pool.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'topics' AND column_name = 'last_period_id'`);
    expect(tables.rows[0].n).toBe(0); // the failed migration left nothing behind
  });

  it('names the extension and the privilege needed when the role cannot create it', async () => {
    const adminUrl = inject('adminUrl');
    const db = await createTestDatabase({ migrated: false });
    const role = `limited_${db.name.slice(-6)}`;
    const admin = await adminClient(adminUrl);
    const limited = createPool({ connectionString: databaseUrl(adminUrl, db.name).replace(/\/\/[^@]*@/, `//${role}:secret@`), max: 1 });
    try {
      await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD 'secret'`);
      await admin.query(`REVOKE CREATE ON DATABASE ${db.name} FROM PUBLIC`);
      await db.pool.query(`GRANT USAGE, CREATE ON SCHEMA public TO ${role}`);
      const message = await operatorMessage(migrate({ pool: limited, migrationsTable: 'pgmigrations' }));
      expect(message).toMatch(/permission denied to create extension "btree_gist"/);
      expect(message).toMatch(/hint: .*superuser.*CREATE EXTENSION IF NOT EXISTS btree_gist;/);
    } finally {
      await limited.end();
      await db.pool.query(`REASSIGN OWNED BY ${role} TO postgres; DROP OWNED BY ${role}`);
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
      await admin.end();
    }
  });
});

describe('the db CLI on a database that is not migrated', () => {
  it('seed-demo says to migrate first, and writes nothing', async () => {
    const { spawnSync } = await import('node:child_process');
    const { projectRoot } = await import('../src/paths.js');
    const db = await createTestDatabase({ migrated: false });
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/db.ts', 'seed-demo'], { cwd: projectRoot, env: { ...process.env, DATABASE_URL: db.url }, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the database is not migrated');
    expect(result.stderr).toContain('npm run db -- migrate');
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`);
    expect(rows[0].n).toBe(0);
  });
});
