import { describe, expect, it } from 'vitest';
import { refreshMetricsTrend } from '../src/services/analytics/trendRefresh.js';
import { demoGateway } from './helpers/demo.js';
import { insertPeriod, insertTopic } from './helpers/fixtures.js';

interface Connection<T> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: T }[];
}

describe('views and SQL functions as GraphQL fields', async () => {
  const { db, gateway, entityId } = await demoGateway();
  const topicId = await entityId('AI regulation');
  const active = async (id: string) =>
    (await db.pool.query(`SELECT * FROM analysis_periods WHERE entity_id = $1 AND status = 'active' ORDER BY period_number`, [id])).rows;
  const query = async <T>(text: string, variables: Record<string, unknown> = { id: topicId }) => {
    const result = await gateway.execute<T>(text, variables);
    expect(result.errors).toBeUndefined();
    return result.data!;
  };

  it('timelineSummary aggregates the active periods', async () => {
    const rows = await active(topicId);
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const data = await query<{ topic: { timelineSummary: Record<string, unknown> } }>(
      `query($id: ID!) { topic(id: $id) { timelineSummary { totalPeriods firstPeriodStart lastPeriodEnd avgPeriodDurationHours
         totalContentAcrossPeriods avgQualityScore avgCompletenessScore } } }`,
    );
    const summary = data.topic.timelineSummary;
    expect(summary.totalPeriods).toBe(rows.length);
    expect(summary.firstPeriodStart).toBe(rows[0].period_start.toISOString());
    expect(summary.lastPeriodEnd).toBe(rows.at(-1).period_end.toISOString());
    expect(summary.avgPeriodDurationHours).toBeCloseTo(mean(rows.map((r) => r.duration_hours)), 9);
    expect(summary.totalContentAcrossPeriods).toBe(rows.reduce((a, r) => a + r.content_count, 0));
    expect(summary.avgQualityScore).toBeCloseTo(mean(rows.map((r) => r.quality_score)), 9);
    expect(summary.avgCompletenessScore).toBeCloseTo(mean(rows.map((r) => r.completeness_score)), 9);
  });

  it('metricTrend reads the materialized view: the last N periods with their two predecessors', async () => {
    const rows = await active(topicId);
    const data = await query<{ topic: { metricTrend: Record<string, unknown>[] } }>(
      `query($id: ID!) { topic(id: $id) { metricTrend(metric: "total_posts", last: 3) { periodNumber metric value previousValue previousPreviousValue prevMetrics } } }`,
    );
    const expected = rows.slice(-3).map((row) => {
      const index = rows.indexOf(row);
      return {
        periodNumber: row.period_number,
        metric: 'total_posts',
        value: row.metrics.total_posts,
        previousValue: rows[index - 1].metrics.total_posts,
        previousPreviousValue: rows[index - 2].metrics.total_posts,
        prevMetrics: rows[index - 1].metrics,
      };
    });
    expect(data.topic.metricTrend).toEqual(expected);
    const all = await query<{ topic: { metricTrend: unknown[] } }>(`query($id: ID!) { topic(id: $id) { metricTrend { periodNumber } } }`);
    expect(all.topic.metricTrend).toHaveLength(rows.length);
    const unknown = await query<{ topic: { metricTrend: unknown[] } }>(`query($id: ID!) { topic(id: $id) { metricTrend(metric: "no_such_metric") { periodNumber } } }`);
    expect(unknown.topic.metricTrend).toEqual([]);
  });

  it('anomalies match a z-score computed here over the active periods', async () => {
    let found = 0;
    for (const name of ['AI regulation', 'Electric vehicles', 'Climate summit', 'Crypto markets']) {
      const id = await entityId(name);
      const rows = await active(id);
      const values = rows.map((r) => r.metrics.total_posts as number);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
      const expected = rows
        .map((r) => ({ periodNumber: r.period_number, zScore: (r.metrics.total_posts - mean) / sd }))
        .filter((a) => Math.abs(a.zScore) > 1.5)
        .reverse();
      const data = await query<{ topic: { anomalies: { periodNumber: number; zScore: number; period: { id: string } }[] } }>(
        `query($id: ID!) { topic(id: $id) { anomalies(metric: "total_posts", threshold: 1.5) { periodNumber zScore period { id } } } }`,
        { id },
      );
      expect(data.topic.anomalies.map((a) => a.periodNumber)).toEqual(expected.map((a) => a.periodNumber));
      data.topic.anomalies.forEach((a, i) => expect(a.zScore).toBeCloseTo(expected[i]!.zScore, 9));
      found += data.topic.anomalies.length;
    }
    // The demo data plants spikes: an empty comparison would prove nothing.
    expect(found).toBeGreaterThan(0);
    const unknown = await query<{ topic: { anomalies: unknown[] } }>(`query($id: ID!) { topic(id: $id) { anomalies(metric: "nope") { periodNumber } } }`);
    expect(unknown.topic.anomalies).toEqual([]);
  });

  it('contentTimeline pages through snapshots newest period first, then by relevance', async () => {
    const rows = (
      await db.pool.query(
        `SELECT pcs.content_id, pcs.relevance_score, ap.period_number FROM period_content_snapshots pcs
         JOIN analysis_periods ap ON ap.id = pcs.period_id WHERE ap.entity_id = $1 AND ap.status = 'active'`,
        [topicId],
      )
    ).rows;
    rows.sort((a, b) => b.period_number - a.period_number || (b.relevance_score ?? -1) - (a.relevance_score ?? -1) || (a.content_id < b.content_id ? -1 : 1));
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const data: { topic: { contentTimeline: Connection<{ contentId: string }> } } = await query(
        `query($id: ID!, $after: String) { topic(id: $id) { contentTimeline(first: 7, after: $after) {
           totalCount pageInfo { hasNextPage endCursor } edges { node { contentId } } } } }`,
        { id: topicId, after },
      );
      expect(data.topic.contentTimeline.totalCount).toBe(rows.length);
      seen.push(...data.topic.contentTimeline.edges.map((e) => e.node.contentId));
      after = data.topic.contentTimeline.pageInfo.hasNextPage ? data.topic.contentTimeline.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(rows.map((r) => r.content_id));

    const filtered = await query<{ topic: { contentTimeline: Connection<{ relevanceScore: number; periodNumber: number }> } }>(
      `query($id: ID!) { topic(id: $id) { contentTimeline(minRelevance: 0.6, first: 100) { totalCount edges { node { relevanceScore periodNumber } } } } }`,
    );
    expect(filtered.topic.contentTimeline.totalCount).toBe(rows.filter((r) => r.relevance_score >= 0.6).length);
    expect(filtered.topic.contentTimeline.edges.every((e) => e.node.relevanceScore >= 0.6)).toBe(true);
  });

  it('events filter by open state, severity and type, newest detection first', async () => {
    const rows = (await db.pool.query(`SELECT * FROM temporal_events WHERE entity_id = $1 ORDER BY first_detected_at DESC, id DESC`, [topicId])).rows;
    const all = await query<{ topic: { events: Connection<{ id: string }> } }>(
      `query($id: ID!) { topic(id: $id) { events(first: 100) { totalCount edges { node { id } } } } }`,
    );
    expect(all.topic.events.edges.map((e) => e.node.id)).toEqual(rows.map((r) => r.id));
    const open = await query<{ topic: { events: Connection<{ id: string; resolvedAt: string | null }> } }>(
      `query($id: ID!) { topic(id: $id) { events(unresolvedOnly: true, first: 100) { totalCount edges { node { id resolvedAt } } } } }`,
    );
    expect(open.topic.events.edges.map((e) => e.node.id)).toEqual(rows.filter((r) => r.resolved_at === null).map((r) => r.id));
    expect(open.topic.events.totalCount).toBe(rows.filter((r) => r.resolved_at === null).length);
    const critical = await query<{ topic: { events: Connection<{ severity: string; eventType: string }> } }>(
      `query($id: ID!) { topic(id: $id) { events(severity: [CRITICAL, WARNING], eventType: "anomaly") { totalCount edges { node { severity eventType } } } } }`,
    );
    expect(critical.topic.events.totalCount).toBe(rows.filter((r) => ['critical', 'warning'].includes(r.severity) && r.event_type === 'anomaly').length);
  });

  it('crawlEffectiveness ranks by score with the 3-newest average per platform, and searches queries by trigram similarity', async () => {
    const rows = (await db.pool.query(`SELECT * FROM crawl_effectiveness WHERE entity_id = $1`, [topicId])).rows;
    const recentAverage = (platform: string) => {
      const newest = rows
        .filter((r) => r.platform === platform)
        .sort((a, b) => b.created_at - a.created_at || (a.id < b.id ? 1 : -1))
        .slice(0, 3)
        .map((r) => r.effectiveness_score);
      return newest.reduce((a, b) => a + b, 0) / newest.length;
    };
    const ranked = [...rows].sort((a, b) => (b.effectiveness_score ?? -1) - (a.effectiveness_score ?? -1) || (a.id < b.id ? 1 : -1));
    const data = await query<{ topic: { crawlEffectiveness: Connection<{ id: string; platform: string; recentAvgEffectiveness: number }> } }>(
      `query($id: ID!) { topic(id: $id) { crawlEffectiveness(first: 100) { totalCount edges { node { id platform recentAvgEffectiveness } } } } }`,
    );
    expect(data.topic.crawlEffectiveness.totalCount).toBe(rows.length);
    expect(data.topic.crawlEffectiveness.edges.map((e) => e.node.id)).toEqual(ranked.map((r) => r.id));
    for (const { node } of data.topic.crawlEffectiveness.edges) expect(node.recentAvgEffectiveness).toBeCloseTo(recentAverage(node.platform), 9);

    const reddit = await query<{ topic: { crawlEffectiveness: Connection<{ platform: string }> } }>(
      `query($id: ID!) { topic(id: $id) { crawlEffectiveness(platform: "reddit") { totalCount edges { node { platform } } } } }`,
    );
    expect(reddit.topic.crawlEffectiveness.totalCount).toBe(rows.filter((r) => r.platform === 'reddit').length);

    const search = await query<{ topic: { crawlEffectiveness: Connection<{ query: string; querySimilarity: number }> } }>(
      `query($id: ID!) { topic(id: $id) { crawlEffectiveness(querySearch: "ai polcy lang:en", first: 100) { totalCount edges { node { query querySimilarity } } } } }`,
    );
    expect(search.topic.crawlEffectiveness.totalCount).toBe(rows.filter((r) => r.query === 'ai policy lang:en').length);
    expect(new Set(search.topic.crawlEffectiveness.edges.map((e) => e.node.query))).toEqual(new Set(['ai policy lang:en']));
    expect(search.topic.crawlEffectiveness.edges[0]!.node.querySimilarity).toBeGreaterThan(0.3);
  });

  it('periodTimeline lists active periods of all entities, most recently analysed first', async () => {
    const users = (await db.pool.query(`SELECT id FROM analysis_periods WHERE entity_type = 'user' AND status = 'active' ORDER BY analyzed_at DESC, id DESC`)).rows;
    const data = await query<{ periodTimeline: Connection<{ id: string; entityType: string; entity: { name: string } }> }>(
      `{ periodTimeline(entityType: USER, first: 5) { totalCount edges { node { id entityType entity { name } } } } }`,
      {},
    );
    expect(data.periodTimeline.totalCount).toBe(users.length);
    expect(data.periodTimeline.edges.map((e) => e.node.id)).toEqual(users.slice(0, 5).map((r) => r.id));
    expect(new Set(data.periodTimeline.edges.map((e) => e.node.entityType))).toEqual(new Set(['USER']));

    // Many periods share an analyzed_at: paging must still visit each exactly once.
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: { periodTimeline: Connection<{ id: string }> } = await query(
        `query($after: String) { periodTimeline(entityType: USER, first: 7, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
        { after },
      );
      seen.push(...page.periodTimeline.edges.map((e) => e.node.id));
      after = page.periodTimeline.pageInfo.hasNextPage ? page.periodTimeline.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(users.map((r) => r.id));
  });

  it('comparePeriods agrees with a comparison computed here, and NOT_FOUND names a missing period', async () => {
    const rows = await active(topicId);
    const from = rows.find((r) => r.period_number === 3);
    const to = rows.find((r) => r.period_number === 9);
    const events = (await db.pool.query(`SELECT * FROM temporal_events WHERE entity_id = $1`, [topicId])).rows;
    const ids = (list: { id: string }[]) => list.map((e) => e.id).sort();
    const inWindow = (at: Date | null) => at !== null && at > from.period_end && at <= to.period_end;
    const snapshots = async (periodId: string) =>
      new Set((await db.pool.query(`SELECT content_id FROM period_content_snapshots WHERE period_id = $1`, [periodId])).rows.map((r) => r.content_id));
    const [fromContents, toContents] = [await snapshots(from.id), await snapshots(to.id)];
    const shared = [...fromContents].filter((c) => toContents.has(c)).length;

    const data = await query<{ comparePeriods: Record<string, unknown> & { metrics: { key: string; absolute: number }[] } }>(
      `query($id: ID!) { comparePeriods(entityType: TOPIC, entityId: $id, from: 3, to: 9) {
         from { id } to { id } elapsedHours metrics { key previous current absolute percent }
         eventsOpened { id } eventsResolved { id } eventsOngoing { id }
         contentOverlap { shared onlyFrom onlyTo } contentCountChange qualityChange completenessChange } }`,
    );
    const comparison = data.comparePeriods;
    expect(comparison.from).toEqual({ id: from.id });
    expect(comparison.to).toEqual({ id: to.id });
    expect(comparison.elapsedHours).toBe((to.period_end - from.period_end) / 3_600_000);
    expect(comparison.metrics.map((m) => m.key)).toEqual(Object.keys(to.metrics).sort());
    for (const change of comparison.metrics) expect(change.absolute).toBeCloseTo(to.metrics[change.key] - from.metrics[change.key], 9);
    expect(ids(comparison.eventsOpened as { id: string }[])).toEqual(ids(events.filter((e) => inWindow(e.first_detected_at))));
    expect(ids(comparison.eventsResolved as { id: string }[])).toEqual(ids(events.filter((e) => inWindow(e.resolved_at))));
    expect(ids(comparison.eventsOngoing as { id: string }[])).toEqual(
      ids(events.filter((e) => e.first_detected_at <= to.period_end && (e.resolved_at === null || e.resolved_at > to.period_end))),
    );
    expect(comparison.contentOverlap).toEqual({ shared, onlyFrom: fromContents.size - shared, onlyTo: toContents.size - shared });
    expect(comparison.contentCountChange).toBe(to.content_count - from.content_count);
    expect(comparison.qualityChange).toBeCloseTo(to.quality_score - from.quality_score, 9);
    expect(comparison.completenessChange).toBeCloseTo(to.completeness_score - from.completeness_score, 9);

    const missing = await gateway.execute(`query($id: ID!) { comparePeriods(entityType: TOPIC, entityId: $id, from: 3, to: 42) { elapsedHours } }`, { id: topicId });
    expect(missing.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', missingPeriodNumbers: [42] });
    expect(missing.errors![0]!.message).toMatch(/no active period 42/);
  });

  it('metricsTrendFreshness tells when the view was refreshed and whether newer periods exist', async () => {
    const fresh = await query<{ metricsTrendFreshness: { refreshedAt: string; durationMs: number; stale: boolean } }>(
      `{ metricsTrendFreshness { refreshedAt durationMs stale } }`,
      {},
    );
    expect(fresh.metricsTrendFreshness.stale).toBe(false);
    expect(Date.parse(fresh.metricsTrendFreshness.refreshedAt)).not.toBeNaN();
    expect(fresh.metricsTrendFreshness.durationMs).toBeGreaterThan(0);

    const topic = await insertTopic(db.pool, 'Freshness');
    await insertPeriod(db.pool, { entityId: topic, number: 1, start: '2026-04-01T00:00:00Z', end: '2026-04-02T00:00:00Z' });
    const stale = await query<{ metricsTrendFreshness: { stale: boolean } }>(`{ metricsTrendFreshness { stale } }`, {});
    expect(stale.metricsTrendFreshness.stale).toBe(true);

    await refreshMetricsTrend(db.pool);
    const refreshed = await query<{ metricsTrendFreshness: { stale: boolean; refreshedAt: string } }>(`{ metricsTrendFreshness { stale refreshedAt } }`, {});
    expect(refreshed.metricsTrendFreshness.stale).toBe(false);
    expect(Date.parse(refreshed.metricsTrendFreshness.refreshedAt)).toBeGreaterThan(Date.parse(fresh.metricsTrendFreshness.refreshedAt));
  });
});
