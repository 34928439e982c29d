import { describe, expect, it } from 'vitest';
import { DEMO_ANCHOR, demoGateway } from './helpers/demo.js';

/** The README's temporal examples on the demo data (anchored in the past, so with explicit windows ending at its anchor). */
describe('temporal analytics on the demo data', async () => {
  const { db, gateway } = await demoGateway();

  it('answers the README examples', async () => {
    const topics = await gateway.execute<{ topics: { edges: { node: { id: string } }[] } }>('{ topics(first: 1) { edges { node { id } } } }');
    const topic = topics.data!.topics.edges[0]!.node.id;
    const from = new Date(DEMO_ANCHOR.getTime() - 12 * 7 * 24 * 3_600_000).toISOString();
    const result = await gateway.execute<{ topic: Record<string, any> }>(
      `query($topic: ID!, $from: DateTime, $to: DateTime, $at: DateTime!) { topic(id: $topic) {
        metricSeries(metric: "total_posts", bucket: WEEK, from: $from, to: $to, aggregate: SUM, fill: PREVIOUS) { start value periodCount filled }
        openEventsAt(at: $at) { title severity }
        eventStats(from: $from, to: $to) { opened resolved stillOpen timeToResolveP50Hours bySeverity { key opened } }
        timelineGaps(minHours: 0) { hours }
        timelineSummary { coverageRatio }
      } }`,
      { topic, from, to: DEMO_ANCHOR.toISOString(), at: new Date(DEMO_ANCHOR.getTime() - 48 * 3_600_000).toISOString() },
    );
    expect(result.errors).toBeUndefined();
    const answer = result.data!.topic;
    // Monday-aligned weeks from the one holding `from` to the one holding the anchor.
    const day = 24 * 3_600_000;
    const monday = (ms: number) => Math.floor(ms / day) * day - ((new Date(ms).getUTCDay() + 6) % 7) * day;
    const weeks = Math.ceil((DEMO_ANCHOR.getTime() - monday(new Date(from).getTime())) / (7 * day));
    expect(answer.metricSeries).toHaveLength(weeks);
    expect(new Date(answer.metricSeries[0].start).getTime()).toBe(monday(new Date(from).getTime()));
    expect(answer.metricSeries.filter((b: { periodCount: number }) => b.periodCount > 0).length).toBeGreaterThan(0);
    expect(answer.eventStats.opened).toBeGreaterThan(0);
    expect(answer.timelineSummary.coverageRatio).toBeGreaterThan(0);
    // The events open at that instant, from the raw rows.
    const at = new Date(DEMO_ANCHOR.getTime() - 48 * 3_600_000);
    const { rows } = await db.pool.query(
      `SELECT title FROM temporal_events WHERE entity_type = 'topic' AND entity_id = $1 AND first_detected_at <= $2 AND (resolved_at IS NULL OR resolved_at > $2)
       ORDER BY first_detected_at, id`, [topic, at]);
    expect(answer.openEventsAt.map((e: { title: string }) => e.title)).toEqual(rows.map((r) => r.title));
  });
});
