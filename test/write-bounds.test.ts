import { describe, expect, it } from 'vitest';
import { createTestDatabase } from './helpers/database.js';
import { insertTopic } from './helpers/fixtures.js';
import { createTestGateway } from './helpers/gateway.js';

const RECORD = `mutation($input: RecordAnalysisPeriodInput!) { recordAnalysisPeriod(input: $input) { id } }`;

function deeplyNested(depth: number): unknown {
  let node: unknown = 1;
  for (let i = 0; i < depth; i++) node = { next: node };
  return node;
}

describe('bounds on what a write may carry', async () => {
  const db = await createTestDatabase();
  const gateway = createTestGateway(db);
  const topicId = await insertTopic(db.pool, 'Bounded', { createdAt: '2026-01-01T00:00:00Z' });
  const periods = async () => (await db.pool.query(`SELECT count(*)::int AS n FROM analysis_periods WHERE entity_id = $1`, [topicId])).rows[0].n;

  it.each([
    ['a period end far past the server clock', { periodEnd: '9999-12-31T23:59:59Z' }, 'periodEnd', /lies more than 10 minutes past the server clock/],
    ['a metric no analytics can square', { metrics: { total_posts: 1e308 } }, 'metrics', /must be a finite number between -1e15 and 1e15/],
    ['metrics that are not an object', { metrics: [1, 2, 3] }, 'metrics', /must be a JSON object of metric name to value/],
    ['insights nested thousands deep', { insights: deeplyNested(2000) }, 'insights', /nested deeper than 32 levels/],
    ['a NUL character in the summary', { summary: 'before\u0000after' }, 'summary', /must not contain NUL characters/],
    ['a NUL character inside JSON', { executionLog: { step: 'a\u0000b' } }, 'executionLog', /must not contain NUL characters/],
    ['more events than one cycle may carry', { events: Array.from({ length: 201 }, (_, i) => ({ eventType: 'note', title: `t${i}`, description: 'd' })) }, 'events', /at most 200 items/],
    ['tasks that do not exist', { tasksDispatched: ['00000000-0000-0000-0000-00000000beef'] }, 'tasksDispatched', /names tasks that do not exist: 00000000-0000-0000-0000-00000000beef/],
  ])('refuses %s as BAD_USER_INPUT naming the input, writing nothing', async (_label, override, argument, message) => {
    const before = await periods();
    const result = await gateway.execute(RECORD, {
      input: { entityType: 'TOPIC', entityId: topicId, summary: 'bounded', periodEnd: '2026-01-02T00:00:00Z', ...override },
    });
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    expect(result.errors![0]!.message).toMatch(message);
    expect(await periods()).toBe(before);
  });

  it('takes a period end a little past the clock, within the margin', async () => {
    const soon = new Date(Date.now() + 60_000).toISOString();
    const result = await gateway.execute(RECORD, { input: { entityType: 'TOPIC', entityId: topicId, summary: 'in a minute', periodEnd: soon } });
    expect(result.errors).toBeUndefined();
  });

  it('refuses an empty periodId instead of reading it as "no period"', async () => {
    const result = await gateway.execute(
      `mutation($input: RecordTemporalEventInput!) { recordTemporalEvent(input: $input) { id } }`,
      { input: { entityType: 'TOPIC', entityId: topicId, periodId: '', eventType: 'note', title: 't', description: 'd' } },
    );
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'periodId' });
  });

  it('matches % and _ in a name search literally', async () => {
    await insertTopic(db.pool, '100% organic');
    await insertTopic(db.pool, '1000 organic');
    await insertTopic(db.pool, 'snake_case');
    await insertTopic(db.pool, 'snakeXcase');
    const result = await gateway.execute<{ a: { edges: { node: { name: string } }[] }; b: { edges: { node: { name: string } }[] } }>(
      `{ a: topics(search: "0%") { edges { node { name } } } b: topics(search: "e_c") { edges { node { name } } } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.a.edges.map((e) => e.node.name)).toEqual(['100% organic']);
    expect(result.data!.b.edges.map((e) => e.node.name)).toEqual(['snake_case']);
  });

  it('bounds search strings: a megabyte of querySearch is refused before any SQL', async () => {
    const result = await gateway.execute(`query($id: ID!, $q: String!) { topic(id: $id) { crawlEffectiveness(querySearch: $q) { totalCount } } }`, {
      id: topicId,
      q: 'x'.repeat(1024 * 1024),
    });
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'querySearch' });
    expect(result.errors![0]!.message).toMatch(/at most 256 characters/);
  });

  it('gives a cursor that is not one of the list\'s a code', async () => {
    const result = await gateway.execute(`{ topics(after: "garbage") { totalCount } }`);
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    expect(result.errors![0]!.message).toMatch(/`after` is not a cursor/);
  });
});
