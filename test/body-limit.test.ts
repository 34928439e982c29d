import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from './helpers/database.js';
import { insertTopic } from './helpers/fixtures.js';
import { createTestGateway, listen } from './helpers/gateway.js';

/** One POST over real HTTP; `chunked` sends the body without a Content-Length. */
function post(server: Server, body: string, { chunked = false } = {}): Promise<{ status: number; body: string }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', ...(chunked ? {} : { 'content-length': Buffer.byteLength(body) }) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve({ status: res.statusCode!, body: text }));
      },
    );
    req.on('error', reject);
    if (chunked) {
      req.write(body.slice(0, 10));
      req.end(body.slice(10));
    } else req.end(body);
  });
}

describe('request body limit (MAX_REQUEST_BODY_BYTES)', async () => {
  const db = await createTestDatabase();
  const gateway = createTestGateway(db, { MAX_REQUEST_BODY_BYTES: '65536' });
  const { server } = await listen(gateway);
  const topicId = await insertTopic(db.pool, 'Limited', { createdAt: '2026-01-01T00:00:00Z' });
  const periods = async () => (await db.pool.query(`SELECT count(*)::int AS n FROM analysis_periods WHERE entity_id = $1`, [topicId])).rows[0].n;
  const mutation = (summary: string) =>
    JSON.stringify({
      query: `mutation($id: ID!, $s: String!) { recordAnalysisPeriod(input: { entityType: TOPIC, entityId: $id, summary: $s, periodEnd: "2026-01-02T00:00:00Z" }) { id } }`,
      variables: { id: topicId, s: summary },
    });

  it('refuses a 5 MB body with 413 and REQUEST_ENTITY_TOO_LARGE, writing nothing', async () => {
    const response = await post(server, mutation('x'.repeat(5 * 1024 * 1024)));
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body).errors[0].extensions.code).toBe('REQUEST_ENTITY_TOO_LARGE');
    expect(await periods()).toBe(0);
  });

  it('refuses a body sent without Content-Length with 411, writing nothing', async () => {
    const response = await post(server, mutation('chunked'), { chunked: true });
    expect(response.status).toBe(411);
    expect(JSON.parse(response.body).errors[0].extensions.code).toBe('LENGTH_REQUIRED');
    expect(await periods()).toBe(0);
  });

  it('runs a body within the limit', async () => {
    const response = await post(server, mutation('x'.repeat(60_000)));
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body).errors).toBeUndefined();
    expect(await periods()).toBe(1);
  });
});
