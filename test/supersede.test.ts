import { describe, expect, it } from 'vitest';
import { recordAnalysisPeriod } from '../src/services/periods/recordPeriod.js';
import { supersedePeriod } from '../src/services/periods/supersede.js';
import { createTestDatabase } from './helpers/database.js';
import { insertContent, insertTopic } from './helpers/fixtures.js';
import { createTestGateway } from './helpers/gateway.js';

const hours = (h: number) => new Date(Date.parse('2026-03-01T00:00:00Z') + h * 3_600_000);

describe('supersedePeriod and as-of timelines', async () => {
  const db = await createTestDatabase();
  const gateway = createTestGateway(db);
  const topicId = await insertTopic(db.pool, 'Re-runs');
  const contentId = await insertContent(db.pool, { topicId }, 'evidence');
  await db.pool.query(`UPDATE contents SET crawled_at = $1 WHERE id = $2`, [hours(13), contentId]);
  const ids: string[] = [];
  for (const [n, metrics] of [[1, { total_posts: 10 }], [2, { total_posts: 20 }], [3, { total_posts: 50 }]] as const) {
    const { id } = await recordAnalysisPeriod(db.pool, {
      entityType: 'topic', entityId: topicId, summary: `run ${n}`, metrics,
      periodStart: n === 1 ? hours(0) : null, periodEnd: hours(12 * n),
      contents: n === 2 ? [{ contentId, relevanceScore: 0.4 }] : [],
    });
    ids.push(id);
  }
  const snapshot = async () =>
    (await db.pool.query(`SELECT id, status, period_number, superseded_by, period_start, period_end FROM analysis_periods WHERE entity_id = $1 ORDER BY created_at, id`, [topicId])).rows;
  const clock = async () => (await db.pool.query<{ now: Date }>('SELECT clock_timestamp() AS now')).rows[0]!.now;

  const beforeSupersession = await clock();
  let replacementId = '';

  it('replaces an active period: the old one superseded and linked, the replacement in its place', async () => {
    const result = await gateway.execute<{ supersedePeriod: Record<string, any> }>(
      `mutation($input: SupersedePeriodInput!) { supersedePeriod(input: $input) {
         id periodNumber status summary periodStart periodEnd metrics metricsDelta contentCount
         supersedes { id status supersessionReason supersededBy { id } }
         contents { edges { node { contentId relevanceScore } } } next { metricsDelta } } }`,
      { input: { periodId: ids[1], reason: 'late crawl data', summary: 'run 2, again', metrics: { total_posts: 30 } } },
    );
    expect(result.errors).toBeUndefined();
    const replacement = result.data!.supersedePeriod;
    replacementId = replacement.id;
    expect(replacement).toMatchObject({
      periodNumber: 2,
      status: 'ACTIVE',
      summary: 'run 2, again',
      periodStart: hours(12).toISOString(),
      periodEnd: hours(24).toISOString(),
      metrics: { total_posts: 30 },
      metricsDelta: { total_posts: 20 },
      contentCount: 1,
      supersedes: [{ id: ids[1], status: 'SUPERSEDED', supersessionReason: 'late crawl data', supersededBy: { id: replacement.id } }],
      contents: { edges: [{ node: { contentId, relevanceScore: 0.4 } }] },
      // The next period's delta now compares with the replacement.
      next: { metricsDelta: { total_posts: 20 } },
    });
    const { rows } = await db.pool.query(`SELECT analysis_period_id FROM contents WHERE id = $1`, [contentId]);
    expect(rows[0].analysis_period_id).toBe(replacement.id);
    const entity = (await db.pool.query(`SELECT total_periods, current_period_number FROM topics WHERE id = $1`, [topicId])).rows[0];
    expect(entity).toEqual({ total_periods: 3, current_period_number: 3 });
  });

  it('refuses to supersede a period that is not active, changing nothing', async () => {
    const before = await snapshot();
    const result = await gateway.execute(`mutation($id: ID!) { supersedePeriod(input: { periodId: $id, reason: "again" }) { id } }`, { id: ids[1] });
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'INVALID_STATE', status: 'superseded' });
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a corrected window that overlaps a neighbour, naming it, and accepts one that fits', async () => {
    const before = await snapshot();
    const overlapping = await gateway.execute(
      `mutation($id: ID!, $end: DateTime) { supersedePeriod(input: { periodId: $id, reason: "wider", periodEnd: $end }) { id } }`,
      { id: replacementId, end: hours(30).toISOString() },
    );
    expect(overlapping.errors![0]!.extensions).toMatchObject({ code: 'PERIOD_OVERLAP', conflictingPeriodNumber: 3 });
    expect(await snapshot()).toEqual(before);

    const narrower = await supersedePeriod(db.pool, { periodId: replacementId, reason: 'tighter window', periodStart: hours(14), periodEnd: hours(22) });
    const { rows } = await db.pool.query(`SELECT period_number, period_start, period_end, duration_hours FROM analysis_periods WHERE id = $1`, [narrower.id]);
    expect(rows[0]).toEqual({ period_number: 2, period_start: hours(14), period_end: hours(22), duration_hours: 8 });
    const unknown = await gateway.execute(`{ supersedePeriod(input: { periodId: "00000000-0000-4000-8000-000000000009", reason: "r" }) { id } }`.replace('{ supersedePeriod', 'mutation { supersedePeriod'));
    expect(unknown.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('shows the timeline as it stood at a past instant', async () => {
    const asOf = async (at: Date) => {
      const result = await gateway.execute<{ topic: { periods: { edges: { node: { id: string; periodNumber: number } }[] } } }>(
        `query($id: ID!, $at: DateTime) { topic(id: $id) { periods(asOf: $at) { edges { node { id periodNumber } } } } }`,
        { id: topicId, at: at.toISOString() },
      );
      expect(result.errors).toBeUndefined();
      return result.data!.topic.periods.edges.map((e) => e.node);
    };
    const chain = (await db.pool.query(`SELECT id FROM analysis_periods WHERE entity_id = $1 AND period_number = 2 ORDER BY created_at`, [topicId])).rows.map((r) => r.id);
    expect(chain).toHaveLength(3);
    const [original, firstReplacement, current] = chain;

    expect(await asOf(beforeSupersession)).toEqual([
      { id: ids[2], periodNumber: 3 },
      { id: original, periodNumber: 2 },
      { id: ids[0], periodNumber: 1 },
    ]);
    const firstReplacementCreated = (await db.pool.query(`SELECT created_at FROM analysis_periods WHERE id = $1`, [firstReplacement])).rows[0].created_at;
    // PostgreSQL keeps microseconds, DateTime milliseconds: look one millisecond later.
    const justAfter = new Date(firstReplacementCreated.getTime() + 1);
    expect((await asOf(justAfter)).map((p) => p.id)).toEqual([ids[2], firstReplacement, ids[0]]);
    expect((await asOf(await clock())).map((p) => p.id)).toEqual([ids[2], current, ids[0]]);
    expect(await asOf(new Date('2020-01-01T00:00:00Z'))).toEqual([]);

    const combined = await gateway.execute(`query($id: ID!) { topic(id: $id) { periods(asOf: "2026-01-01T00:00:00Z", status: [ACTIVE]) { totalCount } } }`, { id: topicId });
    expect(combined.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'asOf' });
  });
});
