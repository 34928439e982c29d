import { SignJWT } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { createAuthenticator, mintToken, type Scope } from '../src/auth.js';
import { runDbCli } from '../src/cli/commands.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { createTestDatabase } from './helpers/database.js';
import { insertTopic } from './helpers/fixtures.js';
import { createTestGateway } from './helpers/gateway.js';

const SECRET = 'a-test-secret-of-at-least-32-characters!';

describe('authentication and scopes', async () => {
  const db = await createTestDatabase();
  const gateway = createTestGateway(db, { JWT_SECRET: SECRET });
  const topicId = await insertTopic(db.pool, 'Guarded', { createdAt: '2026-01-01T00:00:00Z' });
  const token = (...scopes: Scope[]) => mintToken(SECRET, { subject: 'tester', scopes, ttlSeconds: 600 });
  const periods = async () => (await db.pool.query(`SELECT count(*)::int AS n FROM analysis_periods WHERE entity_id = $1`, [topicId])).rows[0].n;

  async function call(query: string, bearer?: string, variables: Record<string, unknown> = {}) {
    const response = await gateway.yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown> | null; errors?: { message: string; extensions: Record<string, unknown> }[] } };
  }
  const READ = `query($id: ID!) { topic(id: $id) { name } }`;
  const WRITE = `mutation($id: ID!) { recordAnalysisPeriod(input: { entityType: TOPIC, entityId: $id, summary: "s", periodEnd: "2026-01-02T00:00:00Z" }) { periodNumber } }`;
  const ADMIN = `mutation { initializePeriodZero }`;

  it('refuses a query without a token as UNAUTHENTICATED', async () => {
    const { body } = await call(READ, undefined, { id: topicId });
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(body.errors![0]!.message).toMatch(/needs a bearer token/);
  });

  it('answers a query with the read scope, and refuses a write with it as FORBIDDEN naming the scope', async () => {
    const read = await call(READ, await token('read'), { id: topicId });
    expect(read.body).toEqual({ data: { topic: { name: 'Guarded' } } });
    const write = await call(WRITE, await token('read'), { id: topicId });
    expect(write.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'write' });
    expect(await periods()).toBe(0);
  });

  it('checks root fields reached through fragments too', async () => {
    const spread = `mutation($id: ID!) { ...Write } fragment Write on Mutation { recordAnalysisPeriod(input: { entityType: TOPIC, entityId: $id, summary: "s", periodEnd: "2026-01-02T00:00:00Z" }) { periodNumber } }`;
    const inline = `mutation($id: ID!) { ... on Mutation { recordAnalysisPeriod(input: { entityType: TOPIC, entityId: $id, summary: "s", periodEnd: "2026-01-02T00:00:00Z" }) { periodNumber } } }`;
    for (const query of [spread, inline]) {
      const result = await call(query, await token('read'), { id: topicId });
      expect(result.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'write' });
    }
    expect(await periods()).toBe(0);
  });

  it('runs a write with the write scope, and refuses an admin mutation with it', async () => {
    const write = await call(WRITE, await token('write'), { id: topicId });
    expect(write.body.errors).toBeUndefined();
    expect(await periods()).toBe(1);
    const admin = await call(ADMIN, await token('read', 'write'));
    expect(admin.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'admin' });
    expect((await call(ADMIN, await token('admin'))).body).toEqual({ data: { initializePeriodZero: 0 }, extensions: { consistencyToken: expect.stringMatching(/^[0-9A-F]+\/[0-9A-F]+$/) } });
  });

  it.each([
    ['an expired token', async () => new SignJWT({ scope: 'read' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(new TextEncoder().encode(SECRET)), /expired/],
    ['a token signed with another secret', async () => mintToken('another-secret-of-at-least-32-characters', { subject: 'x', scopes: ['read'], ttlSeconds: 600 }), /not valid/],
    ['an alg "none" token', async () => `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"scope":"read admin write"}').toString('base64url')}.`, /not valid/],
    ['a header that is not Bearer', async () => 'Basic', /must be "Bearer <token>"/],
  ])('refuses %s as UNAUTHENTICATED (401), writing nothing', async (_label, make, message) => {
    const bearer = await make();
    const response = await gateway.yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: bearer === 'Basic' ? 'Basic abc' : `Bearer ${bearer}` },
      body: JSON.stringify({ query: WRITE, variables: { id: topicId } }),
    });
    const body = (await response.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(response.status).toBe(401);
    expect(body.errors[0]!.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(body.errors[0]!.message).toMatch(message);
    expect(await periods()).toBe(1);
  });

  it('will not start in production without authentication, nor with a short secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/needs authentication: set JWT_SECRET \(HS256\), JWT_SECRET_FILE or JWKS_URL/);
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/at least 32 characters/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET }).auth.introspection).toBe(false);
  });

  it('answers no introspection in production unless INTROSPECTION=true', async () => {
    const production = createTestGateway(db, { NODE_ENV: 'production', JWT_SECRET: SECRET });
    const query = JSON.stringify({ query: '{ __schema { queryType { name } } }' });
    const ask = (g: ReturnType<typeof createTestGateway>) =>
      g.yoga.fetch('http://gateway.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: query });
    const bearer = await token('read');
    const closed = (await (await ask(production)).json()) as { errors?: { message: string }[] };
    expect(closed.errors?.[0]?.message).toMatch(/introspection/i);
    const opened = createTestGateway(db, { NODE_ENV: 'production', JWT_SECRET: SECRET, INTROSPECTION: 'true' });
    expect(await (await ask(opened)).json()).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it('mints a token for local use from the CLI, which the gateway accepts with its scopes', async () => {
    const printed: string[] = [];
    process.env.JWT_SECRET = SECRET;
    try {
      expect(await runDbCli(['mint-token', '--scope', 'read write', '--sub', 'analyst'], (line) => printed.push(line))).toBe(0);
      expect(await runDbCli(['mint-token', '--scope', 'root'], (line) => printed.push(line))).toBe(1);
    } finally {
      delete process.env.JWT_SECRET;
    }
    expect(printed).toHaveLength(1);
    const caller = await createAuthenticator({ jwtSecret: SECRET, jwksUrl: undefined, introspection: true, maxTokenLifetimeSeconds: 3600 })(`Bearer ${printed[0]}`);
    expect(caller).toMatchObject({ subject: 'analyst', authenticated: true });
    expect([...caller.scopes].sort()).toEqual(['read', 'write']);
  });

  it('stops accepting a token once it expires, although it was accepted (and remembered) before', async () => {
    const shortLived = await mintToken(SECRET, { subject: 'brief', scopes: ['read'], ttlSeconds: 2 });
    expect((await call(READ, shortLived, { id: topicId })).body.errors).toBeUndefined();
    // 3.1 s later, on the gateway's clock (only Date is faked: timers and I/O run as ever).
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 3_100 });
    try {
      const late = await call(READ, shortLived, { id: topicId });
      expect(late.status).toBe(401);
      expect(late.body.errors![0]!.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    } finally {
      vi.useRealTimers();
    }
  });
});
