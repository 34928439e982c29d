import { describe, expect, it } from 'vitest';
import { createTestDatabase } from './helpers/database.js';
import { insertTopic } from './helpers/fixtures.js';
import { createTestGateway } from './helpers/gateway.js';

const MUTATION = (topicId: string) =>
  `mutation { recordAnalysisPeriod(input: { entityType: TOPIC, entityId: "${topicId}", summary: "forged", periodEnd: "2026-01-02T00:00:00Z" }) { id } }`;

describe('requests a browser could be made to send from another site', async () => {
  const db = await createTestDatabase();
  const gateway = createTestGateway(db);
  const topicId = await insertTopic(db.pool, 'Target', { createdAt: '2026-01-01T00:00:00Z' });
  const periods = async () => (await db.pool.query(`SELECT count(*)::int AS n FROM analysis_periods WHERE entity_id = $1`, [topicId])).rows[0].n;

  it.each([
    ['a form-urlencoded mutation', () => ({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ query: MUTATION(topicId) }).toString() })],
    ['a multipart mutation', () => {
      const form = new FormData();
      form.append('operations', JSON.stringify({ query: MUTATION(topicId) }));
      form.append('map', '{}');
      return { headers: {}, body: form };
    }],
    ['a text/plain mutation', () => ({ headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: MUTATION(topicId) }) })],
  ])('refuses %s with 403, writing nothing', async (_label, make) => {
    const { headers, body } = make();
    const response = await gateway.yoga.fetch('http://gateway.test/graphql', { method: 'POST', headers: { origin: 'https://evil.example', ...headers }, body });
    expect(response.status).toBe(403);
    expect(await periods()).toBe(0);
  });

  it('runs a JSON mutation (which a browser preflights)', async () => {
    const response = await gateway.yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: MUTATION(topicId) }),
    });
    expect(response.status).toBe(200);
    expect(await periods()).toBe(1);
  });

  it('allows no foreign origin by default, and only the listed ones when configured', async () => {
    const preflight = (g: ReturnType<typeof createTestGateway>, origin: string) =>
      g.yoga.fetch('http://gateway.test/graphql', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const closed = await preflight(gateway, 'https://evil.example');
    expect(closed.headers.get('access-control-allow-origin')).toBeNull();
    const listed = createTestGateway(db, { CORS_ORIGINS: 'https://app.crosshot.example' });
    expect((await preflight(listed, 'https://app.crosshot.example')).headers.get('access-control-allow-origin')).toBe('https://app.crosshot.example');
    expect((await preflight(listed, 'https://evil.example')).headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
  });
});
