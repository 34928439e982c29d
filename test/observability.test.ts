import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createGateway } from '../src/server/gateway.js';
import { listenForMetrics } from '../src/server/metrics.js';
import { createGatewayServices } from '../src/services/gatewayServices.js';
import { createTestDatabase } from './helpers/database.js';
import { insertTopic } from './helpers/fixtures.js';
import { createTestGateway } from './helpers/gateway.js';
import { freePort } from './helpers/server.js';

/** A gateway whose log lines are kept, parsed, for the test to read. */
function loggedGateway(db: Awaited<ReturnType<typeof createTestDatabase>>, env: Record<string, string> = {}) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const config = loadConfig({ NODE_ENV: 'test', TREND_REFRESH_ENABLED: 'false', ...env });
  const services = createGatewayServices(config, db.pool, pino({ level: 'debug' }, sink), db.url);
  afterAll(() => services.close());
  return { gateway: createGateway(services), lines };
}

describe('logs, CORS and metrics a client cannot turn against the server', async () => {
  const db = await createTestDatabase();
  const topicId = await insertTopic(db.pool, 'Observed', { createdAt: '2026-01-01T00:00:00Z' });

  it('logs each refused request once, at info, without a stack; the CSRF refusal has a code', async () => {
    const { gateway, lines } = loggedGateway(db);
    const post = (body: string, headers: Record<string, string>) => gateway.fetch('http://gateway.test/graphql', { method: 'POST', headers, body });
    const refusals = [
      await post('{"query":"{ __typename }"}', { 'content-type': 'text/plain' }),
      await post('{"query": "{ __typ', { 'content-type': 'application/json' }),
      await post('[{"query":"{ __typename }"},{"query":"{ __typename }"}]', { 'content-type': 'application/json' }),
      await post('{}', { 'content-type': 'application/json', 'content-length': '99999999' }),
    ];
    expect(refusals.map((response) => response.status)).toEqual([403, 400, 400, 413]);
    const csrf = (await refusals[0]!.json()) as { errors: { extensions: { code: string } }[] };
    expect(csrf.errors[0]!.extensions.code).toBe('CSRF_HEADER_REQUIRED');
    expect(lines.filter((line) => (line.level as number) >= 50)).toEqual([]);
    const refused = lines.filter((line) => line.msg === 'request refused');
    expect(refused.map((line) => line.status)).toEqual([403, 400, 400, 413]);
    expect(JSON.stringify(lines)).not.toMatch(/"stack"/);
  });

  it('logs an unexpected error once, at error, with its request id', async () => {
    const { gateway, lines } = loggedGateway(db);
    const { rows } = await db.pool.query(`INSERT INTO topics (name) VALUES ('Doomed') RETURNING id`);
    await db.pool.query(`INSERT INTO analysis_periods (entity_type, entity_id, period_number, period_start, period_end, duration_hours, summary) VALUES ('topic', $1, 1, now() - interval '1 hour', now(), 1, 'orphan')`, [rows[0].id]);
    const { rows: period } = await db.pool.query(`SELECT id FROM analysis_periods WHERE entity_id = $1`, [rows[0].id]);
    await db.pool.query(`DELETE FROM topics WHERE id = $1`, [rows[0].id]);
    const response = await gateway.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `query($id: ID!) { period(id: $id) { entity { name } } }`, variables: { id: period[0].id } }),
    });
    const body = (await response.json()) as { errors: { message: string; extensions: { requestId: string } }[] };
    expect(body.errors[0]!.message).toBe('Unexpected error.');
    const errors = lines.filter((line) => line.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.requestId).toBe(body.errors[0]!.extensions.requestId);
  });

  it('with two or more allowed origins, answers a foreign one with no CORS headers at all (never null), and each listed one with itself', async () => {
    const gateway = createTestGateway(db, { CORS_ORIGINS: 'https://a.example,https://b.example' });
    const preflight = (origin: string) =>
      gateway.yoga.fetch('http://gateway.test/graphql', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    for (const origin of ['https://evil.example', 'null']) {
      const response = await preflight(origin);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    }
    for (const origin of ['https://a.example', 'https://b.example']) {
      const response = await preflight(origin);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    }
  });

  it('keeps a bounded set of metric series whatever URLs, hosts and operation names clients send', async () => {
    const gateway = createTestGateway(db, { METRICS_ENABLED: 'true' });
    const seriesCount = async () => (await (await gateway.yoga.fetch('http://gateway.test/metrics')).text()).split('\n').filter((line) => /^graphql_/.test(line)).length;
    await gateway.execute(`query Named($id: ID!) { topic(id: $id) { name } }`, { id: topicId });
    const baseline = await seriesCount();
    for (let i = 0; i < 2_000; i++) {
      await gateway.yoga.fetch(`http://host-${i}.example/graphql?u=${i}&query=${encodeURIComponent(`query Junk${i} { __typename }`)}`, {
        headers: { 'x-graphql-yoga-csrf': '1' },
      });
    }
    const text = await (await gateway.yoga.fetch('http://gateway.test/metrics')).text();
    expect(text).not.toMatch(/host-1\.example|u=1\b/);
    // Operation names are labels only up to a bound; the rest are counted as one.
    expect(await seriesCount()).toBeLessThan(baseline + 200 * 20 + 40);
    expect(text).toMatch(/operationName="\(other\)"/);
  });

  it('serves /metrics only with METRICS_TOKEN when one is set, and on METRICS_PORT (not the API’s port) when one is set', async () => {
    const gated = createTestGateway(db, { METRICS_ENABLED: 'true', METRICS_TOKEN: 'scrape-secret' });
    expect((await gated.yoga.fetch('http://gateway.test/metrics')).status).toBe(401);
    expect((await gated.yoga.fetch('http://gateway.test/metrics', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const ok = await gated.yoga.fetch('http://gateway.test/metrics', { headers: { authorization: 'Bearer scrape-secret' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/crosshot_pool_connections/);

    const port = await freePort();
    const separate = createTestGateway(db, { METRICS_ENABLED: 'true', METRICS_PORT: String(port) });
    expect((await separate.yoga.fetch('http://gateway.test/metrics')).status).toBe(404);
    const server = await listenForMetrics(separate.yoga.metrics!, port, '127.0.0.1');
    try {
      const scrape = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(scrape.status).toBe(200);
      expect(await scrape.text()).toMatch(/process_resident_memory_bytes/);
    } finally {
      server.close();
    }
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).metrics.port).toBe(9464);
  });
});
