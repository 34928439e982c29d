import { afterAll, describe, expect, it } from 'vitest';
import { mintToken } from '../src/auth.js';
import { createPool } from '../src/db/pool.js';
import { createTestDatabase } from './helpers/database.js';
import { insertTopic, slowAnomalyDetector } from './helpers/fixtures.js';
import { createTestGateway } from './helpers/gateway.js';

const SECRET = 'client-limit-secret-client-limit-secret';

describe('one client cannot hold every connection (CLIENT_MAX_CONCURRENCY)', async () => {
  const db = await createTestDatabase();
  const topicId = await insertTopic(db.pool, 'Shared');
  // This database's anomaly detector takes a second.
  await slowAnomalyDetector(db.pool, 1);
  const pool = createPool({ connectionString: db.url, max: 4 });
  afterAll(() => pool.end());
  const gateway = createTestGateway({ ...db, pool }, { JWT_SECRET: SECRET, CLIENT_MAX_CONCURRENCY: '2', CLIENT_MAX_QUEUED: '3' });
  const tokenOf = (subject: string) => mintToken(SECRET, { subject, scopes: ['read'], ttlSeconds: 600 });

  async function post(token: string, query: string) {
    const response = await gateway.yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables: { id: topicId } }),
    });
    return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } };
  }
  const SLOW = `query($id: ID!) { topic(id: $id) { anomalies(metric: "total_posts") { periodNumber } } }`;
  const FAST = `query($id: ID!) { topic(id: $id) { name } }`;

  it('queues one client past its share, refuses it past the queue, and serves another client meanwhile', async () => {
    const [greedy, other] = [await tokenOf('greedy'), await tokenOf('other')];
    // Five slow operations: two run, three wait for a turn (without the limit they would take all four connections).
    const slow = Array.from({ length: 5 }, () => post(greedy, SLOW));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const refused = await post(greedy, FAST);
    expect(refused.status).toBe(429);
    expect(refused.body.errors![0]!.extensions!.code).toBe('RATE_LIMITED');

    const started = Date.now();
    const served = await post(other, FAST);
    expect(served.body).toEqual({ data: { topic: { name: 'Shared' } } });
    expect(Date.now() - started).toBeLessThan(700);

    const results = await Promise.all(slow);
    for (const result of results) expect(result.body).toEqual({ data: { topic: { anomalies: [] } } });
    // Its turns given back, the greedy client is served again.
    expect((await post(greedy, FAST)).body).toEqual({ data: { topic: { name: 'Shared' } } });
  }, 30_000);
});
