import { afterAll, describe, expect, it } from 'vitest';
import { createPool } from '../src/db/pool.js';
import { createTestDatabase } from './helpers/database.js';
import { insertTopic, slowAnomalyDetector } from './helpers/fixtures.js';
import { createTestGateway } from './helpers/gateway.js';

describe('a statement that runs into the statement timeout', async () => {
  const db = await createTestDatabase();
  const topicId = await insertTopic(db.pool, 'Slow');
  // This database's anomaly detector takes a second: longer than the pool below allows.
  await slowAnomalyDetector(db.pool, 1);
  const pool = createPool({ connectionString: db.url, max: 2, statementTimeoutMs: 100 });
  afterAll(() => pool.end());
  const gateway = createTestGateway({ ...db, pool }, { STATEMENT_TIMEOUT_MS: '100' });

  it('comes back as TIMEOUT saying what to do, not as an unexpected error', async () => {
    const result = await gateway.execute(`query($id: ID!) { topic(id: $id) { name anomalies(metric: "total_posts") { periodNumber } } }`, { id: topicId });
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'TIMEOUT', timeoutMs: 100 });
    expect(result.errors![0]!.message).toMatch(/ran longer than the 100 ms the server allows a statement/);
    expect(JSON.stringify(result.errors)).not.toMatch(/canceling statement|stack/);
  });

  it('gives a request that cannot get a connection in time TIMEOUT, and the pool serves again afterwards', async () => {
    const tiny = createPool({ connectionString: db.url, max: 1, acquireTimeoutMs: 200 });
    const busy = createTestGateway({ ...db, pool: tiny });
    const held = await tiny.connect();
    try {
      const result = await busy.execute(`query($id: ID!) { topic(id: $id) { name } }`, { id: topicId });
      expect(result.errors![0]!.extensions).toMatchObject({ code: 'TIMEOUT', reason: 'POOL_EXHAUSTED' });
      expect(result.errors![0]!.message).toMatch(/every database connection is busy/);
    } finally {
      held.release();
    }
    const after = await busy.execute(`query($id: ID!) { topic(id: $id) { name } }`, { id: topicId });
    expect(after).toEqual({ data: { topic: { name: 'Slow' } } });
    await tiny.end();
  });
});
