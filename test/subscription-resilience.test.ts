import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { mintToken } from '../src/auth.js';
import { createTestDatabase } from './helpers/database.js';
import { hoursAfter, insertTopic } from './helpers/fixtures.js';
import { createTestGateway, listen } from './helpers/gateway.js';
import { freePort, relay } from './helpers/server.js';
import { subscribeSse, subscribeWebSocket, waitFor } from './helpers/subscriptions.js';

const ANALYST_PERIOD = `INSERT INTO analysis_periods (entity_type, entity_id, period_number, period_start, period_end, duration_hours, summary)
  VALUES ('topic', $1, $2, $3, $4, 24, $5) RETURNING id`;
const PERIODS = `subscription($id: ID) { periodCreated(entityId: $id) { id summary } }`;
const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';

describe('subscriptions through outages, restarts and many clients', async () => {
  const db = await createTestDatabase();
  const numbers = new Map<string, number>();
  async function analystPeriod(topicId: string, summary: string): Promise<string> {
    const n = (numbers.get(topicId) ?? 0) + 1;
    numbers.set(topicId, n);
    const { rows } = await db.pool.query(ANALYST_PERIOD, [topicId, n, hoursAfter(24 * (n - 1)), hoursAfter(24 * n), summary]);
    return rows[0].id;
  }

  it('delivers what was committed while its connection to the database was down, and right after', async () => {
    // The reader reaches the database through a relay that can be cut, as a restart or a network cut does.
    const relayPort = await freePort();
    const target = new URL(db.url);
    const database = relay(target, relayPort);
    await database.up();
    afterAll(() => database.down());
    const viaRelay = new URL(db.url);
    viaRelay.hostname = '127.0.0.1';
    viaRelay.port = String(relayPort);
    const gateway = createTestGateway({ ...db, url: viaRelay.toString() }, { CHANGE_FEED_POLL_INTERVAL_MS: '100' });
    const { url } = await listen(gateway);
    const topicId = await insertTopic(db.pool, 'Outage');
    const stream = await subscribeSse(url, PERIODS, { id: topicId });
    const before = await analystPeriod(topicId, 'before');
    await stream.received(1);

    await database.down();
    await waitFor('the reader to notice', () => (gateway.changeFeed.connected ? undefined : true), 5_000);
    const during = [await analystPeriod(topicId, 'during 1'), await analystPeriod(topicId, 'during 2')];
    await database.up();
    const after = await analystPeriod(topicId, 'right after');
    const events = await stream.received(4, 15_000);
    expect(events.map((e) => e.data!.data!.periodCreated.id)).toEqual([before, ...during, after]);
    stream.close();
  }, 30_000);

  it('delivers every period of concurrent writers, though only the first writer of each 10 ms sends a wake-up', async () => {
    const gateway = createTestGateway(db, { CHANGE_FEED_POLL_INTERVAL_MS: '60000' });
    const { url } = await listen(gateway);
    const stream = await subscribeSse(url, PERIODS, {});
    const topics = [await insertTopic(db.pool, 'W1'), await insertTopic(db.pool, 'W2'), await insertTopic(db.pool, 'W3'), await insertTopic(db.pool, 'W4')];
    const writers = await Promise.all(topics.map(async () => {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      return client;
    }));
    const written: string[] = [];
    await Promise.all(writers.map(async (client, w) => {
      for (let n = 1; n <= 25; n++) {
        const { rows } = await client.query(ANALYST_PERIOD, [topics[w], n, hoursAfter(24 * (n - 1)), hoursAfter(24 * n), `w${w} ${n}`]);
        written.push(rows[0].id);
      }
    }));
    await Promise.all(writers.map((client) => client.end()));
    // The poll is a minute away: what arrives, arrives on wake-ups and their follow-up reads.
    const events = await stream.received(100, 10_000);
    expect(new Set(events.map((e) => e.data!.data!.periodCreated.id))).toEqual(new Set(written));
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM change_feed WHERE kind = 'period_created'`);
    expect(rows[0].n).toBeGreaterThanOrEqual(100);
    stream.close();
  });

  it('takes the changes of a writer that has no privilege on the feed', async () => {
    const gateway = createTestGateway(db);
    const { url } = await listen(gateway);
    const topicId = await insertTopic(db.pool, 'Restricted writer');
    const role = `analyst_${Math.random().toString(36).slice(2, 8)}`;
    // A password, for servers that ask for one (the embedded one uses scram-sha-256).
    await db.pool.query(`CREATE ROLE ${role} LOGIN PASSWORD 'analyst-password'`);
    await db.pool.query(`GRANT SELECT, INSERT, UPDATE ON analysis_periods, topics, users TO ${role}`);
    const stream = await subscribeSse(url, PERIODS, { id: topicId });
    const asAnalyst = new URL(db.url);
    asAnalyst.username = role;
    asAnalyst.password = 'analyst-password';
    const analyst = new pg.Client({ connectionString: asAnalyst.toString() });
    await analyst.connect();
    try {
      const { rows } = await analyst.query(ANALYST_PERIOD, [topicId, 1, hoursAfter(0), hoursAfter(24), 'restricted']);
      expect((await stream.received(1))[0]!.data!.data!.periodCreated.id).toBe(rows[0].id);
    } finally {
      await analyst.end();
      await db.pool.query(`DROP OWNED BY ${role}`);
      await db.pool.query(`DROP ROLE ${role}`);
      stream.close();
    }
  });

  it('releases everything a client held: 1,000 subscribe/disconnect cycles leave no subscriber and no heap behind', async () => {
    const gateway = createTestGateway(db);
    const { url } = await listen(gateway);
    const topicId = await insertTopic(db.pool, 'Hygiene');
    const cycle = async (count: number) => {
      for (let i = 0; i < count; i += 50) {
        const streams = await Promise.all(Array.from({ length: 50 }, () => subscribeSse(url, PERIODS, { id: topicId })));
        for (const stream of streams) stream.close();
      }
      await waitFor('every subscriber to leave', () => (gateway.changeFeed.subscriberCount === 0 ? true : undefined), 10_000);
    };
    // A full collection before each reading, so that only what is still referenced counts.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heap = () => {
      gc();
      gc();
      return process.memoryUsage().heapUsed;
    };
    await cycle(200); // warm-up: code, caches and pools reach their working size
    const baseline = heap();
    await cycle(1_000);
    expect(gateway.changeFeed.subscriberCount).toBe(0);
    // A subscription holds a context, loaders, a stream and a queue: a leak of 1,000 of them is
    // tens of megabytes.
    expect(heap() - baseline).toBeLessThan(4 * 1024 * 1024);
    // And the feed still delivers.
    const stream = await subscribeSse(url, PERIODS, { id: topicId });
    const id = await analystPeriod(topicId, 'still delivering');
    expect((await stream.received(1))[0]!.data!.data!.periodCreated.id).toBe(id);
    stream.close();
  }, 120_000);

  it('completes open subscriptions when the instance stops', async () => {
    const gateway = createTestGateway(db);
    const { url } = await listen(gateway);
    const stream = await subscribeSse(url, PERIODS, {});
    const ws = subscribeWebSocket(url, PERIODS, {});
    await waitFor('both subscribers', () => (gateway.changeFeed.subscriberCount === 2 ? true : undefined), 5_000);
    await gateway.changeFeed.stop();
    await waitFor('the SSE stream to complete', () => (stream.events.some((e) => e.event === 'complete') ? true : undefined), 5_000);
    expect(gateway.changeFeed.subscriberCount).toBe(0);
    await ws.close();
  });

  it('checks the token at connect and ends a subscription when its token expires', async () => {
    const gateway = createTestGateway(db, { JWT_SECRET: SECRET });
    const { url } = await listen(gateway);
    const refused = subscribeWebSocket(url, PERIODS, {}, { authorization: 'Bearer not-a-token' });
    await waitFor('the connection to be refused', () => (refused.failure ? true : undefined), 5_000);
    expect((refused.failure as { code?: number }).code).toBe(4403);

    const shortLived = await mintToken(SECRET, { subject: 'viewer', scopes: ['read'], ttlSeconds: 2 });
    const topicId = await insertTopic(db.pool, 'Expiring');
    const ws = subscribeWebSocket(url, PERIODS, { id: topicId }, { authorization: `Bearer ${shortLived}` });
    const sse = await subscribeSse(url, PERIODS, { id: topicId }, { authorization: `Bearer ${shortLived}` });
    await waitFor('both subscribers', () => (gateway.changeFeed.subscriberCount === 2 ? true : undefined), 5_000);
    await analystPeriod(topicId, 'while valid');
    await sse.received(1);
    await ws.received(1);
    const [, expired] = await sse.received(2, 5_000);
    expect(expired!.data!.errors![0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringMatching(/token has expired/) });
    await waitFor('the SSE stream to complete', () => (sse.events.some((e) => e.event === 'complete') ? true : undefined), 5_000);
    const [, wsExpired] = await ws.received(2, 5_000);
    expect(wsExpired!.errors![0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(gateway.changeFeed.subscriberCount).toBe(0);
    await ws.close();

    // Without the read scope, a subscription is refused before it starts.
    const writer = await mintToken(SECRET, { subject: 'nobody', scopes: ['admin'], ttlSeconds: 60 });
    const forbidden = await subscribeSse(url, PERIODS, {}, { authorization: `Bearer ${writer}` });
    const [refusal] = await forbidden.received(1);
    expect(refusal!.data!.errors![0]).toMatchObject({ extensions: { code: 'FORBIDDEN', requiredScope: 'read' } });
  }, 20_000);

  it('lets a browser EventSource (a GET without custom headers) subscribe, and nothing else through that door', async () => {
    const gateway = createTestGateway(db);
    const { url } = await listen(gateway);
    const query = encodeURIComponent(PERIODS);
    const abort = new AbortController();
    const stream = await fetch(`${url}?query=${query}`, { headers: { accept: 'text/event-stream' }, signal: abort.signal });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    abort.abort();
    // A mutation over GET is still refused.
    const mutation = await fetch(`${url}?query=${encodeURIComponent('mutation { initializePeriodZero }')}`, { headers: { accept: 'text/event-stream' } });
    const body = await mutation.text();
    expect(mutation.status).toBe(405);
    expect(body).toMatch(/mutation/i);
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    expect((await pool.query(`SELECT count(*)::int AS n FROM analysis_periods WHERE period_number = 0`)).rows[0].n).toBe(0);
    await pool.end();
  });
});
