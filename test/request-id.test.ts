import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createGateway } from '../src/server/gateway.js';
import { createGatewayServices } from '../src/services/gatewayServices.js';
import { createTestDatabase } from './helpers/database.js';
import { insertOrphanPeriod } from './helpers/fixtures.js';

describe('request ids', async () => {
  const db = await createTestDatabase();
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _encoding, done) => { lines.push(JSON.parse(String(chunk))); done(); } }));
  const config = loadConfig({ NODE_ENV: 'test', TREND_REFRESH_ENABLED: 'false' });
  const yoga = createGateway(createGatewayServices(config, db.pool, logger, db.url));
  const post = (query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) =>
    yoga.fetch('http://gateway.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });

  it('answers with the caller’s x-request-id, or a new one', async () => {
    const given = await post('{ topics(first: 1) { totalCount } }', {}, { 'x-request-id': 'client-42' });
    expect(given.headers.get('x-request-id')).toBe('client-42');
    const fresh = await post('{ topics(first: 1) { totalCount } }', {}, { 'x-request-id': 'not ok; drop table' });
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('puts it on an unexpected error and on the log line of its cause', async () => {
    const orphan = await insertOrphanPeriod(db.pool);
    const response = await post(`query($id: ID!) { period(id: $id) { entity { id } } }`, { id: orphan }, { 'x-request-id': 'trace-7' });
    const body = (await response.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors[0]).toMatchObject({ message: 'Unexpected error.', extensions: { requestId: 'trace-7' } });
    expect(lines.some((line) => line.requestId === 'trace-7' && line.level === 50)).toBe(true);
  });

  it('logs a domain error with its code at info, without a stack: the request is at fault, not the server', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const response = await post(`query($id: ID!) { comparePeriods(entityType: TOPIC, entityId: $id, from: 1, to: 2) { elapsedHours } }`, { id: missing }, { 'x-request-id': 'client-fault-1' });
    const body = (await response.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(body.errors[0]!.extensions.code).toBe('NOT_FOUND');
    const logged = lines.filter((line) => line.requestId === 'client-fault-1');
    expect(logged).toEqual([expect.objectContaining({ level: 30, code: 'NOT_FOUND', path: ['comparePeriods'], msg: expect.stringContaining('no active period') })]);
    expect(logged[0]).not.toHaveProperty('err');
  });
});
