import { describe, expect, it } from 'vitest';
import { seedDemoData } from '../src/services/demoSeed.js';
import { createTestDatabase, recordStatements } from './helpers/database.js';
import { createTestGateway } from './helpers/gateway.js';

const NESTED_TIMELINE = `
  query Timelines($topics: Int!) {
    topics(first: $topics) {
      edges { node {
        id name totalPeriods
        periods(first: 10) {
          totalCount
          edges { node {
            periodNumber metricsDelta
            metricChanges { key previous current absolute percent }
            unresolvedEventCount
            events { id title severity }
            crawlEffectiveness { id query effectivenessScore }
            entity { id name entityType }
          } }
        }
      } }
    }
  }`;

describe('nested timelines run a bounded number of statements', async () => {
  const db = await createTestDatabase();
  // 4 units of scale: 24 topics with 12 periods each.
  await seedDemoData(db.pool, { scale: 4, anchor: new Date('2026-06-01T00:00:00Z') });
  const gateway = createTestGateway(db);

  async function statementsFor(topics: number) {
    const { result, statements } = await recordStatements(db.pool, () => gateway.execute(NESTED_TIMELINE, { topics }));
    expect(result.errors).toBeUndefined();
    const data = result.data as { topics: { edges: { node: { totalPeriods: number; periods: { edges: unknown[] } } }[] } };
    expect(data.topics.edges).toHaveLength(topics);
    for (const topic of data.topics.edges) expect(topic.node.periods.edges).toHaveLength(Math.min(10, topic.node.totalPeriods));
    return statements;
  }

  it('is the same, small count for 2 topics and for 20', async () => {
    const two = await statementsFor(2);
    const twenty = await statementsFor(20);
    expect(twenty.length).toBe(two.length);
    expect(twenty.length).toBeLessThanOrEqual(8);
  });
});
