import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createPool } from '../src/db/pool.js';
import { startEmbeddedPostgres, type EmbeddedServer } from '../src/db/embedded.js';
import { migrate } from '../src/db/migrations.js';
import { freePort, adminClient, databaseUrl } from './helpers/server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateDatabase: string;
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
    server = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
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

  project.provide('adminUrl', adminUrl);
  project.provide('templateDatabase', templateDatabase);

  return async () => {
    const teardown = await adminClient(adminUrl);
    await teardown.query(`DROP DATABASE IF EXISTS ${templateDatabase} WITH (FORCE)`);
    await teardown.end();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
}
