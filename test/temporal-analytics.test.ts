import { describe, expect, it } from 'vitest';
import { createTestDatabase, recordStatements } from './helpers/database.js';
import { insertPeriod, insertTopic } from './helpers/fixtures.js';
import { createTestGateway } from './helpers/gateway.js';

const H = 3_600_000;
const t = (iso: string) => new Date(iso).getTime();

/** The test's own periods: windows chosen to cross week and month boundaries, with a hole. */
const PERIODS = [
  { start: '2026-03-02T00:00:00Z', end: '2026-03-04T00:00:00Z', total_posts: 10 }, // Mon–Wed
  { start: '2026-03-04T00:00:00Z', end: '2026-03-10T00:00:00Z', total_posts: 40 }, // crosses Monday 9 March
  { start: '2026-03-20T00:00:00Z', end: '2026-03-23T00:00:00Z', total_posts: 100 }, // after a 10-day hole; ends on a Monday
  { start: '2026-04-28T00:00:00Z', end: '2026-05-02T00:00:00Z', total_posts: 7 }, // crosses 1 May
];

type Bucket = { start: string; end: string; value: number | null; periodCount: number; filled: boolean };

/** Bucket boundaries in UTC, computed here: Monday weeks, calendar months, from JavaScript's own calendar. */
function bucketStarts(unit: 'day' | 'week' | 'month', from: number, to: number): [number, number][] {
  const d = new Date(from);
  let start: Date;
  if (unit === 'month') start = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  else {
    start = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
    if (unit === 'week') start = new Date(start.getTime() - ((start.getUTCDay() + 6) % 7) * 24 * H);
  }
  const next = (x: Date) =>
    unit === 'month' ? new Date(Date.UTC(x.getUTCFullYear(), x.getUTCMonth() + 1, 1)) : new Date(x.getTime() + (unit === 'week' ? 7 : 1) * 24 * H);
  const out: [number, number][] = [];
  for (let s = start; s.getTime() < to; s = next(s)) out.push([s.getTime(), next(s).getTime()]);
  return out;
}

/** The series as the issue defines it, from the raw periods: overlap-weighted AVG, pro-rata SUM, MIN, MAX, LAST; then the fill. */
function oracle(unit: 'day' | 'week' | 'month', aggregate: string, fill: string, from?: number, to?: number): Bucket[] {
  const lo = from ?? Math.min(...PERIODS.map((p) => t(p.start)));
  const hi = to ?? Math.max(...PERIODS.map((p) => t(p.end)));
  const rows = bucketStarts(unit, lo, hi).map(([bs, be]) => {
    const over = PERIODS.filter((p) => t(p.start) < be && t(p.end) > bs).map((p) => {
      const overlap = Math.min(t(p.end), be) - Math.max(t(p.start), bs);
      return { v: p.total_posts, overlap, length: t(p.end) - t(p.start), end: t(p.end) };
    });
    let value: number | null = null;
    if (over.length) {
      if (aggregate === 'AVG') value = over.reduce((s, p) => s + p.v * p.overlap, 0) / over.reduce((s, p) => s + p.overlap, 0);
      if (aggregate === 'SUM') value = over.reduce((s, p) => s + (p.v * p.overlap) / p.length, 0);
      if (aggregate === 'MIN') value = Math.min(...over.map((p) => p.v));
      if (aggregate === 'MAX') value = Math.max(...over.map((p) => p.v));
      if (aggregate === 'LAST') value = [...over].sort((a, b) => b.end - a.end)[0]!.v;
    }
    return { start: new Date(bs).toISOString(), end: new Date(be).toISOString(), value, periodCount: over.length, filled: over.length === 0 };
  });
  if (fill === 'NONE') return rows.filter((r) => r.periodCount > 0);
  if (fill === 'PREVIOUS') {
    let last: number | null = null;
    return rows.map((r) => (r.value !== null ? ((last = r.value), r) : { ...r, value: last }));
  }
  if (fill === 'LINEAR') {
    return rows.map((r, i) => {
      if (r.value !== null) return r;
      const before = rows.slice(0, i).reverse().find((x) => x.value !== null);
      const after = rows.slice(i + 1).find((x) => x.value !== null);
      if (!before || !after) return r;
      const share = (t(r.start) - t(before.start)) / (t(after.start) - t(before.start));
      return { ...r, value: before.value! + (after.value! - before.value!) * share };
    });
  }
  return rows;
}

/** percentile_cont over a sorted list, as the test computes it. */
function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  const rank = p * (sorted.length - 1);
  const [lo, hi] = [Math.floor(rank), Math.ceil(rank)];
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

const SERIES = `query($id: ID!, $bucket: TimeBucket!, $aggregate: Aggregate, $fill: GapFill, $from: DateTime, $to: DateTime, $window: RelativeWindow) {
  topic(id: $id) { metricSeries(metric: "total_posts", bucket: $bucket, aggregate: $aggregate, fill: $fill, from: $from, to: $to, window: $window) { start end value periodCount filled } }
}`;

describe('temporal analytics', async () => {
  const db = await createTestDatabase();
  const gateway = createTestGateway(db);
  const topicId = await insertTopic(db.pool, 'Analytics', { createdAt: '2026-01-01T00:00:00Z' });
  for (const [i, p] of PERIODS.entries()) await insertPeriod(db.pool, { entityId: topicId, number: i + 1, start: p.start, end: p.end, metrics: { total_posts: p.total_posts } });
  const series = async (variables: Record<string, unknown>) => {
    const result = await gateway.execute<{ topic: { metricSeries: Bucket[] } }>(SERIES, { id: topicId, ...variables });
    expect(result.errors).toBeUndefined();
    return result.data!.topic.metricSeries;
  };
  const close = (actual: Bucket[], expected: Bucket[]) => {
    expect(actual.map(({ value: _v, ...rest }) => rest)).toEqual(expected.map(({ value: _v, ...rest }) => rest));
    actual.forEach((bucket, i) => (expected[i]!.value === null ? expect(bucket.value).toBeNull() : expect(bucket.value).toBeCloseTo(expected[i]!.value!, 9)));
  };

  it('buckets by Monday weeks under every aggregate and fill, a period spanning two buckets counting in both', async () => {
    for (const aggregate of ['AVG', 'SUM', 'MIN', 'MAX', 'LAST']) {
      for (const fill of ['NONE', 'NULL', 'PREVIOUS', 'LINEAR']) {
        close(await series({ bucket: 'WEEK', aggregate, fill }), oracle('week', aggregate, fill));
      }
    }
    // Spot checks of the oracle itself: the week of 2 March holds periods 1 and 2 (AVG weighted by 2 and 5 days).
    const [first] = await series({ bucket: 'WEEK' });
    expect(first).toMatchObject({ start: '2026-03-02T00:00:00.000Z', end: '2026-03-09T00:00:00.000Z', periodCount: 2 });
    expect(first!.value).toBeCloseTo((10 * 2 + 40 * 5) / 7, 9);
  });

  it('buckets by calendar months and days over an explicit window, empty buckets included', async () => {
    const from = '2026-02-10T00:00:00Z';
    const to = '2026-05-05T00:00:00Z';
    const months = await series({ bucket: 'MONTH', fill: 'NULL', from, to });
    close(months, oracle('month', 'AVG', 'NULL', t(from), t(to)));
    expect(months.map((b) => b.start.slice(0, 10))).toEqual(['2026-02-01', '2026-03-01', '2026-04-01', '2026-05-01']);
    expect(months[0]).toMatchObject({ value: null, periodCount: 0, filled: true, end: '2026-03-01T00:00:00.000Z' });
    close(await series({ bucket: 'DAY', aggregate: 'SUM', fill: 'LINEAR', from: '2026-03-08T00:00:00Z', to: '2026-03-25T00:00:00Z' }),
      oracle('day', 'SUM', 'LINEAR', t('2026-03-08T00:00:00Z'), t('2026-03-25T00:00:00Z')));
  });

  it('resolves a relative window against the request’s clock, and names a malformed one', async () => {
    const before = Date.now();
    const days = await series({ bucket: 'DAY', fill: 'NULL', window: { last: '3d' } });
    // Midnight three days back up to now: four buckets, all empty (the periods are in March).
    expect(days).toHaveLength(4);
    expect(t(days[0]!.start)).toBe(Math.floor((before - 3 * 24 * H) / (24 * H)) * 24 * H);
    expect(days.every((b) => b.filled && b.value === null)).toBe(true);
    const bad = await gateway.execute(SERIES, { id: topicId, bucket: 'DAY', window: { last: '30x' } });
    expect(bad.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'window.last' }, message: expect.stringMatching(/"36h", "30d", "4w" or "3mo"/) });
  });

  it('answers an entity with one period, and one without the metric, from their own rows', async () => {
    const single = await insertTopic(db.pool, 'Single');
    await insertPeriod(db.pool, { entityId: single, number: 1, start: '2026-03-03T12:00:00Z', end: '2026-03-04T12:00:00Z', metrics: { total_posts: 5 } });
    const none = await insertTopic(db.pool, 'No metric');
    await insertPeriod(db.pool, { entityId: none, number: 1, start: '2026-03-03T12:00:00Z', end: '2026-03-04T12:00:00Z', metrics: { other: 1 } });
    const one = await gateway.execute<{ topic: { metricSeries: Bucket[] } }>(SERIES, { id: single, bucket: 'DAY', fill: 'PREVIOUS' });
    expect(one.data!.topic.metricSeries).toEqual([
      { start: '2026-03-03T00:00:00.000Z', end: '2026-03-04T00:00:00.000Z', value: 5, periodCount: 1, filled: false },
      { start: '2026-03-04T00:00:00.000Z', end: '2026-03-05T00:00:00.000Z', value: 5, periodCount: 1, filled: false },
    ]);
    expect((await gateway.execute<{ topic: { metricSeries: Bucket[] } }>(SERIES, { id: none, bucket: 'DAY' })).data!.topic.metricSeries).toEqual([]);
  });

  it('refuses a series over the bucket limit, and over the cost limit, with RANGE_TOO_LARGE naming a coarser bucket', async () => {
    const limited = createTestGateway(db, { MAX_SERIES_BUCKETS: '24' });
    const at = await limited.execute<{ topic: { metricSeries: Bucket[] } }>(SERIES, { id: topicId, bucket: 'HOUR', fill: 'NULL', from: '2026-03-02T00:00:00Z', to: '2026-03-03T00:00:00Z' });
    expect(at.data!.topic.metricSeries).toHaveLength(24);
    const over = await limited.execute(SERIES, { id: topicId, bucket: 'HOUR', fill: 'NULL', from: '2026-03-02T00:00:00Z', to: '2026-03-03T00:30:00Z' });
    expect(over.errors![0]).toMatchObject({ extensions: { code: 'RANGE_TOO_LARGE', suggestedBucket: 'DAY' }, message: expect.stringMatching(/coarser bucket \(DAY\)/) });

    // Cost: topic 2 + (metricSeries 2 + start 1 + value 1) × buckets; 10 days of DAY buckets count 11.
    const query = `query($id: ID!, $to: DateTime) { topic(id: $id) { metricSeries(metric: "total_posts", bucket: DAY, from: "2026-03-01T00:00:00Z", to: $to) { start value } } }`;
    const costly = createTestGateway(db, { MAX_QUERY_COST: String(2 + 4 * 11) });
    expect((await costly.execute(query, { id: topicId, to: '2026-03-11T00:00:00Z' })).errors).toBeUndefined();
    const { result, statements } = await recordStatements(db.pool, () => costly.execute(query, { id: topicId, to: '2026-03-12T00:00:00Z' }));
    expect(result.errors![0]).toMatchObject({ extensions: { code: 'RANGE_TOO_LARGE', suggestedBucket: 'WEEK', buckets: 12 } });
    expect(statements).toEqual([]);
  });

  it('computes event lifecycle figures, the events open at an instant and those overlapping a period, from the raw rows', async () => {
    const events = [
      { type: 'anomaly', severity: 'critical', detected: '2026-03-02T06:00:00Z', resolved: '2026-03-02T18:00:00Z' },
      { type: 'anomaly', severity: 'critical', detected: '2026-03-05T00:00:00Z', resolved: '2026-03-09T00:00:00Z' },
      { type: 'risk', severity: 'warning', detected: '2026-03-06T00:00:00Z', resolved: null },
      { type: 'note', severity: 'info', detected: '2026-02-20T00:00:00Z', resolved: '2026-03-03T00:00:00Z' },
      { type: 'risk', severity: 'critical', detected: '2026-03-21T00:00:00Z', resolved: '2026-03-30T12:00:00Z' },
    ];
    const { rows: [period] } = await db.pool.query(`SELECT id FROM analysis_periods WHERE entity_id = $1 AND period_number = 2`, [topicId]);
    const ids: string[] = [];
    for (const e of events) {
      const { rows } = await db.pool.query(
        `INSERT INTO temporal_events (period_id, entity_type, entity_id, event_type, severity, title, description, first_detected_at, resolved_at)
         VALUES ($1, 'topic', $2, $3, $4, $3, 'x', $5, $6) RETURNING id`, [period.id, topicId, e.type, e.severity, e.detected, e.resolved]);
      ids.push(rows[0].id);
    }
    const [from, to] = ['2026-03-01T00:00:00Z', '2026-03-25T00:00:00Z'];
    const inWindow = (x: string | null) => x !== null && t(x) >= t(from) && t(x) < t(to);
    const opened = events.filter((e) => inWindow(e.detected));
    const resolved = events.filter((e) => inWindow(e.resolved));
    const stillOpen = events.filter((e) => t(e.detected) < t(to) && (e.resolved === null || t(e.resolved) >= t(to)));
    const hours = resolved.map((e) => (t(e.resolved!) - t(e.detected)) / H).sort((a, b) => a - b);
    const result = await gateway.execute<{ topic: Record<string, any> }>(
      `query($id: ID!, $from: DateTime, $to: DateTime, $at: DateTime!) { topic(id: $id) {
         eventStats(from: $from, to: $to) { opened resolved stillOpen timeToResolveP50Hours timeToResolveP90Hours timeToResolveMaxHours
           bySeverity { key opened resolved stillOpen } byType { key opened resolved stillOpen } }
         openEventsAt(at: $at) { id }
         periods(first: 10) { edges { node { periodNumber overlappingEvents { id } } } }
       } }`,
      { id: topicId, from, to, at: '2026-03-06T12:00:00Z' },
    );
    expect(result.errors).toBeUndefined();
    const stats = result.data!.topic.eventStats;
    expect(stats).toMatchObject({ opened: opened.length, resolved: resolved.length, stillOpen: stillOpen.length });
    expect(stats.timeToResolveP50Hours).toBeCloseTo(percentile(hours, 0.5)!, 9);
    expect(stats.timeToResolveP90Hours).toBeCloseTo(percentile(hours, 0.9)!, 9);
    expect(stats.timeToResolveMaxHours).toBeCloseTo(Math.max(...hours), 9);
    const critical = stats.bySeverity.find((c: { key: string }) => c.key === 'CRITICAL');
    expect(critical).toEqual({
      key: 'CRITICAL',
      opened: opened.filter((e) => e.severity === 'critical').length,
      resolved: resolved.filter((e) => e.severity === 'critical').length,
      stillOpen: stillOpen.filter((e) => e.severity === 'critical').length,
    });
    expect(stats.byType.map((c: { key: string }) => c.key)).toEqual(['anomaly', 'note', 'risk']);
    const at = t('2026-03-06T12:00:00Z');
    const openAt = events.map((e, i) => ({ ...e, id: ids[i] })).filter((e) => t(e.detected) <= at && (e.resolved === null || t(e.resolved) > at));
    expect(result.data!.topic.openEventsAt.map((e: { id: string }) => e.id).sort()).toEqual(openAt.map((e) => e.id).sort());
    // Period 1 (2–4 March): the events open at some point in it.
    const p1 = result.data!.topic.periods.edges.find((e: { node: { periodNumber: number } }) => e.node.periodNumber === 1).node;
    const overlapping = events.map((e, i) => ({ ...e, id: ids[i] }))
      .filter((e) => t(e.detected) < t(PERIODS[0]!.end) && (e.resolved === null || t(e.resolved) > t(PERIODS[0]!.start)));
    expect(p1.overlappingEvents.map((e: { id: string }) => e.id).sort()).toEqual(overlapping.map((e) => e.id).sort());

    // An entity without events: zeros and nulls.
    const quiet = await insertTopic(db.pool, 'Quiet');
    const empty = await gateway.execute<{ topic: Record<string, any> }>(`query($id: ID!) { topic(id: $id) { eventStats { opened resolved stillOpen timeToResolveP50Hours bySeverity { key } } } }`, { id: quiet });
    expect(empty.data!.topic.eventStats).toEqual({ opened: 0, resolved: 0, stillOpen: 0, timeToResolveP50Hours: null, bySeverity: [] });
  });

  it('finds the holes of a timeline, its coverage and the periods of outlying length', async () => {
    const result = await gateway.execute<{ topic: Record<string, any> }>(
      `query($id: ID!) { topic(id: $id) { timelineGaps { start end hours } long: timelineGaps(minHours: 500) { hours } timelineSummary { coverageRatio } } }`,
      { id: topicId },
    );
    const gaps = PERIODS.slice(1).map((p, i) => ({ start: PERIODS[i]!.end, end: p.start })).filter((g) => t(g.end) > t(g.start));
    expect(result.data!.topic.timelineGaps).toEqual(gaps.map((g) => ({ start: new Date(g.start).toISOString(), end: new Date(g.end).toISOString(), hours: (t(g.end) - t(g.start)) / H })));
    expect(result.data!.topic.long).toEqual(gaps.filter((g) => (t(g.end) - t(g.start)) / H > 500).map((g) => ({ hours: (t(g.end) - t(g.start)) / H })));
    // Periods whose length is an outlier, against the mean and (population) deviation computed here.
    const lengths = PERIODS.map((p) => (t(p.end) - t(p.start)) / H);
    const mean = lengths.reduce((a, b) => a + b, 0) / lengths.length;
    const sd = Math.sqrt(lengths.reduce((a, b) => a + (b - mean) ** 2, 0) / lengths.length);
    for (const threshold of [1.0, 1.5]) {
      const outliers = await gateway.execute<{ topic: { durationOutliers: { periodNumber: number }[] } }>(
        `query($id: ID!, $threshold: Float) { topic(id: $id) { durationOutliers(threshold: $threshold) { periodNumber } } }`, { id: topicId, threshold });
      const expected = lengths.map((l, i) => ({ periodNumber: i + 1, z: Math.abs(l - mean) / sd })).filter((p) => p.z > threshold).map((p) => ({ periodNumber: p.periodNumber }));
      expect(expected.length).toBeGreaterThan(0);
      expect(outliers.data!.topic.durationOutliers).toEqual(expected);
    }
    const covered = PERIODS.reduce((s, p) => s + t(p.end) - t(p.start), 0);
    expect(result.data!.topic.timelineSummary.coverageRatio).toBeCloseTo(covered / (t(PERIODS.at(-1)!.end) - t(PERIODS[0]!.start)), 9);
  });

  it('reads each new field in one statement however many entities are listed', async () => {
    const query = `{ topics(first: 20) { edges { node {
      metricSeries(metric: "total_posts", bucket: WEEK, fill: PREVIOUS) { value }
      eventStats(window: { last: "4w" }) { opened }
      openEventsAt(at: "2026-03-06T00:00:00Z") { id }
      timelineGaps { hours }
      durationOutliers(threshold: 1.5) { periodNumber }
    } } } }`;
    const { result, statements } = await recordStatements(db.pool, () => gateway.execute(query));
    expect(result.errors).toBeUndefined();
    // The list reads the series and the event figures with its topics; then one statement per field for all topics.
    expect(statements).toHaveLength(4);
    // The same fields for one topic: one statement.
    const one = await recordStatements(db.pool, () => gateway.execute(`query($id: ID!) { topic(id: $id) {
      metricSeries(metric: "total_posts", bucket: WEEK, fill: PREVIOUS) { value } eventStats(window: { last: "30d" }) { opened } } }`, { id: topicId }));
    expect(one.result.errors).toBeUndefined();
    expect(one.statements).toHaveLength(1);
    // Each per-group count is read only when selected.
    expect(one.statements[0]).not.toMatch(/GROUP BY event_type|e\.severity = s\.k/);
    const grouped = await recordStatements(db.pool, () =>
      gateway.execute<{ topic: { eventStats: { opened: number; bySeverity: { key: string; opened: number }[] } } }>(
        `query($id: ID!) { topic(id: $id) { eventStats(window: { last: "30d" }) { opened bySeverity { key opened } } } }`,
        { id: topicId },
      ),
    );
    expect(grouped.statements[0]).toMatch(/e\.severity = s\.k/);
    expect(grouped.statements[0]).not.toMatch(/GROUP BY event_type/);
    const { bySeverity, opened } = grouped.result.data!.topic.eventStats;
    expect(bySeverity.reduce((sum, group) => sum + group.opened, 0)).toBe(opened);
  });
});
