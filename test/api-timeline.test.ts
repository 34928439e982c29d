import { describe, expect, it } from 'vitest';
import { computeMetricChanges } from '../src/services/periods/metricChanges.js';
import { demoGateway } from './helpers/demo.js';
import { insertPeriod, insertTopic } from './helpers/fixtures.js';

interface PeriodNode {
  id: string;
  periodNumber: number;
  status?: string;
}
interface Connection<T> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: T }[];
}

describe('entity timelines over GraphQL', async () => {
  const { db, gateway, entityId } = await demoGateway();
  const topicId = await entityId('AI regulation');
  const activeRows = async (id: string) =>
    (await db.pool.query(`SELECT * FROM analysis_periods WHERE entity_id = $1 AND status = 'active' ORDER BY period_number DESC`, [id])).rows;

  async function periods(id: string, args: string, selection = 'id periodNumber status') {
    const result = await gateway.execute<{ topic: { periods: Connection<PeriodNode & Record<string, unknown>> } }>(
      `query($id: ID!) { topic(id: $id) { periods(${args}) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${selection} } } } } }`,
      { id },
    );
    expect(result.errors).toBeUndefined();
    return result.data!.topic.periods;
  }

  it('lists active periods newest first by default', async () => {
    const page = await periods(topicId, 'first: 100');
    const rows = await activeRows(topicId);
    expect(page.totalCount).toBe(rows.length);
    expect(page.edges.map((e) => e.node.id)).toEqual(rows.map((r) => r.id));
    expect(new Set(page.edges.map((e) => e.node.status))).toEqual(new Set(['ACTIVE']));
  });

  it('includes other statuses when asked, superseded periods linked to their replacement', async () => {
    const superseded = await periods(topicId, 'status: [SUPERSEDED]', 'id periodNumber status supersessionReason supersededBy { id status periodNumber }');
    expect(superseded.totalCount).toBe(1);
    const node = superseded.edges[0]!.node;
    const replacement = (await db.pool.query(`SELECT id FROM analysis_periods WHERE entity_id = $1 AND status = 'active' AND period_number = 5`, [topicId])).rows[0];
    expect(node).toMatchObject({ periodNumber: 5, status: 'SUPERSEDED', supersededBy: { id: replacement.id, status: 'ACTIVE', periodNumber: 5 } });
    expect(node.supersessionReason).toMatch(/late-arriving/);

    const both = await periods(topicId, 'status: [ACTIVE, SUPERSEDED], first: 100');
    expect(both.totalCount).toBe(13);
    expect(both.edges.filter((e) => e.node.periodNumber === 5).map((e) => e.node.status)).toEqual(['ACTIVE', 'SUPERSEDED']);

    const chain = await gateway.execute<{ period: { supersedes: { id: string; status: string }[] } }>(
      `query($id: ID!) { period(id: $id) { supersedes { id status } } }`,
      { id: replacement.id },
    );
    expect(chain.data!.period.supersedes).toEqual([{ id: node.id, status: 'SUPERSEDED' }]);
  });

  it('keeps periods overlapping the from/to window', async () => {
    const rows = await activeRows(topicId);
    const from = new Date(rows.find((r) => r.period_number === 3).period_start.getTime() + 3_600_000);
    const to = new Date(rows.find((r) => r.period_number === 6).period_start.getTime() + 1_800_000);
    const result = await gateway.execute<{ topic: { periods: Connection<PeriodNode> } }>(
      `query($id: ID!, $from: DateTime, $to: DateTime) { topic(id: $id) { periods(from: $from, to: $to) { totalCount edges { node { periodNumber } } } } }`,
      { id: topicId, from: from.toISOString(), to: to.toISOString() },
    );
    const expected = rows.filter((r) => r.period_end > from && r.period_start < to).map((r) => r.period_number);
    expect(expected).toEqual([6, 5, 4, 3]);
    expect(result.data!.topic.periods.edges.map((e) => e.node.periodNumber)).toEqual(expected);
    expect(result.data!.topic.periods.totalCount).toBe(4);

    const reversed = await gateway.execute(
      `query($id: ID!, $from: DateTime, $to: DateTime) { topic(id: $id) { periods(from: $from, to: $to) { totalCount } } }`,
      { id: topicId, from: to.toISOString(), to: from.toISOString() },
    );
    expect(reversed.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'from' });
    expect(reversed.errors![0]!.message).toMatch(/must not be after/);
  });

  it('pages with cursors that stay valid when newer periods arrive between pages', async () => {
    const pageTopic = await insertTopic(db.pool, 'Paging');
    for (let n = 1; n <= 8; n++) {
      await insertPeriod(db.pool, { entityId: pageTopic, number: n, start: `2026-02-0${n}T00:00:00Z`, end: `2026-02-0${n + 1}T00:00:00Z` });
    }
    const first = await periods(pageTopic, 'first: 3');
    expect(first.edges.map((e) => e.node.periodNumber)).toEqual([8, 7, 6]);
    expect(first.pageInfo.hasNextPage).toBe(true);

    await insertPeriod(db.pool, { entityId: pageTopic, number: 9, start: '2026-02-09T00:00:00Z', end: '2026-02-10T00:00:00Z' });
    await insertPeriod(db.pool, { entityId: pageTopic, number: 10, start: '2026-02-10T00:00:00Z', end: '2026-02-11T00:00:00Z' });

    const second = await periods(pageTopic, `first: 3, after: "${first.pageInfo.endCursor}"`);
    expect(second.edges.map((e) => e.node.periodNumber)).toEqual([5, 4, 3]);
    const last = await periods(pageTopic, `first: 3, after: "${second.pageInfo.endCursor}"`);
    expect(last.edges.map((e) => e.node.periodNumber)).toEqual([2, 1]);
    expect(last.pageInfo.hasNextPage).toBe(false);
    expect(last.totalCount).toBe(10);

    const bogus = await gateway.execute(`query($id: ID!) { topic(id: $id) { periods(after: "nonsense") { totalCount } } }`, { id: pageTopic });
    expect(bogus.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });

  it('pages exactly through rows whose times differ below a millisecond', async () => {
    const topic = await insertTopic(db.pool, 'Microseconds');
    const active = await insertPeriod(db.pool, { entityId: topic, number: 1, start: '2026-02-01T00:00:00Z', end: '2026-02-02T00:00:00Z' });
    const superseded = await insertPeriod(db.pool, { entityId: topic, number: 1, start: '2026-02-01T00:00:00Z', end: '2026-02-02T00:00:00Z', status: 'superseded' });
    await db.pool.query(`UPDATE analysis_periods SET created_at = '2026-02-02 00:00:00.123456+00' WHERE id = $1`, [active]);
    await db.pool.query(`UPDATE analysis_periods SET created_at = '2026-02-02 00:00:00.123100+00' WHERE id = $1`, [superseded]);
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 3; i++) {
      const page: Connection<PeriodNode> = await periods(topic, `status: [ACTIVE, SUPERSEDED], first: 1${after ? `, after: "${after}"` : ''}`);
      seen.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen.sort()).toEqual([active, superseded].sort());
  });

  it('gives each period its metric changes against the previous active period, and its neighbours', async () => {
    const page = await periods(topicId, 'first: 100', 'id periodNumber metricsDelta metricChanges { key previous current absolute percent } previous { periodNumber } next { periodNumber }');
    const rows = (await activeRows(topicId)).reverse();
    for (const edge of page.edges) {
      const index = rows.findIndex((r) => r.id === edge.node.id);
      const row = rows[index]!;
      const previous = rows[index - 1];
      expect(edge.node.metricsDelta).toEqual(row.metrics_delta);
      expect(edge.node.previous).toEqual(previous ? { periodNumber: previous.period_number } : null);
      expect(edge.node.next).toEqual(rows[index + 1] ? { periodNumber: rows[index + 1].period_number } : null);
      if (!previous) {
        expect(edge.node.metricChanges).toEqual([]);
        continue;
      }
      const keys = [...new Set([...Object.keys(previous.metrics), ...Object.keys(row.metrics)])].sort();
      expect(edge.node.metricChanges).toEqual(
        keys.map((key) => {
          const before = previous.metrics[key];
          const after = row.metrics[key];
          const absolute = after - before;
          return { key, previous: before, current: after, absolute, percent: before === 0 ? null : (absolute / before) * 100 };
        }),
      );
      // The flat delta the analyst stores agrees with the detailed changes.
      for (const change of edge.node.metricChanges as { key: string; absolute: number }[]) {
        expect(row.metrics_delta[change.key]).toBeCloseTo(change.absolute, 6);
      }
    }
  });

  it('counts unresolved events and crawl tasks, and lists events, effectiveness and contents of a period', async () => {
    const page = await periods(
      topicId,
      'first: 100',
      `id unresolvedEventCount crawlTaskCount events { id } crawlEffectiveness { id effectivenessScore }
       contents(first: 100) { totalCount edges { node { contentId relevanceScore textSnapshot } } }`,
    );
    for (const { node } of page.edges) {
      const events = (await db.pool.query(`SELECT id, resolved_at FROM temporal_events WHERE period_id = $1 ORDER BY first_detected_at, id`, [node.id])).rows;
      expect(node.events).toEqual(events.map((e) => ({ id: e.id })));
      expect(node.unresolvedEventCount).toBe(events.filter((e) => e.resolved_at === null).length);
      const tasks = (await db.pool.query(`SELECT count(*)::int AS n FROM tasks WHERE period_id = $1`, [node.id])).rows[0].n;
      expect(node.crawlTaskCount).toBe(tasks);
      const effectiveness = (await db.pool.query(`SELECT id, effectiveness_score FROM crawl_effectiveness WHERE period_id = $1`, [node.id])).rows;
      effectiveness.sort((a, b) => (b.effectiveness_score ?? -1) - (a.effectiveness_score ?? -1) || a.id.localeCompare(b.id));
      expect(node.crawlEffectiveness).toEqual(effectiveness.map((e) => ({ id: e.id, effectivenessScore: e.effectiveness_score })));
      const snapshots = (await db.pool.query(`SELECT content_id, relevance_score, text_snapshot, id FROM period_content_snapshots WHERE period_id = $1`, [node.id])).rows;
      snapshots.sort((a, b) => (b.relevance_score ?? -1) - (a.relevance_score ?? -1) || a.id.localeCompare(b.id));
      const contents = node.contents as Connection<Record<string, unknown>>;
      expect(contents.totalCount).toBe(snapshots.length);
      expect(contents.edges.map((e) => e.node)).toEqual(
        snapshots.map((s) => ({ contentId: s.content_id, relevanceScore: s.relevance_score, textSnapshot: s.text_snapshot })),
      );
    }
  });

  it('filters a period’s contents by minimum relevance', async () => {
    const period = (await activeRows(topicId))[0];
    const result = await gateway.execute<{ period: { contents: Connection<{ relevanceScore: number }> } }>(
      `query($id: ID!) { period(id: $id) { contents(minRelevance: 0.5) { totalCount edges { node { relevanceScore } } } } }`,
      { id: period.id },
    );
    const expected = (await db.pool.query(`SELECT relevance_score FROM period_content_snapshots WHERE period_id = $1 AND (relevance_score >= 0.5 OR relevance_score IS NULL) ORDER BY relevance_score DESC NULLS LAST`, [period.id])).rows;
    expect(result.data!.period.contents.edges.map((e) => e.node.relevanceScore)).toEqual(expected.map((r) => r.relevance_score));
    expect(result.data!.period.contents.totalCount).toBe(expected.length);
  });

  it('finds periods by number on the entity and at the root, null when missing', async () => {
    const rows = await activeRows(topicId);
    const result = await gateway.execute<{ topic: { periodByNumber: { id: string } | null; missing: null }; periodByNumber: { id: string } }>(
      `query($id: ID!) { topic(id: $id) { periodByNumber(number: 7) { id } missing: periodByNumber(number: 99) { id } }
                         periodByNumber(entityType: TOPIC, entityId: $id, number: 5) { id } }`,
      { id: topicId },
    );
    expect(result.data!.topic.periodByNumber).toEqual({ id: rows.find((r) => r.period_number === 7).id });
    expect(result.data!.topic.missing).toBeNull();
    expect(result.data!.periodByNumber).toEqual({ id: rows.find((r) => r.period_number === 5).id });
  });

  it('handles an entity with no periods and one with a single period', async () => {
    const pending = await entityId('Quantum networking');
    const empty = await gateway.execute<{ topic: Record<string, unknown> }>(
      `query($id: ID!) { topic(id: $id) { lastPeriod { id } timelineSummary { totalPeriods } metricTrend { periodNumber }
         anomalies(metric: "total_posts") { periodNumber } periods { totalCount edges { cursor } pageInfo { hasNextPage } }
         events { totalCount } crawlEffectiveness { totalCount } contentTimeline { totalCount } } }`,
      { id: pending },
    );
    expect(empty.data!.topic).toEqual({
      lastPeriod: null,
      timelineSummary: null,
      metricTrend: [],
      anomalies: [],
      periods: { totalCount: 0, edges: [], pageInfo: { hasNextPage: false } },
      events: { totalCount: 0 },
      crawlEffectiveness: { totalCount: 0 },
      contentTimeline: { totalCount: 0 },
    });

    const single = await insertTopic(db.pool, 'Single period');
    await insertPeriod(db.pool, { entityId: single, number: 1, start: '2026-03-01T00:00:00Z', end: '2026-03-01T12:00:00Z', metrics: { total_posts: 10 } });
    const one = await gateway.execute<{ topic: { periods: Connection<Record<string, unknown>>; anomalies: unknown[] } }>(
      `query($id: ID!) { topic(id: $id) { anomalies(metric: "total_posts", threshold: 0) { periodNumber }
         periods { edges { node { metricsDelta metricChanges { key } previous { id } next { id } } } } } }`,
      { id: single },
    );
    expect(one.data!.topic.anomalies).toEqual([]);
    expect(one.data!.topic.periods.edges.map((e) => e.node)).toEqual([{ metricsDelta: {}, metricChanges: [], previous: null, next: null }]);
  });

  it('computes metric changes over the union of keys, with null where not numeric or previous is 0', () => {
    expect(computeMetricChanges({ a: 0, b: 4, c: 'x', d: 2 }, { a: 5, b: 2, c: 3, e: 1 })).toEqual([
      { key: 'a', previous: 0, current: 5, absolute: 5, percent: null },
      { key: 'b', previous: 4, current: 2, absolute: -2, percent: -50 },
      { key: 'c', previous: 'x', current: 3, absolute: null, percent: null },
      { key: 'd', previous: 2, current: null, absolute: null, percent: null },
      { key: 'e', previous: null, current: 1, absolute: null, percent: null },
    ]);
    expect(computeMetricChanges(null, { a: 1 })).toEqual([{ key: 'a', previous: null, current: 1, absolute: null, percent: null }]);
  });
});
