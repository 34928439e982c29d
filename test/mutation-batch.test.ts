import { describe, expect, it } from 'vitest';
import { createTestDatabase } from './helpers/database.js';
import { insertTopic } from './helpers/fixtures.js';
import { createTestGateway } from './helpers/gateway.js';

describe('two mutations in one request, the second failing', async () => {
  const db = await createTestDatabase();
  const gateway = createTestGateway(db);
  const topicId = await insertTopic(db.pool, 'Batch', { createdAt: '2026-01-01T00:00:00Z' });

  it('shows the first one committed, so a client retries only the second', async () => {
    const result = await gateway.execute<{ first: { periodNumber: number } | null; second: unknown }>(
      `mutation($id: ID!) {
        first: recordAnalysisPeriod(input: { entityType: TOPIC, entityId: $id, summary: "kept", periodEnd: "2026-01-02T00:00:00Z" }) { periodNumber }
        second: recordAnalysisPeriod(input: { entityType: TOPIC, entityId: $id, summary: "refused", periodEnd: "2026-01-01T12:00:00Z" }) { periodNumber }
      }`,
      { id: topicId },
    );
    expect(result.data).toEqual({ first: { periodNumber: 1 }, second: null });
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.path).toEqual(['second']);
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'periodEnd' });
    const { rows } = await db.pool.query(`SELECT summary FROM analysis_periods WHERE entity_id = $1`, [topicId]);
    expect(rows).toEqual([{ summary: 'kept' }]);
  });
});
