import { describe, expect, it } from 'vitest';
import { createLoaders } from '../src/loaders.js';
import { ENTITY_ANOMALIES } from '../src/services/analytics/anomalies.js';
import { createTestDatabase } from './helpers/database.js';
import { hoursAfter, insertPeriod, insertTopic } from './helpers/fixtures.js';
import { createTestGateway, listen } from './helpers/gateway.js';
import { subscribeSse, waitFor } from './helpers/subscriptions.js';
import { send, type Transport } from './helpers/transports.js';

const PERIODS = `subscription($after: String) { periodCreated(after: $after) { id periodNumber } }`;
const cursor = (text: string) => `cf1.${Buffer.from(text).toString('base64url')}`;

/** A change-feed cursor is checked for what it claims before anything waits on it or reads for it. */
describe('change-feed cursors from a hostile client', async () => {
  const db = await createTestDatabase();
  const gateway = createTestGateway(db);
  const { url } = await listen(gateway);
  const topicId = await insertTopic(db.pool, 'Cursors', { createdAt: '2026-01-01T00:00:00Z' });
  const transactions = async () =>
    Number((await db.pool.query(`SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()`)).rows[0].n);
  const now = async () => (await db.pool.query<{ s: string }>(`SELECT pg_current_snapshot()::text AS s`)).rows[0]!.s;

  it.each<Transport>(['SSE', 'WS'])('%s: a cursor from the future is refused as BAD_USER_INPUT, and nothing reads the database for it afterwards', async (transport) => {
    const [xmin] = (await now()).split(':').map(BigInt);
    const future = `${xmin! + 1_000_000n}:${xmin! + 1_000_000n}:`;
    const outcome = await send(url, transport, { query: PERIODS, variables: { after: cursor(`${future}|${future}|0`) } });
    expect(outcome.code).toBe('BAD_USER_INPUT');
    expect(outcome.errors![0]!.message).toMatch(/lies ahead of the database/);
    // The reader does not keep reading for a cursor it refused (it used to, thousands of reads a second).
    const before = await transactions();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await transactions()) - before).toBeLessThan(30);
    expect(gateway.changeFeed.subscriberCount).toBe(0);
  });

  it('checks a cursor of 12,000 running transactions in linear time, and refuses a longer one unread', async () => {
    const [xmin] = (await now()).split(':').map(BigInt);
    const running = Array.from({ length: 12_000 }, (_, i) => String(xmin! + 1n + BigInt(i))).join(',');
    const big = `${xmin}:${xmin! + 20_000n}:${running}`;
    const started = performance.now();
    const outcome = await send(url, 'SSE', { query: PERIODS, variables: { after: cursor(`${big}|${big}|0`) } });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(outcome.code).toBe('BAD_USER_INPUT'); // ahead of the database: xmax is in the future
    const huge = Array.from({ length: 60_000 }, (_, i) => String(xmin! + 1n + BigInt(i))).join(',');
    const tooLong = `${xmin}:${xmin! + 70_000n}:${huge}`;
    const refused = await send(url, 'SSE', { query: PERIODS, variables: { after: cursor(`${tooLong}|${tooLong}|0`) } }, {}, 10_000);
    expect(refused.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a position beyond int8 as BAD_USER_INPUT (not DATABASE_UNAVAILABLE)', async () => {
    const snapshot = await now();
    const outcome = await send(url, 'SSE', { query: PERIODS, variables: { after: cursor(`${snapshot}|${snapshot}|99999999999999999999`) } });
    expect(outcome.code).toBe('BAD_USER_INPUT');
    const beyond = await send(url, 'SSE', { query: PERIODS, variables: { after: cursor(`${snapshot}|${snapshot}|9223372036854775808`) } });
    expect(beyond.code).toBe('BAD_USER_INPUT');
  });

  it('resumes from a real cursor as before', async () => {
    const first = await subscribeSse(url, PERIODS);
    await waitFor('the subscription', () => (gateway.changeFeed.subscriberCount === 1 ? true : undefined), 5_000);
    await insertPeriod(db.pool, { entityId: topicId, number: 1, start: hoursAfter(0), end: hoursAfter(24) });
    const [event] = await first.received(1);
    first.close();
    await insertPeriod(db.pool, { entityId: topicId, number: 2, start: hoursAfter(24), end: hoursAfter(48) });
    const resumed = await subscribeSse(url, PERIODS, { after: event!.id });
    const [replayed] = await resumed.received(1);
    expect(replayed!.data!.data!.periodCreated.periodNumber).toBe(2);
    resumed.close();
  });
});

describe('one subscriber cannot break another’s deliveries', async () => {
  const db = await createTestDatabase();
  const gateway = createTestGateway(db);
  const { url } = await listen(gateway);
  const topicId = await insertTopic(db.pool, 'Shared page', { createdAt: '2026-01-01T00:00:00Z' });
  const ANOMALOUS = `subscription($metric: String) { periodCreated(anomalousOnly: true, metric: $metric, threshold: 1) { periodNumber } }`;

  it('refuses a NUL in one subscriber’s metric, while another subscriber of the same feed page gets its anomalous period', async () => {
    const bad = await send(url, 'SSE', { query: ANOMALOUS, variables: { metric: 'a\u0000b' } });
    expect(bad.code).toBe('BAD_USER_INPUT');
    const good = await subscribeSse(url, ANOMALOUS, { metric: 'total_posts' });
    await waitFor('the subscription', () => (gateway.changeFeed.subscriberCount === 1 ? true : undefined), 5_000);
    for (const [n, posts] of [[1, 10], [2, 11], [3, 10], [4, 11], [5, 500]] as const) {
      await insertPeriod(db.pool, { entityId: topicId, number: n, start: hoursAfter(24 * (n - 1)), end: hoursAfter(24 * n), metrics: { total_posts: posts } });
    }
    // Period 5 is the anomaly; an earlier one may count as one too while it is evaluated against
    // fewer periods (the feed may deliver before the next insert), so wait for 5 itself.
    const numbers = () => good.events.filter((e) => e.event === 'next').map((e) => e.data!.data!.periodCreated.periodNumber as number);
    await waitFor('period 5', () => (numbers().includes(5) ? true : undefined), 5_000);
    expect(numbers()).toContain(5);
    good.close();
  });

  it('fails only the keys of the argument set whose statement failed, not the rest of the batch', async () => {
    // Two argument sets in one batch; the statement of one fails (as a database error would fail it).
    let calls = 0;
    const failingForOne = {
      query: (config: { text: string; values: unknown[] }) => {
        calls++;
        if (config.values.includes('broken_metric')) return Promise.reject(new Error('this statement failed'));
        return db.pool.query(config);
      },
    };
    const loaders = createLoaders(failingForOne as never);
    const key = { entityType: 'topic' as const, entityId: topicId };
    const [broken, fine] = await Promise.allSettled([
      loaders.entityRead.load({ item: key, args: { read: ENTITY_ANOMALIES, request: { metric: 'broken_metric', threshold: 1 } } }),
      loaders.entityRead.load({ item: key, args: { read: ENTITY_ANOMALIES, request: { metric: 'total_posts', threshold: 1 } } }),
    ]);
    expect(calls).toBe(2);
    expect(broken.status).toBe('rejected');
    expect(fine.status).toBe('fulfilled');
    expect((fine as PromiseFulfilledResult<{ periodNumber: number }[]>).value.map((a) => a.periodNumber)).toEqual([5]);
  });
});
