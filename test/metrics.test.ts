import { describe, expect, it } from 'vitest';
import { createTestDatabase } from './helpers/database.js';
import { insertTopic } from './helpers/fixtures.js';
import { createTestGateway } from './helpers/gateway.js';

describe('/metrics', async () => {
  const db = await createTestDatabase();
  const gateway = createTestGateway(db, { METRICS_ENABLED: 'true' });
  const topicId = await insertTopic(db.pool, 'Measured');

  it('counts requests, durations and errors by operation, and shows the pool and the process', async () => {
    await gateway.execute(`query TopicName($id: ID!) { topic(id: $id) { name } }`, { id: topicId });
    await gateway.execute(`query Broken { topic(id: "not-a-uuid") { name } }`);
    const response = await gateway.yoga.fetch('http://gateway.test/metrics');
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/graphql_yoga_http_duration_count\{[^}]*operationName="TopicName"[^}]*\} 1/);
    expect(text).toMatch(/graphql_envelop_error_result\{[^}]*operationName="Broken"[^}]*\} 1/);
    expect(text).toMatch(/crosshot_pool_connections\{state="total"\} \d+/);
    expect(text).toMatch(/process_resident_memory_bytes \d+/);
    // Only those two GraphQL series: every further one would cost every request.
    const graphqlSeries = new Set([...text.matchAll(/^# TYPE (graphql_\w+)/gm)].map((m) => m[1]));
    expect([...graphqlSeries].sort()).toEqual(['graphql_envelop_error_result', 'graphql_yoga_http_duration']);
  });

  it('is absent when disabled', async () => {
    const off = createTestGateway(db, { METRICS_ENABLED: 'false' });
    expect((await off.yoga.fetch('http://gateway.test/metrics')).status).toBe(404);
  });
});
