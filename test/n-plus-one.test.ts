import { describe, expect, it } from 'vitest';
import { seedDemoData } from '../src/services/seed/demoSeed.js';
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

// The benchmark's Q1 (bench/scenarios.ts): periods with their events and crawl records.
const Q1_SHAPE = `
  query Q1($topics: Int!) {
    topics(first: $topics) { edges { node { id name
      periods(first: 10) { edges { node { periodNumber periodStart periodEnd summaryShort metrics
        events { title severity resolvedAt }
        crawlEffectiveness { query effectivenessScore } } } } } } }
  }`;

describe('the nested timeline reads only what it selects', async () => {
  const db = await createTestDatabase();
  await seedDemoData(db.pool, { scale: 4, anchor: new Date('2026-06-01T00:00:00Z') });
  const gateway = createTestGateway(db);

  it('runs 1 statement (the topics with their periods, events and crawl records), for 2 topics and 20, without the unselected long columns', async () => {
    const counts: number[] = [];
    for (const topics of [2, 20]) {
      const { result, statements } = await recordStatements(db.pool, () => gateway.execute(Q1_SHAPE, { topics }));
      expect(result.errors).toBeUndefined();
      counts.push(statements.length);
      const periodStatements = statements.filter((s) => s.includes('FROM analysis_periods'));
      expect(periodStatements).toHaveLength(1);
      for (const column of ['"summary"', 'execution_log', 'knowledge_doc', 'insights', 'metrics_delta']) {
        expect(statements.join('\n')).not.toContain(column);
      }
    }
    expect(counts[0]).toBe(counts[1]);
    expect(counts[1]).toBe(1);
  });

  it('follows fragments and inline fragments when choosing columns', async () => {
    const { rows } = await db.pool.query(
      `SELECT t.id, t.name, ap.summary, ap.period_number FROM topics t
       JOIN analysis_periods ap ON ap.entity_type = 'topic' AND ap.entity_id = t.id AND ap.status = 'active'
       WHERE t.current_period_number IS NOT NULL ORDER BY t.name, ap.period_number DESC LIMIT 1`,
    );
    const expected = rows[0];
    const result = await gateway.execute<{ entity: { name: string; periods: { edges: { node: { summary: string; periodNumber: number } }[] } } }>(
      `query($id: ID!) {
        entity(type: TOPIC, id: $id) { ... on Topic { name icon } periods(first: 1) { edges { node { ...PeriodText } } } }
      }
      fragment PeriodText on AnalysisPeriod { periodNumber ... on AnalysisPeriod { summary } }`,
      { id: expected.id },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.entity.periods.edges[0]!.node).toEqual({ periodNumber: expected.period_number, summary: expected.summary });
    expect(result.data!.entity.name).toBe(expected.name);
  });
});
