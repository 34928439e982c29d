import { describe, expect, it } from 'vitest';
import { comparePeriods } from '../src/services/periods/comparison.js';
import { createTestDatabase } from './helpers/database.js';
import { hoursAfter, insertContent, insertPeriod, insertTopic } from './helpers/fixtures.js';
import { createTestGateway } from './helpers/gateway.js';

describe('comparePeriods (domain function) and ties in relevance', async () => {
  const db = await createTestDatabase();
  const topicId = await insertTopic(db.pool, 'Compare');
  const from = await insertPeriod(db.pool, { entityId: topicId, number: 1, start: hoursAfter(0), end: hoursAfter(10), metrics: { a: 0, b: 10, c: 'text' }, contentCount: 2, qualityScore: 0.5 });
  const to = await insertPeriod(db.pool, { entityId: topicId, number: 2, start: hoursAfter(10), end: hoursAfter(20), metrics: { a: 5, b: 5, d: 1 }, contentCount: 5, qualityScore: null });
  const event = async (title: string, detected: number, resolved: number | null) => {
    await db.pool.query(
      `INSERT INTO temporal_events (period_id, entity_type, entity_id, event_type, title, description, first_detected_at, resolved_at)
       VALUES ($1, 'topic', $2, 'note', $3, 'd', $4, $5)`,
      [from, topicId, title, hoursAfter(detected), resolved === null ? null : hoursAfter(resolved)],
    );
  };
  await event('before and still open', 2, null);
  await event('at from end (not opened)', 10, null);
  await event('opened and resolved inside', 12, 15);
  await event('resolved exactly at to end', 5, 20);
  await event('resolved after to end', 18, 25);
  await event('detected after to end', 21, null);
  const shared = await insertContent(db.pool, { topicId }, 'shared');
  const onlyFrom = await insertContent(db.pool, { topicId }, 'only from');
  const onlyTo = await insertContent(db.pool, { topicId }, 'only to');
  for (const [period, content] of [[from, shared], [from, onlyFrom], [to, shared], [to, onlyTo]] as const) {
    await db.pool.query(`INSERT INTO period_content_snapshots (period_id, content_id, relevance_score) VALUES ($1, $2, 0.5)`, [period, content]);
  }

  it('classifies events at the window edges and computes every change', async () => {
    const comparison = await comparePeriods(db.pool, 'topic', topicId, 1, 2);
    const titles = (events: { title: string }[]) => events.map((e) => e.title).sort();
    expect(titles(comparison.eventsOpened)).toEqual(['opened and resolved inside', 'resolved after to end']);
    expect(titles(comparison.eventsResolved)).toEqual(['opened and resolved inside', 'resolved exactly at to end']);
    expect(titles(comparison.eventsOngoing)).toEqual(['at from end (not opened)', 'before and still open', 'resolved after to end']);
    expect(comparison.metrics).toEqual([
      { key: 'a', previous: 0, current: 5, absolute: 5, percent: null },
      { key: 'b', previous: 10, current: 5, absolute: -5, percent: -50 },
      { key: 'c', previous: 'text', current: null, absolute: null, percent: null },
      { key: 'd', previous: null, current: 1, absolute: null, percent: null },
    ]);
    expect(comparison).toMatchObject({
      elapsedHours: 10,
      contentOverlap: { shared: 1, onlyFrom: 1, onlyTo: 1 },
      contentCountChange: 3,
      qualityChange: null,
      completenessChange: null,
    });
  });

  it('compares in either order and names every missing period', async () => {
    const backwards = await comparePeriods(db.pool, 'topic', topicId, 2, 1);
    expect(backwards.elapsedHours).toBe(-10);
    await expect(comparePeriods(db.pool, 'topic', topicId, 7, 9)).rejects.toMatchObject({
      message: expect.stringMatching(/no active period 7 or 9/),
      code: 'NOT_FOUND',
      details: { missingPeriodNumbers: [7, 9] },
    });
  });

  it('breaks ties in relevance by id, so pages neither repeat nor skip', async () => {
    const gateway = createTestGateway(db);
    const tied = await insertPeriod(db.pool, { entityId: topicId, number: 3, start: hoursAfter(20), end: hoursAfter(30) });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const content = await insertContent(db.pool, { topicId }, `tied ${i}`);
      const { rows } = await db.pool.query(`INSERT INTO period_content_snapshots (period_id, content_id, relevance_score) VALUES ($1, $2, 0.7) RETURNING id`, [tied, content]);
      ids.push(rows[0].id);
    }
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const result: any = await gateway.execute(
        `query($id: ID!, $after: String) { period(id: $id) { contents(first: 2, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } } } } }`,
        { id: tied, after },
      );
      const contents = result.data.period.contents;
      seen.push(...contents.edges.map((e: any) => e.node.id));
      after = contents.pageInfo.hasNextPage ? contents.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual([...ids].sort());

    const timeline: any = await gateway.execute(
      `query($id: ID!) { topic(id: $id) { contentTimeline(from: "${hoursAfter(20)}", first: 10) { edges { node { contentId relevanceScore } } } } }`,
      { id: topicId },
    );
    const contentIds = timeline.data.topic.contentTimeline.edges.map((e: any) => e.node.contentId);
    expect(contentIds).toEqual([...contentIds].sort());
    expect(contentIds).toHaveLength(5);
  });
});
