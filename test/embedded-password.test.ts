import { chmodSync, existsSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../src/db/embedded.js';
import { temporaryFolder } from './helpers/files.js';
import { freePort } from './helpers/server.js';

async function connects(url: string): Promise<boolean | string> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return true;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('the embedded server’s superuser password', () => {
  const base = temporaryFolder();
  chmodSync(base, 0o755);
  const dataDir = join(base, 'data');

  it('is generated per data folder and kept in it, readable by its owner only; the old fixed one is refused', async () => {
    const port = await freePort();
    const server = await startEmbeddedPostgres({ dataDir, port });
    try {
      const file = join(dataDir, 'gateway-superuser-password');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(await connects(server.adminUrl)).toBe(true);
      expect(await connects(`postgresql://postgres:postgres@127.0.0.1:${port}/postgres`)).toBe('28P01');
    } finally {
      await server.stop();
    }
  });

  it('replaces the fixed password of a folder made before, at its next start', async () => {
    const port = await freePort();
    let server = await startEmbeddedPostgres({ dataDir, port });
    const client = new pg.Client({ connectionString: server.adminUrl });
    await client.connect();
    await client.query(`ALTER ROLE postgres PASSWORD 'postgres'`);
    await client.end();
    await server.stop();
    unlinkSync(join(dataDir, 'gateway-superuser-password'));

    server = await startEmbeddedPostgres({ dataDir, port });
    try {
      expect(existsSync(join(dataDir, 'gateway-superuser-password'))).toBe(true);
      expect(await connects(server.adminUrl)).toBe(true);
      expect(await connects(`postgresql://postgres:postgres@127.0.0.1:${port}/postgres`)).toBe('28P01');
    } finally {
      await server.stop();
    }
  });
});
