import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../src/paths.js';
import { createTestDatabase } from './helpers/database.js';
import { freePort, relay } from './helpers/server.js';

async function status(url: string): Promise<number | null> {
  try {
    return (await fetch(url)).status;
  } catch {
    return null;
  }
}

async function until(what: string, check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('a database that is down or restarts', async () => {
  const db = await createTestDatabase();

  it('starts unready while the database is down, becomes ready when it comes up, answers DATABASE_UNAVAILABLE through a restart, then recovers', async () => {
    const [relayPort, port] = [await freePort(), await freePort()];
    const target = new URL(db.url);
    const viaRelay = new URL(db.url);
    viaRelay.hostname = '127.0.0.1';
    viaRelay.port = String(relayPort);
    const database = relay(target, relayPort);
    let log = '';
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: viaRelay.toString(), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', TREND_REFRESH_ENABLED: 'false', DATABASE_ACQUIRE_TIMEOUT_MS: '2000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const base = `http://127.0.0.1:${port}`;
    const query = async () => {
      const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ topics(first: 1) { totalCount } }' }) });
      return (await response.json()) as { data?: { topics: { totalCount: number } } | null; errors?: { extensions?: { code?: string } }[] };
    };
    try {
      // Down at start: the process serves, not ready, and says why.
      await until('the server to answer', async () => (await status(`${base}/healthz`)) === 200, 30_000);
      expect(await status(`${base}/readyz`)).toBe(503);
      expect((await query()).errors?.[0]?.extensions?.code).toBe('DATABASE_UNAVAILABLE');
      expect(log).toMatch(/the database cannot be reached yet/);

      // Up: ready without a restart, and serving.
      await database.up();
      await until('ready', async () => (await status(`${base}/readyz`)) === 200, 30_000);
      expect((await query()).data?.topics.totalCount).toBeGreaterThanOrEqual(0);

      // A restart under it: clean, coded errors while it is down, then service again.
      await database.down();
      expect((await query()).errors?.[0]?.extensions?.code).toBe('DATABASE_UNAVAILABLE');
      expect(await status(`${base}/readyz`)).toBe(503);
      await database.up();
      await until('service again', async () => (await query()).data?.topics !== undefined, 30_000);
      expect(await status(`${base}/readyz`)).toBe(200);
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill('SIGTERM');
      await exited;
      await database.down();
    }
  }, 120_000);
});
