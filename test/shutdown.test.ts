import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../src/paths.js';
import { createTestDatabase } from './helpers/database.js';
import { freePort } from './helpers/server.js';

async function waitForReady(url: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not come up`);
}

describe('graceful shutdown', async () => {
  const db = await createTestDatabase();

  it('ends within its deadline although a client trickles a request body', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: db.url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', SHUTDOWN_TIMEOUT_MS: '300', TREND_REFRESH_ENABLED: 'false' },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await waitForReady(`http://127.0.0.1:${port}/readyz`, Date.now() + 30_000);

    // Headers promise 1,000 bytes of body; one arrives, and the rest never does.
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.on('error', () => undefined);
    socket.write('POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{');
    await new Promise((resolve) => setTimeout(resolve, 200));

    const signalled = Date.now();
    child.kill('SIGTERM');
    const code = await exited;
    socket.destroy();
    expect(code).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(5_000);
  }, 60_000);

  it('lets a request in flight finish, then exits 0', async () => {
    // A second-long anomaly detector: the request is still running when SIGTERM arrives.
    await db.pool.query(`CREATE OR REPLACE FUNCTION detect_metric_anomalies(p_entity_type varchar, p_entity_id uuid, p_metric_key text, p_threshold_factor float8 DEFAULT 2.0)
      RETURNS TABLE (period_id uuid, period_number integer, metric_value float8, avg_value float8, stddev_value float8, z_score float8)
      LANGUAGE plpgsql STABLE AS $$ BEGIN PERFORM pg_sleep(1); END $$`);
    const { rows } = await db.pool.query(`INSERT INTO topics (name) VALUES ('In flight') RETURNING id`);
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: db.url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', SHUTDOWN_TIMEOUT_MS: '5000', TREND_REFRESH_ENABLED: 'false' },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await waitForReady(`http://127.0.0.1:${port}/readyz`, Date.now() + 30_000);

    const inFlight = fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `query($id: ID!) { topic(id: $id) { name anomalies(metric: "total_posts") { periodNumber } } }`, variables: { id: rows[0].id } }),
    }).then((response) => response.json());
    await new Promise((resolve) => setTimeout(resolve, 300));
    const signalled = Date.now();
    child.kill('SIGTERM');
    expect(await inFlight).toEqual({ data: { topic: { name: 'In flight', anomalies: [] } } });
    expect(await exited).toBe(0);
    // Not held until the 5 s deadline by the finished request's keep-alive connection.
    expect(Date.now() - signalled).toBeLessThan(3_000);
  }, 60_000);
});
