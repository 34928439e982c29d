import { describe, expect, it } from 'vitest';
import { staleCounters } from './helpers/catalog.js';
import { createTestDatabase } from './helpers/database.js';
import { insertPeriod, insertTopic } from './helpers/fixtures.js';
import { createTestGateway } from './helpers/gateway.js';

/**
 * Crosshot's analyst and the gateway writing one database (issue 20): the analyst's statements
 * as its executor runs them (Python datetimes with microseconds, its own numbering, its own
 * counter updates), interleaved with the gateway's mutations.
 */

/** One analyst cycle as Crosshot's executor writes it: next number read without a lock, the window from the previous end (µs), counters set by hand. */
const ANALYST_CYCLE = [
  `SELECT COALESCE(max(period_number), 0) + 1 AS next, COALESCE(max(period_end), (SELECT created_at FROM topics WHERE id = $1)) AS previous_end
   FROM analysis_periods WHERE entity_type = 'topic' AND entity_id = $1 AND status = 'active'`,
  `INSERT INTO analysis_periods (entity_type, entity_id, period_number, period_start, period_end, duration_hours, summary, metrics)
   VALUES ('topic', $1, $2, $3, $4, EXTRACT(EPOCH FROM ($4::timestamptz - $3::timestamptz)) / 3600, 'analyst cycle', $5) RETURNING id`,
  `UPDATE topics SET current_period_number = $2, last_period_id = $3, total_periods = $2 + 1, updated_at = now() WHERE id = $1`,
];

const RECORD = `mutation($id: ID!, $end: DateTime, $metrics: JSON) {
  recordAnalysisPeriod(input: { entityType: TOPIC, entityId: $id, summary: "gateway cycle", periodEnd: $end, metrics: $metrics }) {
    id periodNumber periodStart periodEnd } }`;

const SUPERSEDE = `mutation($id: ID!) { supersedePeriod(input: { periodId: $id, reason: "re-run", summary: "again" }) { id periodNumber periodStart periodEnd } }`;

type Written = { id: string; periodNumber: number; periodStart: string; periodEnd: string };

describe('Crosshot’s analyst and the gateway writing the same entities', async () => {
  const db = await createTestDatabase();
  const gateway = createTestGateway(db);

  async function analystCycle(topicId: string, end: string, metrics: Record<string, unknown> = {}): Promise<{ id: string; number: number }> {
    const { rows: [plan] } = await db.pool.query(ANALYST_CYCLE[0]!, [topicId]);
    // Python reads the previous end as a datetime (µs) and writes it back as the new start.
    const { rows: [row] } = await db.pool.query(`SELECT to_char($1::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"') AS start`, [plan.previous_end]);
    const { rows: [period] } = await db.pool.query(ANALYST_CYCLE[1]!, [topicId, plan.next, row.start, end, JSON.stringify(metrics)]);
    await db.pool.query(ANALYST_CYCLE[2]!, [topicId, plan.next, period.id]);
    return { id: period.id, number: plan.next };
  }

  async function record(topicId: string, end?: string, metrics?: Record<string, unknown>): Promise<Written> {
    const result = await gateway.execute<{ recordAnalysisPeriod: Written }>(RECORD, { id: topicId, end, metrics });
    expect(result.errors).toBeUndefined();
    return result.data!.recordAnalysisPeriod;
  }

  /** True when every active period starts exactly (to the microsecond) where the one before it ended. */
  async function contiguous(topicId: string): Promise<{ numbers: number[]; exact: boolean }> {
    const { rows } = await db.pool.query(
      `SELECT array_agg(period_number ORDER BY period_number) AS numbers,
              bool_and(prev_end IS NULL OR prev_end = period_start) AS exact
       FROM (SELECT period_number, period_start, lag(period_end) OVER (ORDER BY period_number) AS prev_end
             FROM analysis_periods WHERE entity_id = $1 AND status = 'active') p`,
      [topicId],
    );
    return rows[0];
  }

  it('periods the analyst wrote with microseconds, then the gateway’s, then the analyst’s again: every window exact, supersession too', async () => {
    const topicId = await insertTopic(db.pool, 'Analyst first', { createdAt: '2026-01-01T00:00:00Z' });
    await insertPeriod(db.pool, { entityId: topicId, number: 1, start: '2026-01-01T00:00:00.000001Z', end: '2026-01-02T00:00:00.123456Z' });
    const second = await record(topicId, '2026-01-03T00:00:00.654321Z');
    expect(second).toMatchObject({ periodNumber: 2, periodStart: '2026-01-02T00:00:00.123456Z', periodEnd: '2026-01-03T00:00:00.654321Z' });
    const third = await analystCycle(topicId, '2026-01-04T00:00:00.999999Z');
    expect(third.number).toBe(3);
    // Twenty more cycles, alternating writers, each ending on a microsecond: no PERIOD_OVERLAP.
    const endOfDay = (day: number) => `${new Date(Date.UTC(2026, 1, 1 + day)).toISOString().slice(0, 19)}.${String((day * 7919) % 1_000_000).padStart(6, '0')}Z`;
    for (let i = 0; i < 10; i++) {
      await record(topicId, endOfDay(2 * i));
      await analystCycle(topicId, endOfDay(2 * i + 1));
    }
    // With no end given, the gateway ends the period at the database's clock (µs too).
    expect((await record(topicId)).periodNumber).toBe(24);
    expect(await contiguous(topicId)).toEqual({ numbers: Array.from({ length: 24 }, (_, i) => i + 1), exact: true });
    // Superseding a period with microsecond bounds keeps them exactly.
    const { rows: [period2] } = await db.pool.query(`SELECT id FROM analysis_periods WHERE entity_id = $1 AND period_number = 2 AND status = 'active'`, [topicId]);
    const replaced = await gateway.execute<{ supersedePeriod: Written }>(SUPERSEDE, { id: period2.id });
    expect(replaced.errors).toBeUndefined();
    expect(replaced.data!.supersedePeriod).toMatchObject({ periodNumber: 2, periodStart: '2026-01-02T00:00:00.123456Z', periodEnd: '2026-01-03T00:00:00.654321Z' });
    expect((await contiguous(topicId)).exact).toBe(true);
    expect(await staleCounters(db.pool)).toEqual([]);
  });

  it('the gateway first, then the analyst starting from the gateway’s end as Python reads it, then the gateway superseding the analyst’s period', async () => {
    const topicId = await insertTopic(db.pool, 'Gateway first', { createdAt: '2026-01-01T00:00:00.000007Z' });
    const first = await record(topicId, '2026-01-02T00:00:00.000001Z');
    // The window starts at the entity's creation, to the microsecond.
    expect(first).toMatchObject({ periodNumber: 1, periodStart: '2026-01-01T00:00:00.000007Z', periodEnd: '2026-01-02T00:00:00.000001Z' });
    const analyst = await analystCycle(topicId, '2026-01-03T00:00:00.5Z');
    const replaced = await gateway.execute<{ supersedePeriod: Written }>(SUPERSEDE, { id: analyst.id });
    expect(replaced.errors).toBeUndefined();
    expect(replaced.data!.supersedePeriod).toMatchObject({ periodNumber: 2, periodStart: '2026-01-02T00:00:00.000001Z', periodEnd: '2026-01-03T00:00:00.500Z' });
    expect((await record(topicId, '2026-01-04T00:00:00Z')).periodStart).toBe('2026-01-03T00:00:00.500Z');
    expect(await contiguous(topicId)).toEqual({ numbers: [1, 2, 3], exact: true });
  });

  it('the analyst’s `total_periods = next + 1` is replaced by what the rows say, and the gateway’s next write lands', async () => {
    const topicId = await insertTopic(db.pool, 'Analyst counters', { createdAt: '2026-01-01T00:00:00Z' });
    const cycle = await analystCycle(topicId, '2026-01-02T00:00:00Z');
    const { rows } = await db.pool.query(`SELECT current_period_number, last_period_id, total_periods FROM topics WHERE id = $1`, [topicId]);
    expect(rows[0]).toEqual({ current_period_number: 1, last_period_id: cycle.id, total_periods: 1 });
    expect((await record(topicId, '2026-01-03T00:00:00Z')).periodNumber).toBe(2);
    expect(await staleCounters(db.pool)).toEqual([]);
  });

  it('a direct DELETE of the newest period, then UPDATE and INSERT by hand: counters follow each, and the gateway keeps writing', async () => {
    const topicId = await insertTopic(db.pool, 'Hand edits', { createdAt: '2026-01-01T00:00:00Z' });
    for (const day of [2, 3, 4]) await record(topicId, `2026-01-0${day}T00:00:00Z`);
    await db.pool.query(`DELETE FROM analysis_periods WHERE entity_id = $1 AND period_number = 3`, [topicId]);
    const counters = async () =>
      (await db.pool.query(`SELECT current_period_number AS current, total_periods AS total FROM topics WHERE id = $1`, [topicId])).rows[0];
    expect(await counters()).toEqual({ current: 2, total: 2 });
    // The gateway numbers after the newest period left, from where it ended.
    expect(await record(topicId, '2026-01-05T00:00:00Z')).toMatchObject({ periodNumber: 3, periodStart: '2026-01-03T00:00:00.000Z' });
    // Someone writes the counters by hand: the write is replaced.
    await db.pool.query(`UPDATE topics SET total_periods = 40, current_period_number = 17, last_period_id = NULL WHERE id = $1`, [topicId]);
    expect(await counters()).toEqual({ current: 3, total: 3 });
    // A hand-made period in a draft, then made active: counted once active.
    await db.pool.query(
      `INSERT INTO analysis_periods (entity_type, entity_id, period_number, period_start, period_end, duration_hours, summary, status)
       VALUES ('topic', $1, 4, '2026-01-05T00:00:00Z', '2026-01-06T00:00:00Z', 24, 'draft by hand', 'draft')`,
      [topicId],
    );
    expect(await counters()).toEqual({ current: 3, total: 3 });
    await db.pool.query(`UPDATE analysis_periods SET status = 'active' WHERE entity_id = $1 AND period_number = 4`, [topicId]);
    expect(await counters()).toEqual({ current: 4, total: 4 });
    expect((await record(topicId, '2026-01-07T00:00:00Z')).periodNumber).toBe(5);
    expect(await staleCounters(db.pool)).toEqual([]);
  });

  it('a direct UPDATE of the counters racing a direct insert cannot leave them stale', async () => {
    const topicId = await insertTopic(db.pool, 'Race on counters', { createdAt: '2026-01-01T00:00:00Z' });
    await record(topicId, '2026-01-02T00:00:00Z');
    const writer = await db.pool.connect();
    const editor = await db.pool.connect();
    try {
      await writer.query('BEGIN');
      await insertPeriod(writer, { entityId: topicId, number: 2, start: '2026-01-02T00:00:00Z', end: '2026-01-03T00:00:00Z' });
      // The editor's UPDATE of the same row waits for the insert's transaction, then recomputes on top of it.
      const edit = editor.query(`UPDATE topics SET total_periods = 1, current_period_number = 1 WHERE id = $1`, [topicId]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await writer.query('COMMIT');
      await edit;
    } finally {
      writer.release();
      editor.release();
    }
    const { rows } = await db.pool.query(`SELECT current_period_number AS current, total_periods AS total FROM topics WHERE id = $1`, [topicId]);
    expect(rows[0]).toEqual({ current: 2, total: 2 });
  });
});

describe('active period numbers stay dense, checked when the transaction commits', async () => {
  const db = await createTestDatabase();
  const topicId = await insertTopic(db.pool, 'Dense', { createdAt: '2026-01-01T00:00:00Z' });
  await insertPeriod(db.pool, { entityId: topicId, number: 1, start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z' });
  await insertPeriod(db.pool, { entityId: topicId, number: 2, start: '2026-01-02T00:00:00Z', end: '2026-01-03T00:00:00Z' });
  const numbers = async () =>
    (await db.pool.query(`SELECT array_agg(period_number ORDER BY period_number) AS n FROM analysis_periods WHERE entity_id = $1 AND status = 'active'`, [topicId])).rows[0].n;

  it('refuses a draft made active past a gap, saying which number is missing', async () => {
    await insertPeriod(db.pool, { entityId: topicId, number: 4, start: '2026-01-04T00:00:00Z', end: '2026-01-05T00:00:00Z', status: 'draft' });
    await expect(db.pool.query(`UPDATE analysis_periods SET status = 'active' WHERE entity_id = $1 AND period_number = 4`, [topicId])).rejects.toMatchObject({
      code: '23514',
      message: expect.stringMatching(/period 4 of topic .* would leave a gap: it has no active period 3/),
    });
    expect(await numbers()).toEqual([1, 2]);
  });

  it('refuses taking a middle period off the timeline, by DELETE or by status', async () => {
    await expect(db.pool.query(`DELETE FROM analysis_periods WHERE entity_id = $1 AND period_number = 1`, [topicId])).rejects.toMatchObject({
      code: '23514',
      message: expect.stringMatching(/taking period 1 of topic .* off the timeline would leave a gap before period 2/),
    });
    await expect(db.pool.query(`UPDATE analysis_periods SET status = 'archived' WHERE entity_id = $1 AND period_number = 1`, [topicId])).rejects.toMatchObject({ code: '23514' });
    expect(await numbers()).toEqual([1, 2]);
  });

  it('accepts a supersession by hand when the replacement takes the number in the same transaction', async () => {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows: [old] } = await client.query(
        `UPDATE analysis_periods SET status = 'superseded' WHERE entity_id = $1 AND period_number = 1 AND status = 'active' RETURNING id`,
        [topicId],
      );
      const replacement = await insertPeriod(client, { entityId: topicId, number: 1, start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z' });
      await client.query(`UPDATE analysis_periods SET superseded_by = $2 WHERE id = $1`, [old.id, replacement]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect(await numbers()).toEqual([1, 2]);
  });
});

describe('Crosshot’s read contracts: the timeline view’s order, numbers stored as strings', async () => {
  const db = await createTestDatabase();
  const gateway = createTestGateway(db);
  const topicId = await insertTopic(db.pool, 'Contracts', { createdAt: '2026-01-01T00:00:00Z' });
  // total_posts as the analyst writes it: numbers, and numeric strings.
  const values: unknown[] = [10, '11', 10, '246.6', 9, 11, '10.5', 10, 250, ' 12 ', 'n/a', 9.5];
  for (const [i, value] of values.entries()) {
    await insertPeriod(db.pool, { entityId: topicId, number: i + 1, start: `2026-01-${String(i + 1).padStart(2, '0')}T00:00:00Z`, end: `2026-01-${String(i + 2).padStart(2, '0')}T00:00:00Z`, metrics: { total_posts: value } });
  }

  it('v_period_timeline lists each entity newest first, so LIMIT reads the latest periods', async () => {
    const { rows } = await db.pool.query(`SELECT period_number FROM v_period_timeline WHERE entity_id = $1 LIMIT 3`, [topicId]);
    expect(rows.map((r) => r.period_number)).toEqual([12, 11, 10]);
  });

  it('detect_metric_anomalies counts numeric strings as Crosshot’s cast did, and skips only what is not a number', async () => {
    await db.pool.query('REFRESH MATERIALIZED VIEW mv_period_metrics_trend');
    // Crosshot's own statistic (its ::float8 cast) over the values that are numbers.
    const { rows: crosshot } = await db.pool.query(
      `WITH s AS (SELECT period_number, (metrics ->> 'total_posts')::float8 AS v FROM analysis_periods
                  WHERE entity_id = $1 AND status = 'active' AND metrics ->> 'total_posts' <> 'n/a'),
            st AS (SELECT avg(v) AS m, stddev(v) AS sd FROM s)
       SELECT period_number FROM s, st WHERE abs((v - m) / sd) > 1.0 ORDER BY period_number DESC`,
      [topicId],
    );
    const { rows } = await db.pool.query(`SELECT period_number FROM detect_metric_anomalies('topic', $1, 'total_posts', p_threshold_factor => 1.0)`, [topicId]);
    expect(rows).toEqual(crosshot);
    expect(rows.map((r) => r.period_number)).toEqual([9, 4]);
    const result = await gateway.execute<{ topic: { anomalies: { periodNumber: number }[]; metricTrend: { periodNumber: number; value: number | null }[] } }>(
      `query($id: ID!) { topic(id: $id) { anomalies(metric: "total_posts", threshold: 1.0) { periodNumber } metricTrend(metric: "total_posts", last: 4) { periodNumber value } } }`,
      { id: topicId },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.topic.anomalies.map((a) => a.periodNumber)).toEqual([9, 4]);
    expect(result.data!.topic.metricTrend.map((p) => [p.periodNumber, p.value])).toEqual([[9, 250], [10, 12], [11, null], [12, 9.5]]);
  });
});
