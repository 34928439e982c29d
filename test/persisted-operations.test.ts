import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config.js';
import { readPersistedOperations, sha256Hex } from '../src/server/admission/persisted.js';
import { createTestDatabase } from './helpers/database.js';
import { insertTopic } from './helpers/fixtures.js';
import { temporaryFile, temporaryFolder } from './helpers/files.js';
import { createTestGateway } from './helpers/gateway.js';

const TOPIC_NAME = 'query TopicName($id: ID!) { topic(id: $id) { name } }';

describe('persisted operations (PERSISTED_OPERATIONS_FILE)', async () => {
  const folder = temporaryFolder();
  const listFile = temporaryFile('operations.json', JSON.stringify({ [sha256Hex(TOPIC_NAME)]: TOPIC_NAME }), folder);
  const db = await createTestDatabase();
  const topicId = await insertTopic(db.pool, 'Listed', { createdAt: '2026-01-01T00:00:00Z' });
  const periods = async () => (await db.pool.query(`SELECT count(*)::int AS n FROM analysis_periods WHERE entity_id = $1`, [topicId])).rows[0].n;

  async function post(gateway: ReturnType<typeof createTestGateway>, body: Record<string, unknown>) {
    const response = await gateway.yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown>; errors?: { extensions?: { code?: string } }[] } };
  }
  const byHash = (hash: string) => ({ variables: { id: topicId }, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });

  it('with PERSISTED_OPERATIONS_ONLY, serves the listed operation by its hash and refuses any other document, writing nothing', async () => {
    const gateway = createTestGateway(db, { PERSISTED_OPERATIONS_FILE: listFile, PERSISTED_OPERATIONS_ONLY: 'true' });
    const listed = await post(gateway, byHash(sha256Hex(TOPIC_NAME)));
    expect(listed.body).toEqual({ data: { topic: { name: 'Listed' } } });
    const write = `mutation { recordAnalysisPeriod(input: { entityType: TOPIC, entityId: "${topicId}", summary: "s", periodEnd: "2026-01-02T00:00:00Z" }) { id } }`;
    const arbitrary = await post(gateway, { query: write });
    expect(arbitrary.status).toBe(403);
    expect(arbitrary.body.errors![0]!.extensions!.code).toBe('PERSISTED_QUERY_ONLY');
    expect(await periods()).toBe(0);
    const unknown = await post(gateway, byHash(sha256Hex('{ __typename }')));
    expect(unknown.body.errors![0]!.extensions!.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('without it, serves both the listed hashes and documents', async () => {
    const gateway = createTestGateway(db, { PERSISTED_OPERATIONS_FILE: listFile });
    expect((await post(gateway, byHash(sha256Hex(TOPIC_NAME)))).body).toEqual({ data: { topic: { name: 'Listed' } } });
    expect((await post(gateway, { query: TOPIC_NAME, variables: { id: topicId } })).body).toEqual({ data: { topic: { name: 'Listed' } } });
  });

  it('refuses at start a list whose key is not its document’s hash, and ONLY without a list', () => {
    const drifted = temporaryFile('drifted.json', JSON.stringify({ [sha256Hex('{ __typename }')]: TOPIC_NAME }), folder);
    expect(() => readPersistedOperations(drifted)).toThrow(ConfigError);
    expect(() => readPersistedOperations(drifted)).toThrow(/is not the sha256 of its document/);
    expect(() => createTestGateway(db, { PERSISTED_OPERATIONS_ONLY: 'true' })).toThrow(/needs PERSISTED_OPERATIONS_FILE/);
  });
});
