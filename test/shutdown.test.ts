import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../src/paths.js';
import { createTestDatabase } from './helpers/database.js';
import { slowAnomalyDetector } from './helpers/fixtures.js';
import { startGatewayProcess, waitForReady } from './helpers/processes.js';
import { freePort } from './helpers/server.js';

describe('graceful shutdown', async () => {
  const db = await createTestDatabase();

  /** The server as `npm start` runs it, on the test database; resolves once it is ready. */
  const startServer = (shutdownTimeoutMs: number) => startGatewayProcess({ DATABASE_URL: db.url, SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs) });

  it('ends within its deadline although a client trickles a request body', async () => {
    const { port, child, exited } = await startServer(300);

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
    await slowAnomalyDetector(db.pool, 1);
    const { rows } = await db.pool.query(`INSERT INTO topics (name) VALUES ('In flight') RETURNING id`);
    const { port, child, exited } = await startServer(5000);

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

describe('npm start', async () => {
  const db = await createTestDatabase();

  it.each(['SIGTERM', 'SIGINT'] as const)('stops the server, no process left behind, on %s sent to the npm process', async (signal) => {
    const port = await freePort();
    const npm = spawn('npm', ['start'], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: db.url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', TREND_REFRESH_ENABLED: 'false' },
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
    await waitForReady(`http://127.0.0.1:${port}/readyz`, Date.now() + 30_000);
    npm.kill(signal);
    await exited;
    // The server itself (not only npm) is gone: nothing answers on its port.
    let answered = true;
    for (let i = 0; i < 50 && answered; i++) {
      answered = await fetch(`http://127.0.0.1:${port}/healthz`).then(() => true, () => false);
      if (answered) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(answered).toBe(false);
  }, 60_000);
});
