import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createPool, type InstrumentedPool } from '../../src/db/pool.js';
import { cleanUp } from './cleanup.js';
import { adminClient, databaseUrl } from './server.js';

export interface TestDatabase {
  name: string;
  url: string;
  pool: InstrumentedPool;
}

/** The prefix of this run's test databases: the global teardown checks none is left. */
export const testDatabasePrefix = (runId: string) => `crosshot_test_${runId}_`;

/**
 * A database of this test file's own (or this test's, when made inside one), dropped when it
 * ends: a clone of the migrated template, or an empty one (`migrated: false`) for migration and
 * adoption tests.
 */
export async function createTestDatabase({ migrated = true } = {}): Promise<TestDatabase> {
  const adminUrl = inject('adminUrl');
  const name = `${testDatabasePrefix(inject('runId'))}${randomBytes(6).toString('hex')}`;
  const admin = await adminClient(adminUrl);
  try {
    await admin.query(`CREATE DATABASE ${name}${migrated ? ` TEMPLATE ${inject('templateDatabase')}` : ''}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(adminUrl, name);
  const pool = createPool({ connectionString: url, max: 5 });
  cleanUp(async () => {
    await pool.end();
    const cleanup = await adminClient(adminUrl);
    await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await cleanup.end();
  });
  return { name, url, pool };
}

/** Statements run through the pool while `work` runs (Prisma's included). */
export async function recordStatements<T>(pool: InstrumentedPool, work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const stop = pool.onStatement((sql) => statements.push(sql));
  try {
    const result = await work();
    return { result, statements };
  } finally {
    stop();
  }
}
