import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { cleanUp } from './cleanup.js';
import type { TestDatabase } from './database.js';
import { temporaryFolderPrefix } from './files.js';
import { binariesOf, startReplicatedCluster } from './replicatedCluster.js';
import { adminClient } from './server.js';

/**
 * A primary and a streaming replica of it (replicatedCluster.ts), private to one test file, run
 * by the same binaries as the test server (the machine's /usr/lib/postgresql/<major>/bin when the
 * suite runs on that PostgreSQL, else the embedded 18's); stopped, and their folder removed, when
 * the test file ends. `database` is the primary's.
 */
export async function startTestReplicatedCluster() {
  const client = await adminClient(inject('adminUrl'));
  const { rows } = await client.query<{ server_version_num: string }>('SHOW server_version_num');
  await client.end();
  const bin = await binariesOf(Math.floor(Number(rows[0]!.server_version_num) / 10_000));
  const folder = mkdtempSync(join(tmpdir(), temporaryFolderPrefix(inject('runId'))));
  chmodSync(folder, 0o755); // the postgres user passes through it
  cleanUp(() => rmSync(folder, { recursive: true, force: true }));
  const cluster = await startReplicatedCluster(bin, folder);
  cleanUp(() => cluster.stop());
  const database: TestDatabase = { name: 'crosshot', url: cluster.primaryUrl, pool: cluster.pool };
  return { ...cluster, database };
}
