import { describe, expect, it } from 'vitest';
import { createTestDatabase } from './helpers/database.js';
import { insertTopic } from './helpers/fixtures.js';
import { createTestGateway, listen } from './helpers/gateway.js';

type Body = { data?: unknown; errors?: { message: string; extensions?: { code?: string; argument?: string } }[] };

/** Requests a hostile client sends, over real HTTP: each refused with a code, or answered harmlessly, and nothing written. */
describe('hostile requests', async () => {
  const db = await createTestDatabase();
  // Tokens high enough that the alias and depth rules are the ones that answer.
  const gateway = createTestGateway(db, { MAX_QUERY_TOKENS: '20000' });
  const { url } = await listen(gateway);
  const topicId = await insertTopic(db.pool, 'Target', { createdAt: '2026-01-01T00:00:00Z' });
  const written = async () =>
    (await db.pool.query(`SELECT (SELECT count(*) FROM analysis_periods) + (SELECT count(*) FROM temporal_events) + (SELECT count(*) FROM topics) AS n`)).rows[0].n;

  async function post(body: unknown): Promise<{ status: number; body: Body | Body[] }> {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Body };
  }
  const nested = (depth: number) => `{ ${'topics(first: 1) { edges { node { '.repeat(depth)}id${' } } }'.repeat(depth)} }`;
  const record = (summary: string) =>
    `mutation { recordAnalysisPeriod(input: { entityType: TOPIC, entityId: "${topicId}", summary: ${JSON.stringify(summary)}, periodEnd: "2026-01-02T00:00:00Z" }) { id } }`;

  it.each<[string, () => unknown, string, string?]>([
    ['depth 50', () => ({ query: nested(17) }), 'DEPTH_LIMIT_EXCEEDED'],
    ['1,000 aliases', () => ({ query: `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: __typename`).join(' ')} }` }), 'ALIAS_LIMIT_EXCEEDED'],
    ['a malformed UUID', () => ({ query: `{ topic(id: "1 OR 1=1") { name } }` }), 'BAD_USER_INPUT', 'id'],
    ['a malformed DateTime', () => ({ query: `query($id: ID!) { topic(id: $id) { periods(from: "yesterday") { totalCount } } }`, variables: { id: topicId } }), 'BAD_USER_INPUT'],
    ['a malformed DateTime variable', () => ({ query: `query($id: ID!, $at: DateTime) { topic(id: $id) { periods(asOf: $at) { totalCount } } }`, variables: { id: topicId, at: '2026-13-45T99:00:00Z' } }), 'BAD_USER_INPUT'],
    ['a negative first', () => ({ query: `{ topics(first: -1) { totalCount } }` }), 'BAD_USER_INPUT', 'first'],
    ['a huge first', () => ({ query: `{ topics(first: 1000000000) { totalCount } }` }), 'BAD_USER_INPUT', 'first'],
    ['a first past Int', () => ({ query: `query($n: Int) { topics(first: $n) { totalCount } }`, variables: { n: 2 ** 40 } }), 'BAD_USER_INPUT'],
    ['metrics that are not an object', () => ({ query: `mutation($id: ID!) { recordAnalysisPeriod(input: { entityType: TOPIC, entityId: $id, summary: "s", metrics: "{bad json", periodEnd: "2026-01-02T00:00:00Z" }) { id } }`, variables: { id: topicId } }), 'BAD_USER_INPUT'],
  ])('refuses %s with %s, writing nothing', async (_label, request, code, argument) => {
    const before = await written();
    const { body } = await post(request());
    const error = (body as Body).errors?.[0];
    expect(error?.extensions?.code).toBe(code);
    if (argument) expect(error?.extensions?.argument).toBe(argument);
    expect(JSON.stringify(body)).not.toMatch(/stack|at .*\.js:\d+|SELECT |INTERNAL_SERVER_ERROR/);
    expect(await written()).toBe(before);
  });

  it('refuses a body that is not JSON, and a batch of 100 operations, writing nothing', async () => {
    const before = await written();
    const broken = await post('{"query": "{ topics { totalCount } }"');
    expect(broken.status).toBe(400);
    const batch = await post(Array.from({ length: 100 }, (_, i) => ({ query: record(`batched ${i}`) })));
    expect(batch.status).toBeGreaterThanOrEqual(400);
    expect(batch.status).toBeLessThan(500);
    expect(await written()).toBe(before);
  });

  const INJECTIONS = [`'; DROP TABLE topics; --`, `" OR 1=1 --`, `x') OR ('1'='1`, `%' OR name LIKE '%`, `\\'); SELECT pg_sleep(5); --`];
  it.each(INJECTIONS)('treats %s as plain text in every string argument', async (text) => {
    const before = await written();
    const { body } = await post({
      query: `query($id: ID!, $s: String!) {
        topics(search: $s, status: $s) { totalCount }
        trackedUsers(search: $s, platform: $s, status: $s) { totalCount }
        topic(id: $id) {
          name
          events(eventType: $s) { totalCount }
          crawlEffectiveness(platform: "x", querySearch: $s) { totalCount }
          metricTrend(metric: $s) { periodNumber }
          anomalies(metric: $s) { periodNumber }
        }
      }`,
      variables: { id: topicId, s: text },
    });
    expect(body).toEqual({
      data: {
        topics: { totalCount: 0 },
        trackedUsers: { totalCount: 0 },
        topic: { name: 'Target', events: { totalCount: 0 }, crawlEffectiveness: { totalCount: 0 }, metricTrend: [], anomalies: [] },
      },
    });
    expect(await written()).toBe(before);
    // Recorded as a summary (a topic of its own), it is stored as it was sent.
    const own = await insertTopic(db.pool, `Injected ${INJECTIONS.indexOf(text)}`, { createdAt: '2026-01-01T00:00:00Z' });
    const { body: recorded } = await post({ query: record(text).replace(topicId, own) });
    const id = ((recorded as Body).data as { recordAnalysisPeriod: { id: string } }).recordAnalysisPeriod.id;
    expect((await db.pool.query(`SELECT summary FROM analysis_periods WHERE id = $1`, [id])).rows[0].summary).toBe(text);
  });

  it.each<[string, string, Record<string, unknown>, string]>([
    ['a relative window reaching before year 1', `query($id: ID!) { topic(id: $id) { eventStats(window: { last: "999999w" }) { opened } } }`, {}, 'window.last'],
    ['a NUL byte in status', `query($s: String) { topics(status: $s) { totalCount } }`, { s: 'a\u0000' }, 's'],
    ['a NUL byte in platform', `query($id: ID!) { topic(id: $id) { crawlEffectiveness(platform: "x\\u0000y") { totalCount } } }`, {}, 'platform'],
    ['a NUL byte in eventType', `query($id: ID!, $t: String) { topic(id: $id) { events(eventType: $t) { totalCount } } }`, { t: '\u0000' }, 't'],
    ['a NUL byte in a metric', `query($id: ID!) { topic(id: $id) { metricTrend(metric: "a\\u0000") { periodNumber } } }`, {}, 'metric'],
  ])('answers %s with BAD_USER_INPUT naming it, not an unexpected error', async (_label, query, variables, argument) => {
    const { body } = await post({ query, variables: { id: topicId, ...variables } });
    const error = (body as Body).errors?.[0];
    expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
  });

  it.each(['0000-06-01T00:00:00Z', '10000-01-01T00:00:00Z', '2026-02-30T00:00:00Z', '2026-03-01T10:00:00'])('refuses the DateTime %s as BAD_USER_INPUT', async (instant) => {
    const { body } = await post({ query: `query($id: ID!, $from: DateTime) { topic(id: $id) { periods(from: $from) { totalCount } } }`, variables: { id: topicId, from: instant } });
    expect((body as Body).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const literal = await post({ query: `query($id: ID!) { topic(id: $id) { periods(to: "${instant}") { totalCount } } }`, variables: { id: topicId } });
    expect((literal.body as Body).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('counts lists that are not paged by their limit: 30 aliases of every period’s overlapping events are refused before anything runs', async () => {
    const aliases = Array.from({ length: 30 }, (_, i) => `a${i}: topic(id: $id) { periods(first: 100) { edges { node { overlappingEvents { description metadata } } } } }`).join(' ');
    const { body } = await post({ query: `query($id: ID!) { ${aliases} }`, variables: { id: topicId } });
    expect((body as Body).errors?.[0]?.extensions?.code).toBe('COST_LIMIT_EXCEEDED');
    const { body: one } = await post({ query: `query($id: ID!) { topic(id: $id) { periods(first: 100) { edges { node { overlappingEvents(limit: 5) { description } } } } } }`, variables: { id: topicId } });
    expect((one as Body).errors).toBeUndefined();
  });
});
