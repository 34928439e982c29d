import { describe, expect, it } from 'vitest';
import { createTestDatabase } from './helpers/database.js';
import { hoursAfter, insertTopic } from './helpers/fixtures.js';
import { createTestGateway, listen } from './helpers/gateway.js';
import { subscribeSse, waitFor } from './helpers/subscriptions.js';

const ANALYST_PERIOD = `INSERT INTO analysis_periods (entity_type, entity_id, period_number, period_start, period_end, duration_hours, summary, metrics)
  VALUES ('topic', $1, $2, $3, $4, 24, 'x', jsonb_build_object('total_posts', $5::int)) RETURNING id`;

describe('anomaly-aware and freshness subscriptions', async () => {
  const db = await createTestDatabase();
  const gateway = createTestGateway(db);
  const { url } = await listen(gateway);

  it('delivers with anomalousOnly exactly the periods detect_metric_anomalies flags, each showing its anomaly', async () => {
    const topicId = await insertTopic(db.pool, 'Spiky', { createdAt: '2026-01-01T00:00:00Z' });
    const query = `subscription($id: ID) { periodCreated(entityId: $id, anomalousOnly: true, metric: "total_posts", threshold: 1.5) {
      id periodNumber anomalies(metric: "total_posts", threshold: 1.5) { periodNumber zScore } } }`;
    const anomalous = await subscribeSse(url, query, { id: topicId });
    const everything = await subscribeSse(url, `subscription($id: ID) { periodCreated(entityId: $id) { id } }`, { id: topicId });
    const values = [10, 11, 9, 10, 100, 12, 10, 250];
    const flagged: string[] = [];
    for (const [i, value] of values.entries()) {
      const { rows } = await db.pool.query(ANALYST_PERIOD, [topicId, i + 1, hoursAfter(24 * i), hoursAfter(24 * (i + 1)), value]);
      // The oracle: what the SQL function says of the new period, right after it was written.
      const check = await db.pool.query(`SELECT 1 FROM detect_metric_anomalies('topic', $1, 'total_posts', 1.5) WHERE period_number = $2`, [topicId, i + 1]);
      if (check.rowCount) flagged.push(rows[0].id);
      await everything.received(i + 1);
    }
    expect(flagged.length).toBeGreaterThan(0);
    expect(flagged.length).toBeLessThan(values.length);
    const events = await anomalous.received(flagged.length);
    // Nothing more arrives: every change reached `everything`, so the filter has seen them all.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(anomalous.events.filter((e) => e.event === 'next').map((e) => e.data!.data!.periodCreated.id)).toEqual(flagged);
    for (const event of events) {
      const period = event.data!.data!.periodCreated;
      expect(period.anomalies).toEqual([{ periodNumber: period.periodNumber, zScore: expect.any(Number) }]);
    }
    anomalous.close();
    everything.close();

    const missing = await subscribeSse(url, `subscription { periodCreated(anomalousOnly: true) { id } }`);
    expect((await missing.received(1))[0]!.data!.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'metric' } });
  });

  it('pushes metricsTrendRefreshed after a refresh, whoever ran it', async () => {
    const stream = await subscribeSse(url, `subscription { metricsTrendRefreshed { refreshedAt stale } }`);
    await waitFor('the subscriber', () => (gateway.changeFeed.subscriberCount > 0 ? true : undefined), 5_000);
    const refreshed = await gateway.execute<{ refreshMetricsTrend: { refreshedAt: string } }>('mutation { refreshMetricsTrend { refreshedAt } }');
    const [event] = await stream.received(1);
    expect(event!.data!.data!.metricsTrendRefreshed).toEqual({ refreshedAt: refreshed.data!.refreshMetricsTrend.refreshedAt, stale: false });
    stream.close();
  });
});
