import { describe, expect, it } from 'vitest';
import { createTestDatabase } from './helpers/database.js';
import { hoursAfter, insertTopic } from './helpers/fixtures.js';
import { pgbouncerPath, startPgBouncer } from './helpers/pgbouncer.js';
import { startGatewayProcess } from './helpers/processes.js';
import { subscribeSse } from './helpers/subscriptions.js';

type Body = { data?: Record<string, any> | null; errors?: { message: string; extensions?: { code?: string } }[] };

/**
 * The gateway with DATABASE_URL pointing at PgBouncer in transaction mode (Debian's 1.18, which
 * cannot keep prepared statements: DATABASE_PREPARED_STATEMENTS=false) and DATABASE_DIRECT_URL
 * at the server itself for the session-bound work (migrations, the change feed's LISTEN and
 * reads, the trend refresh's advisory lock).
 */
describe.runIf(pgbouncerPath)('behind PgBouncer in transaction mode', async () => {
  const db = await createTestDatabase();
  // Two server connections for everyone: the gateway's pool of 10 shares them transaction by transaction.
  const bouncer = await startPgBouncer(db.url, { poolSize: 2 });
  const gateway = await startGatewayProcess({
    DATABASE_URL: bouncer.url,
    DATABASE_DIRECT_URL: db.url,
    DATABASE_PREPARED_STATEMENTS: 'false',
    TREND_REFRESH_ENABLED: 'true',
  });
  const topicId = await insertTopic(db.pool, 'Pooled');

  async function post(query: string, variables: Record<string, unknown> = {}): Promise<Body> {
    const response = await fetch(`${gateway.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    return (await response.json()) as Body;
  }

  it('answers queries and mutations, many at once, over two shared server connections', async () => {
    const before = await bouncer.transactions();
    const recorded = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        post(`mutation($id: ID!, $t: String!) { recordTemporalEvent(input: { entityType: TOPIC, entityId: $id, eventType: "note", title: $t, description: "-" }) { id title } }`, { id: topicId, t: `event ${i}` }),
      ),
    );
    for (const result of recorded) expect(result.errors).toBeUndefined();
    const reads = await Promise.all(
      Array.from({ length: 30 }, () => post(`query($id: ID!) { topic(id: $id) { name events(first: 100) { totalCount edges { node { title } } } eventStats { opened } } }`, { id: topicId })),
    );
    for (const result of reads) {
      expect(result.errors).toBeUndefined();
      expect(result.data!.topic).toMatchObject({ name: 'Pooled', events: { totalCount: 30 } });
    }
    // Through PgBouncer: at least a transaction per mutation and per read.
    expect((await bouncer.transactions()) - before).toBeGreaterThanOrEqual(60);
  });

  it('delivers to a subscriber a period the analyst wrote with plain SQL, its fields read through the pooler', async () => {
    const stream = await subscribeSse(`${gateway.base}/graphql`, `subscription($id: ID) { periodCreated(entityId: $id) { id periodNumber summary entity { name } } }`, { id: topicId });
    const { rows } = await db.pool.query<{ id: string }>(
      `INSERT INTO analysis_periods (entity_type, entity_id, period_number, period_start, period_end, duration_hours, summary)
       VALUES ('topic', $1, 1, $2, $3, 24, 'written by the analyst') RETURNING id`,
      [topicId, hoursAfter(0), hoursAfter(24)],
    );
    const [event] = await stream.received(1, 10_000);
    expect(event!.data!.data!.periodCreated).toEqual({ id: rows[0]!.id, periodNumber: 1, summary: 'written by the analyst', entity: { name: 'Pooled' } });
    stream.close();
  });

  it('refreshes the trend (its advisory lock on the direct connection) and says so to subscribers', async () => {
    const result = await post(`mutation { refreshMetricsTrend { refreshedAt stale } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data!.refreshMetricsTrend.stale).toBe(false);
  });
});
