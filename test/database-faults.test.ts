import { describe, expect, it } from 'vitest';
import { createTestDatabase } from './helpers/database.js';
import { hoursAfter, insertTopic } from './helpers/fixtures.js';
import { startGatewayProcess } from './helpers/processes.js';
import { subscribeSse, waitFor } from './helpers/subscriptions.js';

const READ = `query($id: ID!) { topic(id: $id) { name periods(first: 5) { totalCount edges { node { periodNumber events { title } } } } } }`;
const RECORD = `mutation($input: RecordAnalysisPeriodInput!) { recordAnalysisPeriod(input: $input) { periodNumber } }`;
const PERIODS = `subscription($after: String) { periodCreated(entityType: TOPIC, after: $after) { id periodNumber } }`;

/**
 * The server as `npm start` runs it, on a database whose connections an administrator (or a
 * failover, or idle_in_transaction_session_timeout) keeps terminating: every connection the
 * gateway holds (pooled, checked out in a transaction, the change-feed reader) dies again and
 * again. The process stays up, every failure is coded, and a subscriber that resumes with its
 * cursor misses nothing.
 */
describe('a gateway whose database connections keep dying', async () => {
  const db = await createTestDatabase();
  // Two topics, each written one period at a time (a topic's periods follow one another).
  const topics = [await insertTopic(db.pool, 'Under fire', { createdAt: '2026-01-01T00:00:00Z' }), await insertTopic(db.pool, 'Also under fire', { createdAt: '2026-01-01T00:00:00Z' })];
  const topicId = topics[0]!;
  const gateway = await startGatewayProcess({ DATABASE_URL: db.url, LOG_LEVEL: process.env.FAULT_LOG ?? 'silent', NODE_ENV: 'development' });
  const url = `${gateway.base}/graphql`;

  async function post(query: string, variables: Record<string, unknown>): Promise<{ ok: boolean; codes: string[] }> {
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }), signal: AbortSignal.timeout(10_000) });
      const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
      return { ok: !body.errors, codes: (body.errors ?? []).map((error) => error.extensions?.code ?? 'UNCODED') };
    } catch (error) {
      return { ok: false, codes: [`DROPPED: ${(error as Error).message}`] };
    }
  }

  it('stays up, fails what it must with DATABASE_UNAVAILABLE (never uncoded), and its subscribers resume with nothing lost', async () => {
    let subscription = await subscribeSse(url, PERIODS, {});
    const delivered = new Set<string>();
    let lastCursor: string | undefined;
    const drain = () => {
      for (const event of subscription.events) {
        if (event.event !== 'next') continue;
        const period = event.data?.data?.periodCreated;
        if (period) delivered.add(period.id);
        if (event.id) lastCursor = event.id;
      }
    };

    const killer = setInterval(() => {
      void db.pool
        .query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name LIKE 'crosshot-gateway%'`)
        .catch(() => undefined);
    }, 300);
    const outcomes: { ok: boolean; codes: string[] }[] = [];
    let periodEnd = 24;
    try {
      for (let round = 0; round < 25; round++) {
        periodEnd += 1;
        const writes = topics.map((entityId) => post(RECORD, { input: { entityType: 'TOPIC', entityId, summary: `round ${round}`, periodEnd: hoursAfter(periodEnd) } }));
        outcomes.push(...(await Promise.all([...writes, post(READ, { id: topicId }), post(READ, { id: topicId })])));
        drain();
        // A stream the database took down ends (coded): resume it from its last cursor, as a client does.
        if (subscription.ended) {
          subscription = await subscribeSse(url, PERIODS, { after: lastCursor });
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      clearInterval(killer);
    }

    expect(gateway.child.exitCode).toBeNull();
    expect(gateway.output()).not.toMatch(/Unhandled|uncaught|ECONNRESET.*throw/i);
    const failed = outcomes.filter((outcome) => !outcome.ok);
    for (const { codes } of failed) for (const code of codes) expect(['DATABASE_UNAVAILABLE', 'TIMEOUT']).toContain(code);
    expect(outcomes.filter((outcome) => outcome.ok).length).toBeGreaterThan(0);

    // Every committed period reaches the subscriber, across its resumptions.
    if (subscription.ended) subscription = await subscribeSse(url, PERIODS, { after: lastCursor });
    const { rows } = await db.pool.query<{ id: string }>(`SELECT id FROM analysis_periods WHERE status = 'active'`);
    expect(rows.length).toBeGreaterThan(5);
    // A stream can still end here (a delivery on a pooled connection killed before the killer
    // stopped): the client resumes it, as above.
    let resuming: Promise<void> | null = null;
    await waitFor('every committed period', () => {
      drain();
      if (subscription.ended && !resuming) {
        resuming = subscribeSse(url, PERIODS, { after: lastCursor }).then((resumed) => {
          subscription = resumed;
          resuming = null;
        });
      }
      return rows.every((row) => delivered.has(row.id)) ? true : undefined;
    }, 15_000);
    subscription.close();
    // Still serving after it all.
    expect(await post(READ, { id: topicId })).toEqual({ ok: true, codes: [] });
  }, 60_000);
});
