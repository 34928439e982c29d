import { describe, expect, it } from 'vitest';
import { createTestDatabase } from './helpers/database.js';
import { hoursAfter, insertPeriod, insertTopic } from './helpers/fixtures.js';

interface PgError {
  code: string;
  constraint?: string;
  message?: string;
  hint?: string;
}

async function pgError(promise: Promise<unknown>): Promise<PgError> {
  try {
    await promise;
  } catch (error) {
    return error as PgError;
  }
  throw new Error('expected the statement to be rejected');
}

describe('temporal table constraints', async () => {
  const db = await createTestDatabase();
  const topicId = await insertTopic(db.pool);
  await insertPeriod(db.pool, { entityId: topicId, number: 1, start: hoursAfter(0), end: hoursAfter(12) });

  it('rejects an active period overlapping another active period of the same entity', async () => {
    const error = await pgError(insertPeriod(db.pool, { entityId: topicId, number: 2, start: hoursAfter(6), end: hoursAfter(18) }));
    expect(error.code).toBe('23P01');
    expect(error.constraint).toBe('no_overlapping_periods');
  });

  it('accepts adjacent windows: [start, end) ranges that only touch do not overlap', async () => {
    await expect(insertPeriod(db.pool, { entityId: topicId, number: 2, start: hoursAfter(12), end: hoursAfter(24) })).resolves.toBeTypeOf('string');
  });

  it('rejects a second active period with the same number, naming the next free one', async () => {
    const error = await pgError(insertPeriod(db.pool, { entityId: topicId, number: 1, start: hoursAfter(100), end: hoursAfter(112) }));
    expect(error.code).toBe('23505');
    expect(error).toMatchObject({ message: expect.stringMatching(/already has an active period 1: another writer recorded it first/), hint: expect.stringMatching(/next free number is 3/) });
    // Under the trigger, the partial unique index still stands.
    const { rows } = await db.pool.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'uq_analysis_periods_active_number'`);
    expect(rows[0].indexdef).toMatch(/UNIQUE .* WHERE .*active/);
  });

  it('lets a superseded period overlap and share the number of an active one', async () => {
    await expect(
      insertPeriod(db.pool, { entityId: topicId, number: 1, start: hoursAfter(0), end: hoursAfter(12), status: 'superseded' }),
    ).resolves.toBeTypeOf('string');
  });

  it('lets another entity use the same window and number', async () => {
    const other = await insertTopic(db.pool, 'Other');
    await expect(insertPeriod(db.pool, { entityId: other, number: 1, start: hoursAfter(0), end: hoursAfter(12) })).resolves.toBeTypeOf('string');
  });

  it.each([
    ['end equal to start', { start: hoursAfter(200), end: hoursAfter(200) }, 'ck_analysis_periods_end_after_start'],
    ['end before start', { start: hoursAfter(210), end: hoursAfter(205) }, 'ck_analysis_periods_end_after_start'],
    ['quality above 1', { qualityScore: 1.5 }, 'ck_analysis_periods_quality_score'],
    ['completeness below 0', { completenessScore: -0.1 }, 'ck_analysis_periods_completeness_score'],
    ['unknown status', { status: 'deleted' }, 'ck_analysis_periods_status'],
  ])('rejects a period with %s', async (_label, override, constraint) => {
    const error = await pgError(
      insertPeriod(db.pool, { entityId: topicId, number: 50, start: hoursAfter(300), end: hoursAfter(312), ...override }),
    );
    expect(error.code).toBe('23514');
    expect(error.constraint).toBe(constraint);
  });

  it('rejects an unknown entity_type', async () => {
    const error = await pgError(insertPeriod(db.pool, { entityType: 'channel' as 'topic', entityId: topicId, number: 60, start: hoursAfter(400), end: hoursAfter(410) }));
    expect(error.constraint).toBe('ck_analysis_periods_entity_type');
  });

  it('rejects unknown event severity and entity type, and scores outside 0..1 elsewhere', async () => {
    const periodId = await insertPeriod(db.pool, { entityId: topicId, number: 3, start: hoursAfter(500), end: hoursAfter(510) });
    const severity = await pgError(
      db.pool.query(
        `INSERT INTO temporal_events (period_id, entity_type, entity_id, event_type, severity, title, description, first_detected_at)
         VALUES ($1, 'topic', $2, 'note', 'urgent', 't', 'd', now())`,
        [periodId, topicId],
      ),
    );
    expect(severity.constraint).toBe('ck_temporal_events_severity');
    const entityType = await pgError(
      db.pool.query(
        `INSERT INTO temporal_events (period_id, entity_type, entity_id, event_type, title, description, first_detected_at)
         VALUES ($1, 'channel', $2, 'note', 't', 'd', now())`,
        [periodId, topicId],
      ),
    );
    expect(entityType.constraint).toBe('ck_temporal_events_entity_type');
    const score = await pgError(
      db.pool.query(
        `INSERT INTO crawl_effectiveness (period_id, entity_type, entity_id, platform, query, effectiveness_score)
         VALUES ($1, 'topic', $2, 'x', 'q', 1.01)`,
        [periodId, topicId],
      ),
    );
    expect(score.constraint).toBe('ck_crawl_effectiveness_effectiveness_score');
    // An event without a period is pending (migration 0007); one without a title is refused.
    const withoutTitle = await pgError(
      db.pool.query(
        `INSERT INTO temporal_events (entity_type, entity_id, event_type, description, first_detected_at)
         VALUES ('topic', $1, 'note', 'd', now())`,
        [topicId],
      ),
    );
    expect(withoutTitle.code).toBe('23502');
  });
});
