import { describe, expect, it } from 'vitest';
import { GatewayError } from '../src/errors.js';
import { recordAnalysisPeriod } from '../src/services/periods/recordPeriod.js';
import { toWriteError } from '../src/services/common/writes.js';
import { createTestDatabase, recordStatements, type TestDatabase } from './helpers/database.js';
import { insertContent, insertPeriod, insertTopic } from './helpers/fixtures.js';
import { createTestGateway } from './helpers/gateway.js';

const RECORD = `mutation Record($input: RecordAnalysisPeriodInput!) {
  recordAnalysisPeriod(input: $input) {
    id periodNumber periodStart periodEnd durationHours status contentCount metricsDelta
    contents { totalCount edges { node { contentId relevanceScore contributionType textSnapshot keyPointsSnapshot } } }
    events { eventType severity title period { id } contents { contentId relevance } }
    crawlEffectiveness { platform query totalFound relevantCount tasks { id } }
    entity { ... on Topic { currentPeriodNumber totalPeriods } }
  }
}`;

async function rowCounts(db: TestDatabase): Promise<Record<string, number>> {
  const { rows } = await db.pool.query(`SELECT
    (SELECT count(*) FROM analysis_periods)::int AS periods, (SELECT count(*) FROM temporal_events)::int AS events,
    (SELECT count(*) FROM crawl_effectiveness)::int AS crawl, (SELECT count(*) FROM period_content_snapshots)::int AS snapshots,
    (SELECT count(*) FROM contents WHERE analysis_period_id IS NOT NULL)::int AS linked`);
  return rows[0];
}

describe('recordAnalysisPeriod', async () => {
  const db = await createTestDatabase();
  const gateway = createTestGateway(db);

  it('keeps variables written inside a JSON literal (the compiled executor would drop them)', async () => {
    const topicId = await insertTopic(db.pool, 'Literal metrics', { createdAt: '2026-01-01T00:00:00Z' });
    const result = await gateway.execute<{ recordAnalysisPeriod: { metrics: unknown } }>(
      `mutation($id: ID!, $posts: Int!) {
        recordAnalysisPeriod(input: { entityType: TOPIC, entityId: $id, summary: "literal", periodEnd: "2026-01-02T00:00:00Z",
                                      metrics: { total_posts: $posts, total_likes: 10 } }) { metrics }
      }`,
      { id: topicId, posts: 42 },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.recordAnalysisPeriod.metrics).toEqual({ total_posts: 42, total_likes: 10 });
    const { rows } = await db.pool.query(`SELECT metrics FROM analysis_periods WHERE entity_id = $1`, [topicId]);
    expect(rows[0].metrics).toEqual({ total_posts: 42, total_likes: 10 });
  });

  it('records a first period with its contents, events and crawl records, and updates the entity', async () => {
    const topicId = await insertTopic(db.pool, 'Recording', { createdAt: '2026-01-01T00:00:00Z' });
    const first = await insertContent(db.pool, { topicId }, 'first post');
    const second = await insertContent(db.pool, { topicId }, 'second post');
    const unprocessed = await insertContent(db.pool, { topicId }, 'not processed yet', { processed: false });
    const late = await insertContent(db.pool, { topicId }, 'crawled after the period ended');
    await db.pool.query(`UPDATE contents SET crawled_at = '2026-01-01T12:00:00Z' WHERE id = ANY($1::uuid[])`, [[first, second, unprocessed]]);
    const { rows: task } = await db.pool.query(`INSERT INTO tasks (label) VALUES ('crawler:search') RETURNING id`);

    const result = await gateway.execute<{ recordAnalysisPeriod: Record<string, any> }>(RECORD, {
      input: {
        entityType: 'TOPIC', entityId: topicId, summary: 'First cycle', periodEnd: '2026-01-02T00:00:00Z',
        metrics: { total_posts: 10, total_likes: 100 }, qualityScore: 0.8,
        contents: [{ contentId: first, relevanceScore: 0.9, contributionType: 'evidence' }, { contentId: second }],
        events: [{ eventType: 'controversy', title: 'A row', description: 'People argue', severity: 'WARNING', contents: [{ contentId: first, relevance: 0.7 }] }],
        crawlEffectiveness: [{ platform: 'x', query: 'recording lang:en', totalFound: 10, relevantCount: 4, highValueCount: 1, effectivenessScore: 0.5, taskId: task[0].id }],
      },
    });
    expect(result.errors).toBeUndefined();
    const period = result.data!.recordAnalysisPeriod;
    expect(period).toMatchObject({
      periodNumber: 1,
      periodStart: '2026-01-01T00:00:00.000Z', // the entity's creation
      periodEnd: '2026-01-02T00:00:00.000Z',
      durationHours: 24,
      status: 'ACTIVE',
      contentCount: 2, // the processed contents crawled before the end; the others wait for a later period
      metricsDelta: {},
      entity: { currentPeriodNumber: 1, totalPeriods: 1 },
    });
    expect(period.contents.edges.map((e: any) => e.node)).toEqual([
      { contentId: first, relevanceScore: 0.9, contributionType: 'evidence', textSnapshot: 'first post', keyPointsSnapshot: ['about first post'] },
      { contentId: second, relevanceScore: null, contributionType: 'general', textSnapshot: 'second post', keyPointsSnapshot: ['about second post'] },
    ]);
    expect(period.events).toEqual([{ eventType: 'controversy', severity: 'WARNING', title: 'A row', period: { id: period.id }, contents: [{ contentId: first, relevance: 0.7 }] }]);
    expect(period.crawlEffectiveness).toEqual([{ platform: 'x', query: 'recording lang:en', totalFound: 10, relevantCount: 4, tasks: [{ id: task[0].id }] }]);

    const linked = (await db.pool.query(`SELECT id FROM contents WHERE analysis_period_id = $1 ORDER BY text`, [period.id])).rows.map((r) => r.id);
    expect(linked.sort()).toEqual([first, second].sort());
    for (const waiting of [unprocessed, late]) {
      expect((await db.pool.query(`SELECT analysis_period_id FROM contents WHERE id = $1`, [waiting])).rows[0].analysis_period_id).toBeNull();
    }
    const entity = (await db.pool.query(`SELECT * FROM topics WHERE id = $1`, [topicId])).rows[0];
    expect(entity).toMatchObject({ current_period_number: 1, last_period_id: period.id, total_periods: 1, avg_period_duration_hours: 24 });
    expect(entity.first_analysis_at).not.toBeNull();

    // Snapshots keep the text as analysed.
    await db.pool.query(`UPDATE contents SET text = 'edited later' WHERE id = $1`, [first]);
    const snapshot = (await db.pool.query(`SELECT text_snapshot FROM period_content_snapshots WHERE content_id = $1`, [first])).rows[0];
    expect(snapshot.text_snapshot).toBe('first post');
  });

  it('starts the next period where the previous ended, with the delta recompute_metrics_delta() would store', async () => {
    const topicId = await insertTopic(db.pool, 'Second period');
    const one = await recordAnalysisPeriod(db.pool, {
      entityType: 'topic', entityId: topicId, summary: 'one', periodStart: new Date('2026-02-01T00:00:00Z'),
      periodEnd: new Date('2026-02-01T12:00:00Z'), metrics: { total_posts: 10, avg_sentiment: -0.76, label: 'x' },
    });
    const two = await recordAnalysisPeriod(db.pool, {
      entityType: 'topic', entityId: topicId, summary: 'two', metrics: { total_posts: 25, avg_sentiment: 0.17, label: 'y', extra: 1 },
    });
    expect([one.periodNumber, two.periodNumber]).toEqual([1, 2]);
    const { rows } = await db.pool.query(`SELECT period_start, period_end, metrics_delta FROM analysis_periods WHERE id = $1`, [two.id]);
    expect(rows[0].period_start.toISOString()).toBe('2026-02-01T12:00:00.000Z');
    expect(rows[0].period_end.getTime()).toBeGreaterThan(Date.now() - 60_000);
    const stored = rows[0].metrics_delta;
    const recomputed = (await db.pool.query(`SELECT recompute_metrics_delta($1) AS delta`, [two.id])).rows[0].delta;
    expect(stored).toEqual(recomputed);
    expect(stored).toEqual({ total_posts: 15, avg_sentiment: 0.93 });

    await expect(
      recordAnalysisPeriod(db.pool, { entityType: 'topic', entityId: topicId, summary: 'x', periodStart: new Date('2026-01-01T00:00:00Z') }),
    ).rejects.toMatchObject({ code: 'BAD_USER_INPUT', details: { argument: 'periodStart' } });
  });

  it('writes a period with no related rows in six statements, the entity bookkeeping included', async () => {
    const topicId = await insertTopic(db.pool, 'Round trips', { createdAt: '2026-01-01T00:00:00Z' });
    const content = await insertContent(db.pool, { topicId }, 'waiting to be analysed');
    await db.pool.query(`UPDATE contents SET crawled_at = '2026-01-01T12:00:00Z' WHERE id = $1`, [content]);
    await recordAnalysisPeriod(db.pool, { entityType: 'topic', entityId: topicId, summary: 'one', periodEnd: new Date('2026-01-02T00:00:00Z'), metrics: { total_posts: 1 } });
    const { result, statements } = await recordStatements(db.pool, () =>
      recordAnalysisPeriod(db.pool, { entityType: 'topic', entityId: topicId, summary: 'two', periodEnd: new Date('2026-01-03T00:00:00Z'), metrics: { total_posts: 5 } }),
    );
    // BEGIN, lock, previous period + clock, insert (overlap check and delta inside), link + count + bookkeeping, COMMIT.
    expect(statements).toHaveLength(6);
    expect(result).toMatchObject({ periodNumber: 2, linkedContents: 0 });
    const { rows } = await db.pool.query(
      `SELECT t.current_period_number, t.total_periods, t.last_period_id = $2 AS points_at_newest, p.metrics_delta, p.period_start
       FROM topics t JOIN analysis_periods p ON p.id = $2 WHERE t.id = $1`,
      [topicId, result.id],
    );
    expect(rows[0]).toEqual({
      current_period_number: 2, total_periods: 2, points_at_newest: true,
      metrics_delta: { total_posts: 4 }, period_start: new Date('2026-01-02T00:00:00Z'),
    });
    const { rows: linked } = await db.pool.query(`SELECT ap.period_number, ap.content_count FROM contents c JOIN analysis_periods ap ON ap.id = c.analysis_period_id WHERE c.id = $1`, [content]);
    expect(linked).toEqual([{ period_number: 1, content_count: 1 }]);
  });

  it('gives 20 concurrent calls for one entity consecutive numbers and adjacent windows', async () => {
    const topicId = await insertTopic(db.pool, 'Concurrent', { createdAt: '2026-01-01T00:00:00Z' });
    await recordAnalysisPeriod(db.pool, { entityType: 'topic', entityId: topicId, summary: 'base', periodEnd: new Date('2026-01-02T00:00:00Z') });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => recordAnalysisPeriod(db.pool, { entityType: 'topic', entityId: topicId, summary: `run ${i}`, metrics: { n: i } })),
    );
    expect(results.map((r) => r.periodNumber).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    const { rows } = await db.pool.query(
      `SELECT period_number, period_start, period_end FROM analysis_periods WHERE entity_id = $1 AND status = 'active' ORDER BY period_number`,
      [topicId],
    );
    expect(rows.map((r) => r.period_number)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i].period_start.getTime()).toBe(rows[i - 1].period_end.getTime());
      expect(rows[i].period_end.getTime()).toBeGreaterThan(rows[i].period_start.getTime());
    }
    const entity = (await db.pool.query(`SELECT current_period_number, total_periods FROM topics WHERE id = $1`, [topicId])).rows[0];
    expect(entity).toEqual({ current_period_number: 21, total_periods: 21 });
  });

  it('does not make calls for other entities wait on a busy entity', async () => {
    const busy = await insertTopic(db.pool, 'Busy');
    const free = await insertTopic(db.pool, 'Free');
    const holder = await db.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM topics WHERE id = $1 FOR UPDATE', [busy]);
      let busyDone = false;
      const busyCall = recordAnalysisPeriod(db.pool, { entityType: 'topic', entityId: busy, summary: 'waits' }).then((r) => {
        busyDone = true;
        return r;
      });
      const freeResult = await recordAnalysisPeriod(db.pool, { entityType: 'topic', entityId: free, summary: 'goes ahead' });
      expect(freeResult.periodNumber).toBe(1);
      expect(busyDone).toBe(false);
      await holder.query('COMMIT');
      expect((await busyCall).periodNumber).toBe(1);
    } finally {
      holder.release();
    }
  });

  it('rejects bad input with a coded error before running any SQL', async () => {
    const topicId = await insertTopic(db.pool, 'Rejections');
    const cases: [Record<string, unknown>, string, string][] = [
      [{ qualityScore: 1.5 }, 'INVALID_SCORE', 'qualityScore'],
      [{ completenessScore: -0.2 }, 'INVALID_SCORE', 'completenessScore'],
      [{ summary: '   ' }, 'BAD_USER_INPUT', 'summary'],
      [{ events: [{ eventType: 'Not A Type', title: 't', description: 'd' }] }, 'BAD_USER_INPUT', 'events[0].eventType'],
      [{ crawlEffectiveness: [{ platform: 'x', query: 'q', totalFound: 2, relevantCount: 3 }] }, 'BAD_USER_INPUT', 'crawlEffectiveness[0].relevantCount'],
      [{ contents: [{ contentId: 'nope' }] }, 'BAD_USER_INPUT', 'contents[0].contentId'],
    ];
    for (const [override, code, field] of cases) {
      const { result, statements } = await recordStatements(db.pool, () =>
        gateway.execute(RECORD, { input: { entityType: 'TOPIC', entityId: topicId, summary: 'ok', ...override } }),
      );
      expect(result.errors?.[0]?.extensions, JSON.stringify(override)).toMatchObject({ code, ...(code === 'INVALID_SCORE' ? { field } : { argument: field }) });
      expect(statements, JSON.stringify(override)).toEqual([]);
    }
  });

  it('writes nothing when a step fails half-way, and names the cause', async () => {
    const topicId = await insertTopic(db.pool, 'Half-way');
    await insertContent(db.pool, { topicId }, 'would be linked');
    const before = await rowCounts(db);
    const missing = '00000000-0000-4000-8000-000000000001';
    const result = await gateway.execute(RECORD, {
      input: {
        entityType: 'TOPIC', entityId: topicId, summary: 'fails',
        events: [{ eventType: 'note', title: 'n', description: 'd' }],
        contents: [{ contentId: missing }],
      },
    });
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'contents' });
    expect(result.errors![0]!.message).toContain(missing);
    expect(await rowCounts(db)).toEqual(before);
    expect((await db.pool.query(`SELECT current_period_number FROM topics WHERE id = $1`, [topicId])).rows[0].current_period_number).toBeNull();
  });

  it('reports an unknown entity, and an overlap with the number of the period in the way', async () => {
    const unknown = await gateway.execute(RECORD, { input: { entityType: 'USER', entityId: '00000000-0000-4000-8000-000000000002', summary: 's' } });
    expect(unknown.errors![0]!.extensions).toMatchObject({ code: 'ENTITY_NOT_FOUND', entityType: 'user' });

    // Numbers and time disagree here (written by hand): period 2 lies before period 1.
    const topicId = await insertTopic(db.pool, 'Out of order');
    await insertPeriod(db.pool, { entityId: topicId, number: 1, start: '2026-05-10T00:00:00Z', end: '2026-05-20T00:00:00Z' });
    await insertPeriod(db.pool, { entityId: topicId, number: 2, start: '2026-05-01T00:00:00Z', end: '2026-05-05T00:00:00Z' });
    const before = await rowCounts(db);
    const overlap = await gateway.execute(RECORD, { input: { entityType: 'TOPIC', entityId: topicId, summary: 's', periodEnd: '2026-05-15T00:00:00Z' } });
    expect(overlap.errors![0]!.extensions).toMatchObject({ code: 'PERIOD_OVERLAP', conflictingPeriodNumber: 1 });
    expect(await rowCounts(db)).toEqual(before);
  });

  it('maps constraint violations raised by PostgreSQL itself to coded errors', async () => {
    const topicId = await insertTopic(db.pool, 'Raw violations');
    await insertPeriod(db.pool, { entityId: topicId, number: 1, start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z' });
    const duplicate = await insertPeriod(db.pool, { entityId: topicId, number: 1, start: '2026-03-01T00:00:00Z', end: '2026-03-02T00:00:00Z' }).catch(toWriteError);
    expect(duplicate).toBeInstanceOf(GatewayError);
    expect((duplicate as GatewayError).code).toBe('DUPLICATE_PERIOD_NUMBER');
    const overlap = await insertPeriod(db.pool, { entityId: topicId, number: 2, start: '2026-01-01T12:00:00Z', end: '2026-01-03T00:00:00Z' }).catch(toWriteError);
    expect((overlap as GatewayError).code).toBe('PERIOD_OVERLAP');
    const score = await insertPeriod(db.pool, { entityId: topicId, number: 3, start: '2026-04-01T00:00:00Z', end: '2026-04-02T00:00:00Z', qualityScore: 2 }).catch(toWriteError);
    expect(score).toMatchObject({ code: 'INVALID_SCORE', details: { field: 'quality_score' } });
    // Under Alembic's constraint names too.
    await db.pool.query('ALTER TABLE analysis_periods RENAME CONSTRAINT ck_analysis_periods_quality_score TO valid_quality_score');
    try {
      const alembicNamed = await insertPeriod(db.pool, { entityId: topicId, number: 2, start: '2026-04-01T00:00:00Z', end: '2026-04-02T00:00:00Z', qualityScore: 2 }).catch(toWriteError);
      expect(alembicNamed).toMatchObject({ code: 'INVALID_SCORE', details: { field: 'quality_score' } });
    } finally {
      await db.pool.query('ALTER TABLE analysis_periods RENAME CONSTRAINT valid_quality_score TO ck_analysis_periods_quality_score');
    }
  });
});
