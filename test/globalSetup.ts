import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createPool } from '../src/db/pool.js';
import { startEmbeddedPostgres, type EmbeddedServer } from '../src/db/embedded.js';
import { migrate } from '../src/db/migrations.js';
import { testDatabasePrefix } from './helpers/database.js';
import { temporaryFolderPrefix } from './helpers/files.js';
import { freePort, adminClient, databaseUrl } from './helpers/server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateDatabase: string;
    /** Names this run's databases and temporary folders, so that its teardown can tell what it left. */
    runId: string;
  }
}

/**
 * One PostgreSQL for the run: TEST_DATABASE_URL's server when set (CI runs the suite again on
 * the machine's PostgreSQL 15 that way), otherwise an embedded PostgreSQL 18 in a temporary
 * folder. A template database is migrated once; every test file clones it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let server: EmbeddedServer | undefined;
  let dataDir: string | undefined;
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    dataDir = mkdtempSync(join(tmpdir(), 'crosshot-test-pg-'));
    server = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false, durable: false });
    adminUrl = server.adminUrl;
  }

  const templateDatabase = `crosshot_template_${process.pid}`;
  const admin = await adminClient(adminUrl);
  await admin.query(`DROP DATABASE IF EXISTS ${templateDatabase}`);
  await admin.query(`CREATE DATABASE ${templateDatabase}`);
  const pool = createPool({ connectionString: databaseUrl(adminUrl, templateDatabase), max: 2 });
  try {
    await migrate({ pool, migrationsTable: 'pgmigrations' });
  } finally {
    await pool.end();
  }
  await admin.end();

  const runId = `${process.pid}${Math.floor(Math.random() * 1e6)}`;
  project.provide('adminUrl', adminUrl);
  project.provide('templateDatabase', templateDatabase);
  project.provide('runId', runId);

  // The suite drops every database and folder it creates: what is left at the end is removed
  // here, and fails the run, naming it.
  return async () => {
    const teardown = await adminClient(adminUrl);
    await teardown.query(`DROP DATABASE IF EXISTS ${templateDatabase} WITH (FORCE)`);
    const { rows } = await teardown.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [testDatabasePrefix(runId)]);
    for (const { datname } of rows) await teardown.query(`DROP DATABASE IF EXISTS ${teardown.escapeIdentifier(datname)} WITH (FORCE)`);
    await teardown.end();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    const folders = readdirSync(tmpdir()).filter((name) => name.startsWith(temporaryFolderPrefix(runId)));
    for (const folder of folders) rmSync(join(tmpdir(), folder), { recursive: true, force: true });
    const left = [...rows.map((row) => `database ${row.datname}`), ...folders.map((folder) => `folder ${join(tmpdir(), folder)}`)];
    if (left.length > 0) {
      // vitest reports an error thrown here but still exits 0: the exit code says it too.
      process.exitCode = 1;
      throw new Error(`the test suite left ${left.length} thing(s) behind (now removed); a test must drop what it creates: ${left.join(', ')}`);
    }
  };
}
