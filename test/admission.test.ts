import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { mintToken } from '../src/auth.js';
import { sha256Hex } from '../src/server/admission/persisted.js';
import { createTestDatabase } from './helpers/database.js';
import { hoursAfter, insertPeriod, insertTopic } from './helpers/fixtures.js';
import { createTestGateway, listen } from './helpers/gateway.js';
import { temporaryFile } from './helpers/files.js';
import { subscribeSse, waitFor } from './helpers/subscriptions.js';
import { send, TRANSPORTS, webSocketClient, type Outcome, type Transport } from './helpers/transports.js';

const SECRET = 'an-admission-test-secret-of-32-chars!!';
const READ = `query Read($id: ID!) { topic(id: $id) { name } }`;
const PERIODS = `subscription Periods($id: ID) { periodCreated(entityId: $id) { id periodNumber } }`;

/**
 * Every admission rule holds on every transport (HTTP POST, HTTP GET, server-sent events,
 * WebSocket): each row of the table is one rule, each column one transport, against a gateway
 * configured as in production (authentication on, introspection off).
 */
describe('one admission path for every transport', async () => {
  const db = await createTestDatabase();
  const secured = createTestGateway(db, {
    JWT_SECRET: SECRET,
    INTROSPECTION: 'false',
    CORS_ORIGINS: 'https://app.example,https://other.example',
    MAX_REQUEST_BODY_BYTES: '16384',
    CLIENT_MAX_SUBSCRIPTIONS: '3',
  });
  const { url } = await listen(secured);
  const topicId = await insertTopic(db.pool, 'Admitted', { createdAt: '2026-01-01T00:00:00Z' });
  const reader = await mintToken(SECRET, { subject: 'reader', scopes: ['read'], ttlSeconds: 600 });
  const writer = await mintToken(SECRET, { subject: 'writer', scopes: ['read', 'write'], ttlSeconds: 600 });
  const written = async () => (await db.pool.query(`SELECT count(*)::int AS n FROM analysis_periods`)).rows[0].n as number;
  const WRITE = `mutation { recordAnalysisPeriod(input: { entityType: TOPIC, entityId: "${topicId}", summary: "s", periodEnd: "2026-01-02T00:00:00Z" }) { id } }`;

  /** A refusal over `transport`: the code expected, or (WebSocket) the connection closed before anything ran. */
  const refused = (outcome: Outcome, code: string, transport: Transport, { closesWebSocket = false } = {}) => {
    if (transport === 'WS' && closesWebSocket) expect(outcome.code).toMatch(/^CLOSED_/);
    else expect(outcome.code).toBe(code);
    expect(outcome.data ?? null).toBeNull();
  };

  it.each(TRANSPORTS)('%s: no token → UNAUTHENTICATED (a WebSocket is closed with 4403 at connection_init)', async (transport) => {
    const outcome = await send(url, transport, { query: READ, variables: { id: topicId } });
    refused(outcome, 'UNAUTHENTICATED', transport, { closesWebSocket: true });
    if (transport === 'WS') expect(outcome.closeCode).toBe(4403);
  });

  it.each(TRANSPORTS)('%s: introspection with a valid token → INTROSPECTION_DISABLED', async (transport) => {
    refused(await send(url, transport, { query: `{ __schema { types { name } } }` }, { token: reader }), 'INTROSPECTION_DISABLED', transport);
  });

  it.each(TRANSPORTS)('%s: a page of another origin → ORIGIN_NOT_ALLOWED before anything runs', async (transport) => {
    const before = await written();
    const outcome = await send(url, transport, { query: WRITE }, { token: writer, origin: 'https://evil.example' });
    refused(outcome, 'ORIGIN_NOT_ALLOWED', transport, { closesWebSocket: true });
    if (transport !== 'WS') expect(outcome.status).toBe(403);
    expect(await written()).toBe(before);
  });

  it.each(TRANSPORTS)('%s: this server’s own page and a listed origin are served', async (transport) => {
    const own = new URL(url).origin;
    for (const origin of [own, 'https://app.example']) {
      const outcome = await send(url, transport, { query: READ, variables: { id: topicId } }, { token: reader, origin });
      expect(outcome).toMatchObject({ code: null, data: { topic: { name: 'Admitted' } } });
    }
  });

  it.each(TRANSPORTS)('%s: a write with the read scope → FORBIDDEN (over GET: no mutation at all), writing nothing', async (transport) => {
    const before = await written();
    const outcome = await send(url, transport, { query: WRITE }, { token: reader });
    if (transport === 'GET') expect(outcome.status).toBe(405);
    else refused(outcome, 'FORBIDDEN', transport);
    expect(await written()).toBe(before);
  });

  const deep = `{ ${'topics(first: 1) { edges { node { '.repeat(5)}id${' } } }'.repeat(5)} }`;
  it.each(TRANSPORTS)('%s: depth over MAX_QUERY_DEPTH → DEPTH_LIMIT_EXCEEDED', async (transport) => {
    refused(await send(url, transport, { query: deep }, { token: reader }), 'DEPTH_LIMIT_EXCEEDED', transport);
  });

  it.each(TRANSPORTS)('%s: a syntax error → GRAPHQL_PARSE_FAILED', async (transport) => {
    refused(await send(url, transport, { query: `{ topics( }` }, { token: reader }), 'GRAPHQL_PARSE_FAILED', transport);
  });

  it.each(TRANSPORTS)('%s: a NUL character in an argument → BAD_USER_INPUT naming it', async (transport) => {
    const outcome = await send(url, transport, { query: `query($s: String) { topics(status: $s) { totalCount } }`, variables: { s: 'a\u0000b' } }, { token: reader });
    refused(outcome, 'BAD_USER_INPUT', transport);
    expect(outcome.errors![0]!.extensions!.argument).toBe('s');
  });

  // The variables' defaults are what the operation runs with: they count.
  const defaults = `query($a: Int = 100, $b: Int = 100, $c: Int = 100) {
    topics(first: $a) { edges { node { periods(first: $b) { edges { node { contents(first: $c) { edges { node { textSnapshot } } } } } } } } }
  }`;
  it.each(TRANSPORTS)('%s: a cost over MAX_QUERY_COST from the variables’ defaults → COST_LIMIT_EXCEEDED', async (transport) => {
    refused(await send(url, transport, { query: defaults, variables: {} }, { token: reader }), 'COST_LIMIT_EXCEEDED', transport);
  });

  it.each(['SSE', 'WS'] as const)('%s: a subscription whose every delivery would cost more than MAX_QUERY_COST → COST_LIMIT_EXCEEDED', async (transport) => {
    const heavy = `subscription { periodCreated { ${Array.from({ length: 25 }, (_, i) => `a${i}: overlappingEvents(limit: 1000) { id title description metadata entity { name } }`).join(' ')} } }`;
    refused(await send(url, transport, { query: heavy }, { token: reader }), 'COST_LIMIT_EXCEEDED', transport);
    expect(secured.changeFeed.subscriberCount).toBe(0);
  });

  it.each(['POST', 'SSE', 'WS'] as const)('%s: a message over MAX_REQUEST_BODY_BYTES is refused unread (413; a WebSocket is closed with 1009)', async (transport) => {
    const outcome = await send(url, transport, { query: `{ __typename }`, variables: { padding: 'x'.repeat(20_000) } }, { token: reader });
    if (transport === 'WS') expect(outcome.closeCode).toBe(1009);
    else expect(outcome).toMatchObject({ status: 413, code: 'REQUEST_ENTITY_TOO_LARGE' });
  });

  it('WebSocket: one operation’s failure (syntax, limits, an expired token) ends that operation only; the connection and its subscriptions carry on', async () => {
    const shortLived = await mintToken(SECRET, { subject: 'brief', scopes: ['read'], ttlSeconds: 2 });
    let closed: number | null = null;
    const client = webSocketClient(url, { token: shortLived, keepOpen: true }, (code) => (closed = code));
    const results: unknown[] = [];
    const errors: unknown[] = [];
    client.subscribe({ query: PERIODS, variables: { id: topicId } }, { next: (value) => void results.push(value), error: (error) => void errors.push(error), complete: () => undefined });
    await waitFor('the subscription', () => (secured.changeFeed.subscriberCount === 1 ? true : undefined), 5_000);
    const once = (query: string) =>
      new Promise<unknown>((resolve) => client.subscribe({ query }, { next: resolve, error: resolve, complete: () => undefined }));
    expect(JSON.stringify(await once('{ topics( }'))).toContain('GRAPHQL_PARSE_FAILED');
    expect(JSON.stringify(await once(deep))).toContain('DEPTH_LIMIT_EXCEEDED');
    await insertPeriod(db.pool, { entityId: topicId, number: 1, start: hoursAfter(0), end: hoursAfter(24) });
    await waitFor('the delivery', () => (results.length === 1 ? true : undefined), 5_000);
    // The token expires: the subscription ends with UNAUTHENTICATED (its last result), a new operation is refused alike, and the connection stays.
    await waitFor('the expiry', () => (results.length === 2 ? true : undefined), 5_000);
    expect(JSON.stringify(results[1])).toContain('UNAUTHENTICATED');
    expect(errors).toEqual([]);
    expect(JSON.stringify(await once(`{ __typename }`))).toContain('UNAUTHENTICATED');
    expect(closed).toBeNull();
    await client.dispose();
  }, 15_000);

  it('a WebSocket upgrade from another origin is answered 403 without switching protocols', async () => {
    const status = await new Promise<number>((resolve) => {
      const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers: { origin: 'https://evil.example' } });
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.on('open', () => resolve(101));
      socket.on('error', () => undefined);
    });
    expect(status).toBe(403);
  });

  it('counts open subscriptions per client across transports (CLIENT_MAX_SUBSCRIPTIONS), and frees a place when one ends', async () => {
    const headers = { authorization: `Bearer ${reader}` };
    const streams = [await subscribeSse(url, PERIODS, { id: topicId }, headers), await subscribeSse(url, PERIODS, { id: topicId }, headers)];
    const ws = webSocketClient(url, { token: reader });
    ws.subscribe({ query: PERIODS, variables: { id: topicId } }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    await waitFor('three subscriptions', () => (secured.changeFeed.subscriberCount === 3 ? true : undefined), 5_000);
    for (const transport of ['SSE', 'WS'] as const) {
      const fourth = await send(url, transport, { query: PERIODS, variables: { id: topicId } }, { token: reader });
      expect(fourth.code).toBe('RATE_LIMITED');
    }
    // Another client is not concerned.
    const other = await mintToken(SECRET, { subject: 'someone-else', scopes: ['read'], ttlSeconds: 600 });
    const theirs = await subscribeSse(url, PERIODS, { id: topicId }, { authorization: `Bearer ${other}` });
    await waitFor('their subscription', () => (secured.changeFeed.subscriberCount === 4 ? true : undefined), 5_000);
    streams[0]!.close();
    await waitFor('a freed place', () => (secured.changeFeed.subscriberCount === 3 ? true : undefined), 5_000);
    const again = await subscribeSse(url, PERIODS, { id: topicId }, headers);
    await waitFor('the new subscription', () => (secured.changeFeed.subscriberCount === 4 ? true : undefined), 5_000);
    for (const stream of [again, streams[1]!, theirs]) stream.close();
    await ws.dispose();
    await waitFor('everyone to leave', () => (secured.changeFeed.subscriberCount === 0 ? true : undefined), 5_000);
  });

  it('refuses a token without exp or iat, and one issued longer ago than JWT_MAX_LIFETIME_SECONDS; bounds one whose exp lies far ahead', async () => {
    const key = new TextEncoder().encode(SECRET);
    const forever = await new SignJWT({ scope: 'read' }).setProtectedHeader({ alg: 'HS256' }).setSubject('forever').sign(key);
    const old = await new SignJWT({ scope: 'read' }).setProtectedHeader({ alg: 'HS256' }).setSubject('old').setIssuedAt(Math.floor(Date.now() / 1000) - 2 * 86_400).sign(key);
    const farNoIat = await new SignJWT({ scope: 'read' }).setProtectedHeader({ alg: 'HS256' }).setSubject('far').setExpirationTime('400d').sign(key);
    for (const token of [forever, old, farNoIat]) {
      const outcome = await send(url, 'POST', { query: READ, variables: { id: topicId } }, { token });
      expect(outcome.code).toBe('UNAUTHENTICATED');
    }
    const farWithIat = await new SignJWT({ scope: 'read' }).setProtectedHeader({ alg: 'HS256' }).setSubject('far').setIssuedAt().setExpirationTime('400d').sign(key);
    const caller = await secured.services.authenticate(`Bearer ${farWithIat}`);
    expect(caller.expiresAt! - Date.now()).toBeLessThanOrEqual(86_400_000);
  });
});

describe('persisted operations only, on every transport', async () => {
  const db = await createTestDatabase();
  const listed = `query Listed($id: ID!) { topic(id: $id) { name } }`;
  const file = temporaryFile('operations.json', JSON.stringify({ [sha256Hex(listed)]: listed }));
  const gateway = createTestGateway(db, { JWT_SECRET: SECRET, PERSISTED_OPERATIONS_FILE: file, PERSISTED_OPERATIONS_ONLY: 'true' });
  const { url } = await listen(gateway);
  const topicId = await insertTopic(db.pool, 'Listed topic', { createdAt: '2026-01-01T00:00:00Z' });
  const token = await mintToken(SECRET, { subject: 'admin', scopes: ['read', 'write', 'admin'], ttlSeconds: 600 });

  it.each(TRANSPORTS)('%s: any document → PERSISTED_QUERY_ONLY, an admin mutation included; a listed hash runs', async (transport) => {
    const arbitrary = await send(url, transport, { query: `mutation { initializePeriodZero }` }, { token });
    expect(arbitrary.code).toBe(transport === 'GET' ? arbitrary.code : 'PERSISTED_QUERY_ONLY');
    if (transport === 'GET') expect(['PERSISTED_QUERY_ONLY', 'HTTP_405']).toContain(arbitrary.code);
    expect(arbitrary.data ?? null).toBeNull();
    const byHash = await send(url, transport, { variables: { id: topicId }, extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(listed) } } }, { token });
    expect(byHash).toMatchObject({ code: null, data: { topic: { name: 'Listed topic' } } });
  });
});

describe('a subscription long-lived tokens cannot break', async () => {
  const db = await createTestDatabase();
  // Tokens may live 60 days here: one expiring in 30 (past a Node timer's 24.8 days) must not end at once.
  const gateway = createTestGateway(db, { JWT_SECRET: SECRET, JWT_MAX_LIFETIME_SECONDS: String(60 * 86_400) });
  const { url } = await listen(gateway);
  const topicId = await insertTopic(db.pool, 'Long lived', { createdAt: '2026-01-01T00:00:00Z' });

  it('keeps delivering with a token that expires in 30 days, and the gauge returns to 0 when it ends', async () => {
    const token = await mintToken(SECRET, { subject: 'patient', scopes: ['read'], ttlSeconds: 30 * 86_400 });
    const stream = await subscribeSse(url, PERIODS, { id: topicId }, { authorization: `Bearer ${token}` });
    await waitFor('the subscription', () => (gateway.changeFeed.subscriberCount === 1 ? true : undefined), 5_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await insertPeriod(db.pool, { entityId: topicId, number: 1, start: hoursAfter(0), end: hoursAfter(24) });
    const [event] = await stream.received(1);
    expect(event!.data!.data!.periodCreated.periodNumber).toBe(1);
    stream.close();
    await waitFor('the gauge back at 0', () => (gateway.changeFeed.subscriberCount === 0 ? true : undefined), 5_000);
  });
});
