import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from './helpers/database.js';
import { hoursAfter, insertTopic, insertUser } from './helpers/fixtures.js';
import { createTestGateway, listen } from './helpers/gateway.js';
import { subscribeSse, subscribeWebSocket, waitFor } from './helpers/subscriptions.js';

/** A period as Crosshot's analyst writes it: plain SQL on a connection of its own. */
const ANALYST_PERIOD = `INSERT INTO analysis_periods (entity_type, entity_id, period_number, period_start, period_end, duration_hours, summary)
  VALUES ($1, $2, $3, $4, $5, 24, $6) RETURNING id`;

const PERIODS = `subscription($type: EntityType, $id: ID, $after: String) {
  periodCreated(entityType: $type, entityId: $id, after: $after) {
    id periodNumber summary entityType
    entity { id name }
    events { title severity }
  }
}`;

const EVENTS = `subscription($id: ID) { eventChanged(entityId: $id) { kind cursor event { id title severity resolvedAt } } }`;

describe('subscriptions from the change feed', async () => {
  const db = await createTestDatabase();
  const gateway = createTestGateway(db);
  const { url } = await listen(gateway);
  const analyst = new pg.Client({ connectionString: db.url });
  await analyst.connect();
  afterAll(() => analyst.end());
  /** The analyst's next period for the entity, numbered from what is there. */
  async function analystPeriod(type: 'topic' | 'user', entityId: string, summary: string, client: Pick<pg.Client, 'query'> = analyst): Promise<string> {
    const { rows } = await db.pool.query(`SELECT COALESCE(max(period_number), 0) + 1 AS n FROM analysis_periods WHERE entity_id = $1 AND status = 'active'`, [entityId]);
    const n = rows[0].n as number;
    const result = await client.query(ANALYST_PERIOD, [type, entityId, n, hoursAfter(24 * (n - 1)), hoursAfter(24 * n), summary]);
    return result.rows[0].id;
  }

  it('delivers a period inserted by plain SQL from another connection to SSE and WebSocket subscribers within a second, nested fields included', async () => {
    const topicId = await insertTopic(db.pool, 'Realtime topic', { createdAt: '2026-01-01T00:00:00Z' });
    const sse = await subscribeSse(url, PERIODS, { id: topicId });
    const ws = subscribeWebSocket(url, PERIODS, { id: topicId });
    await waitFor('both subscribers', () => (gateway.changeFeed.subscriberCount === 2 ? true : undefined), 5_000);

    const started = Date.now();
    const periodId = await analystPeriod('topic', topicId, 'by the analyst');
    const [event] = await sse.received(1, 1_000);
    const [result] = await ws.received(1, 1_000);
    expect(Date.now() - started).toBeLessThan(1_000);

    const expected = { id: periodId, periodNumber: 1, summary: 'by the analyst', entityType: 'TOPIC', entity: { id: topicId, name: 'Realtime topic' }, events: [] };
    expect(event!.data!.data!.periodCreated).toEqual(expected);
    expect(result!.data!.periodCreated).toEqual(expected);
    // The cursor is in the result's extensions and, over SSE, the event id.
    expect(event!.id).toMatch(/^cf1\./);
    expect(event!.data!.extensions!.cursor).toBe(event!.id);
    expect(result!.extensions!.cursor).toBe(event!.id);
    expect(sse.response.headers.get('x-accel-buffering')).toBe('no');
    sse.close();
    await ws.close();
    await waitFor('the subscribers to leave', () => (gateway.changeFeed.subscriberCount === 0 ? true : undefined), 5_000);
  });

  it('gives each filtered subscriber exactly the matching changes', async () => {
    const [topicA, topicB, userC] = [await insertTopic(db.pool, 'A'), await insertTopic(db.pool, 'B'), await insertUser(db.pool, 'C')];
    const onlyA = await subscribeSse(url, PERIODS, { id: topicA });
    const onlyUsers = await subscribeSse(url, PERIODS, { type: 'USER' });
    const everything = await subscribeSse(url, PERIODS, {});
    const written = [await analystPeriod('topic', topicA, 'a1'), await analystPeriod('topic', topicB, 'b1'), await analystPeriod('user', userC, 'c1'), await analystPeriod('topic', topicA, 'a2')];

    const all = await everything.received(4);
    expect(all.map((e) => e.data!.data!.periodCreated.id)).toEqual(written);
    expect((await onlyA.received(2)).map((e) => e.data!.data!.periodCreated.summary)).toEqual(['a1', 'a2']);
    expect((await onlyUsers.received(1)).map((e) => e.data!.data!.periodCreated.summary)).toEqual(['c1']);
    // Nothing else arrives: one more change to B reaches `everything` only.
    await analystPeriod('topic', topicB, 'b2');
    await everything.received(5);
    expect(onlyA.events.filter((e) => e.event === 'next')).toHaveLength(2);
    expect(onlyUsers.events.filter((e) => e.event === 'next')).toHaveLength(1);
    for (const s of [onlyA, onlyUsers, everything]) s.close();
  });

  it('delivers an event’s detection, update and resolution in order', async () => {
    const topicId = await insertTopic(db.pool, 'Events', { createdAt: '2026-01-01T00:00:00Z' });
    const periodId = await analystPeriod('topic', topicId, 'with events');
    const stream = await subscribeSse(url, EVENTS, { id: topicId });
    const { rows } = await analyst.query(
      `INSERT INTO temporal_events (period_id, entity_type, entity_id, event_type, title, description, first_detected_at)
       VALUES ($1, 'topic', $2, 'anomaly', 'Spike', 'posts tripled', now()) RETURNING id`,
      [periodId, topicId],
    );
    await analyst.query(`UPDATE temporal_events SET severity = 'critical', last_updated_at = now() WHERE id = $1`, [rows[0].id]);
    await analyst.query(`UPDATE temporal_events SET resolved_at = now(), resolution_note = 'calmed down' WHERE id = $1`, [rows[0].id]);
    const events = await stream.received(3);
    expect(events[0]!.data!.errors).toBeUndefined();
    expect(events.map((e) => e.data!.data!.eventChanged.kind)).toEqual(['DETECTED', 'UPDATED', 'RESOLVED']);
    expect(events.map((e) => e.data!.data!.eventChanged.event.id)).toEqual([rows[0].id, rows[0].id, rows[0].id]);
    expect(events.map((e) => e.data!.data!.eventChanged.cursor)).toEqual(events.map((e) => e.id));
    stream.close();
  });

  it('delivers the period of a long transaction when it commits, after the shorter ones that committed first', async () => {
    const [slowTopic, fastTopic] = [await insertTopic(db.pool, 'Slow'), await insertTopic(db.pool, 'Fast')];
    const stream = await subscribeSse(url, PERIODS, {});
    const long = new pg.Client({ connectionString: db.url });
    await long.connect();
    await long.query('BEGIN');
    const slowId = await analystPeriod('topic', slowTopic, 'slow', long);
    const fastIds = [await analystPeriod('topic', fastTopic, 'fast 1'), await analystPeriod('topic', fastTopic, 'fast 2')];
    // The later transactions are delivered while the long one is still open...
    expect((await stream.received(2)).map((e) => e.data!.data!.periodCreated.id)).toEqual(fastIds);
    await long.query('COMMIT');
    await long.end();
    // ...and its period is not skipped: it comes when it commits.
    expect((await stream.received(3)).map((e) => e.data!.data!.periodCreated.id)).toEqual([...fastIds, slowId]);
    stream.close();
  });

  it('resumes after a cursor, with `after` or SSE Last-Event-ID, replaying exactly what came after it', async () => {
    const topicId = await insertTopic(db.pool, 'Resume', { createdAt: '2026-01-01T00:00:00Z' });
    // Another subscriber keeps the reader reading while this one is away and comes back.
    const bystander = await subscribeSse(url, EVENTS, {});
    const first = await subscribeSse(url, PERIODS, { id: topicId });
    const p1 = await analystPeriod('topic', topicId, 'p1');
    const [seen] = await first.received(1);
    first.close();
    const missed = [await analystPeriod('topic', topicId, 'p2'), await analystPeriod('topic', topicId, 'p3')];

    const byArgument = await subscribeSse(url, PERIODS, { id: topicId, after: seen!.id });
    const byHeader = await subscribeSse(url, PERIODS, { id: topicId }, { 'last-event-id': seen!.id! });
    for (const stream of [byArgument, byHeader]) {
      expect((await stream.received(2)).map((e) => e.data!.data!.periodCreated.id)).toEqual(missed);
    }
    // Then live, without a gap or a repeat.
    const p4 = await analystPeriod('topic', topicId, 'p4');
    for (const stream of [byArgument, byHeader]) {
      const events = await stream.received(3);
      expect(events.map((e) => e.data!.data!.periodCreated.id)).toEqual([...missed, p4]);
      expect(events.map((e) => e.data!.data!.periodCreated.id)).not.toContain(p1);
      stream.close();
    }
    bystander.close();
  });

  it('resumes on another gateway (a restart, or another instance), and two instances both deliver', async () => {
    const topicId = await insertTopic(db.pool, 'Instances', { createdAt: '2026-01-01T00:00:00Z' });
    const other = createTestGateway(db);
    const { url: otherUrl } = await listen(other);
    const here = await subscribeSse(url, PERIODS, { id: topicId });
    const there = await subscribeSse(otherUrl, PERIODS, { id: topicId });
    const p1 = await analystPeriod('topic', topicId, 'both see this');
    const [[a], [b]] = [await here.received(1), await there.received(1)];
    expect([a!.data!.data!.periodCreated.id, b!.data!.data!.periodCreated.id]).toEqual([p1, p1]);
    here.close();
    const missed = await analystPeriod('topic', topicId, 'missed here');
    // The cursor from one instance resumes on a fresh one.
    const fresh = createTestGateway(db);
    const { url: freshUrl } = await listen(fresh);
    const resumed = await subscribeSse(freshUrl, PERIODS, { id: topicId, after: a!.id });
    expect((await resumed.received(1)).map((e) => e.data!.data!.periodCreated.id)).toEqual([missed]);
    resumed.close();
    there.close();
  });

  it('refuses a cursor that is not one, and one older than the retention, with what to do', async () => {
    const garbage = await subscribeSse(url, PERIODS, { after: 'not-a-cursor' });
    const [bad] = await garbage.received(1);
    expect(bad!.data!.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'after' } });

    const topicId = await insertTopic(db.pool, 'Expiry');
    const stream = await subscribeSse(url, PERIODS, { id: topicId });
    await analystPeriod('topic', topicId, 'old');
    const [old] = await stream.received(1);
    stream.close();
    await analystPeriod('topic', topicId, 'newer');
    // Everything recorded so far falls out of a week's retention a month on.
    const { maintainChangeFeed } = await import('../src/services/changeFeed/retention.js');
    const month = await db.pool.query<{ at: string }>(`SELECT (clock_timestamp() + interval '30 days')::text AS at`);
    const actions = await maintainChangeFeed(db.pool, { retentionMs: 7 * 24 * 3_600_000, partitionMs: 86_400_000 }, month.rows[0]!.at);
    expect(actions.filter((a) => a.action === 'dropped').length).toBeGreaterThan(0);
    const expired = await subscribeSse(url, PERIODS, { id: topicId, after: old!.id });
    const [refused] = await expired.received(1);
    expect(refused!.data!.errors![0]).toMatchObject({ message: expect.stringMatching(/older than the change feed keeps/), extensions: { code: 'CURSOR_EXPIRED' } });
  });

  it('reports its subscriptions and the feed’s lag in /metrics', async () => {
    const measured = createTestGateway(db, { METRICS_ENABLED: 'true' });
    const { url: measuredUrl } = await listen(measured);
    const stream = await subscribeSse(measuredUrl, PERIODS, {});
    const text = await (await fetch(measuredUrl.replace('/graphql', '/metrics'))).text();
    expect(text).toMatch(/^crosshot_subscriptions 1$/m);
    expect(text).toMatch(/^crosshot_change_feed_connected 1$/m);
    expect(text).toMatch(/^crosshot_change_feed_lag_seconds \d/m);
    stream.close();
  });

  it('counts its statements per change, not per subscriber', async () => {
    const topicId = await insertTopic(db.pool, 'Fan-out', { createdAt: '2026-01-01T00:00:00Z' });
    const streams = await Promise.all(Array.from({ length: 20 }, () => subscribeSse(url, PERIODS, { id: topicId })));
    const statements: string[] = [];
    const stop = db.pool.onStatement((sql) => statements.push(sql));
    await analystPeriod('topic', topicId, 'fan-out');
    for (const stream of streams) await stream.received(1);
    stop();
    // The period (with its events) and its entity: one statement each for all 20 subscribers
    // (the pool also saw the fixture's own numbering query).
    const reads = statements.filter((sql) => !/COALESCE\(max\(period_number\)/.test(sql));
    expect(reads).toHaveLength(2);
    for (const stream of streams) stream.close();
  });
});
