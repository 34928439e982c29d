import { describe, expect, it } from 'vitest';
import { recordStatements } from './helpers/database.js';
import { demoGateway } from './helpers/demo.js';
import { insertOrphanPeriod } from './helpers/fixtures.js';

describe('entities over GraphQL', async () => {
  const { db, gateway, entityId } = await demoGateway();
  const topicId = await entityId('AI regulation');
  const userId = await entityId('Dana Reyes', 'users');

  it('looks a topic up by id, with its Entity fields', async () => {
    const { data, errors } = await gateway.execute<{ topic: Record<string, unknown> }>(
      `query($id: ID!) { topic(id: $id) { id name entityType currentPeriodNumber totalPeriods keywords lastPeriod { periodNumber } } }`,
      { id: topicId },
    );
    expect(errors).toBeUndefined();
    const row = (await db.pool.query(`SELECT * FROM topics WHERE id = $1`, [topicId])).rows[0];
    const last = (await db.pool.query(`SELECT period_number FROM analysis_periods WHERE id = $1`, [row.last_period_id])).rows[0];
    expect(data!.topic).toEqual({
      id: topicId,
      name: row.name,
      entityType: 'TOPIC',
      currentPeriodNumber: row.current_period_number,
      totalPeriods: row.total_periods,
      keywords: row.keywords,
      lastPeriod: { periodNumber: last.period_number },
    });
  });

  it('answers null for an unknown id, and BAD_USER_INPUT naming the argument for a malformed one, without running SQL', async () => {
    const unknown = await gateway.execute(`{ topic(id: "00000000-0000-4000-8000-000000000000") { id } }`);
    expect(unknown).toEqual({ data: { topic: null } });

    const { result, statements } = await recordStatements(db.pool, () => gateway.execute(`{ topic(id: "not-a-uuid") { id } }`));
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'id' });
    expect(result.errors![0]!.message).toMatch(/`id` must be a UUID/);
    expect(JSON.stringify(result)).not.toMatch(/at .*\.ts:\d+|SELECT/);
    expect(statements).toEqual([]);
  });

  it('pages through topics in list order, with stable cursors and a total count', async () => {
    const expected = (await db.pool.query(`SELECT id FROM topics ORDER BY is_pinned DESC, position, name, id`)).rows.map((r) => r.id);
    const first = await gateway.execute<{ topics: { totalCount: number; pageInfo: { endCursor: string; hasNextPage: boolean }; edges: { node: { id: string } }[] } }>(
      `{ topics(first: 4) { totalCount pageInfo { endCursor hasNextPage } edges { node { id } } } }`,
    );
    const second = await gateway.execute<{ topics: { pageInfo: { hasNextPage: boolean }; edges: { node: { id: string } }[] } }>(
      `query($after: String) { topics(first: 4, after: $after) { pageInfo { hasNextPage } edges { node { id } } } }`,
      { after: first.data!.topics.pageInfo.endCursor },
    );
    expect(first.data!.topics.totalCount).toBe(expected.length);
    expect(first.data!.topics.pageInfo.hasNextPage).toBe(true);
    expect([...first.data!.topics.edges, ...second.data!.topics.edges].map((e) => e.node.id)).toEqual(expected);
    expect(second.data!.topics.pageInfo.hasNextPage).toBe(false);
  });

  it('pages forwards and backwards across the pinned ones, each page in list order', async () => {
    // Two pinned topics with equal positions, so the keyset crosses is_pinned and ties on position.
    await db.pool.query(`UPDATE topics SET is_pinned = true, position = 1 WHERE id IN (SELECT id FROM topics ORDER BY name DESC LIMIT 2)`);
    const expected = (await db.pool.query(`SELECT id FROM topics ORDER BY is_pinned DESC, position, name, id`)).rows.map((r) => r.id);
    type Page = { topics: { pageInfo: { startCursor: string; endCursor: string; hasNextPage: boolean; hasPreviousPage: boolean }; edges: { node: { id: string } }[] } };
    const pageInfo = 'pageInfo { startCursor endCursor hasNextPage hasPreviousPage } edges { node { id } }';
    const forward: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 20; guard++) {
      const page: Page = (await gateway.execute<Page>(`query($after: String) { topics(first: 3, after: $after) { ${pageInfo} } }`, { after })).data!;
      forward.push(...page.topics.edges.map((e) => e.node.id));
      expect(page.topics.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!page.topics.pageInfo.hasNextPage) break;
      after = page.topics.pageInfo.endCursor;
    }
    expect(forward).toEqual(expected);
    const backward: string[][] = [];
    let before: string | null = null;
    for (let guard = 0; guard < 20; guard++) {
      const page: Page = (await gateway.execute<Page>(`query($before: String) { topics(last: 3, before: $before) { ${pageInfo} } }`, { before })).data!;
      backward.unshift(page.topics.edges.map((e) => e.node.id));
      expect(page.topics.pageInfo.hasNextPage).toBe(before !== null);
      if (!page.topics.pageInfo.hasPreviousPage) break;
      before = page.topics.pageInfo.startCursor;
    }
    expect(backward.flat()).toEqual(expected);
    expect(backward.at(-1)).toEqual(expected.slice(-3));
    const both = await gateway.execute(`{ topics(first: 2, last: 2) { edges { node { id } } } }`);
    expect(both.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'last' });
  });

  it('filters topics by name and users by platform', async () => {
    const search = await gateway.execute<{ topics: { totalCount: number; edges: { node: { name: string } }[] } }>(
      `{ topics(search: "CLIMATE") { totalCount edges { node { name } } } }`,
    );
    expect(search.data!.topics.edges.map((e) => e.node.name)).toEqual(['Climate summit']);
    const users = await gateway.execute<{ trackedUsers: { totalCount: number } }>(`{ trackedUsers(platform: "x") { totalCount } }`);
    expect(users.data!.trackedUsers.totalCount).toBe(4);
    const none = await gateway.execute<{ trackedUsers: { totalCount: number; edges: unknown[] } }>(
      `{ trackedUsers(platform: "tiktok") { totalCount edges { cursor } } }`,
    );
    expect(none.data!.trackedUsers).toEqual({ totalCount: 0, edges: [] });
  });

  it('rejects page sizes above the limit or below zero', async () => {
    for (const [first, pattern] of [[101, /at most 100/], [-1, /non-negative|must not be negative/]] as const) {
      const result = await gateway.execute(`query($first: Int) { topics(first: $first) { edges { cursor } } }`, { first });
      expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
      expect(result.errors![0]!.message).toMatch(pattern);
    }
    const nested = await gateway.execute(`query($id: ID!) { topic(id: $id) { periods(first: 500) { totalCount } } }`, { id: topicId });
    expect(nested.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
  });

  it('resolves entity(type, id) to the right implementation, and null for the wrong type', async () => {
    const user = await gateway.execute<{ entity: Record<string, unknown> }>(
      `query($id: ID!) { entity(type: USER, id: $id) { __typename id entityType name ... on TrackedUser { username platform } } }`,
      { id: userId },
    );
    expect(user.data!.entity).toEqual({ __typename: 'TrackedUser', id: userId, entityType: 'USER', name: 'Dana Reyes', username: 'danareyes', platform: 'x' });
    const wrongType = await gateway.execute(`query($id: ID!) { entity(type: TOPIC, id: $id) { id } }`, { id: userId });
    expect(wrongType).toEqual({ data: { entity: null } });
  });

  it('reports a malformed DateTime argument as BAD_USER_INPUT', async () => {
    const result = await gateway.execute(`query($id: ID!, $from: DateTime) { topic(id: $id) { periods(from: $from) { totalCount } } }`, {
      id: topicId,
      from: 'yesterday',
    });
    expect(result.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors![0]!.message).toMatch(/\$from/);
  });

  it('rejects operations over the depth and alias limits with their own codes, before running SQL', async () => {
    const deep = `{ topics { edges { node { periods { edges { node { previous { previous { previous { previous { previous { previous { previous { id } } } } } } } } } } } } } }`;
    const { result, statements } = await recordStatements(db.pool, () => gateway.execute(deep));
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'DEPTH_LIMIT_EXCEEDED' });
    expect(statements).toEqual([]);
    const aliases = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: topics(first: 1) { totalCount }`).join(' ')} }`;
    const many = await gateway.execute(aliases);
    expect(many.errors![0]!.extensions).toMatchObject({ code: 'ALIAS_LIMIT_EXCEEDED' });
    const costly = await gateway.execute(
      `{ topics(first: 100) { edges { node { periods(first: 100) { edges { node { contents(first: 100) { edges { node { textSnapshot } } } } } } } } } }`,
    );
    expect(costly.errors![0]!.extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED' });
  });

  it('masks unexpected failures: no message internals, no stack', async () => {
    const orphan = await insertOrphanPeriod(db.pool);
    const result = await gateway.execute(`query($id: ID!) { period(id: $id) { summary entity { id } } }`, { id: orphan });
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.message).toBe('Unexpected error.');
    expect(JSON.stringify(result.errors)).not.toMatch(/stack|does not exist|\.ts/);
  });
});
