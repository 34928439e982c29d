import { describe, expect, it } from 'vitest';
import { createTestDatabase } from './helpers/database.js';
import { hoursAfter, insertTopic } from './helpers/fixtures.js';

/** The analyst's cycle as plain SQL: it computes the next number itself, without a lock. */
const ANALYST_PERIOD = `INSERT INTO analysis_periods (entity_type, entity_id, period_number, period_start, period_end, duration_hours, summary)
  VALUES ('topic', $1, $2, $3, $4, 24, 'written by the analyst') RETURNING id`;

async function pgError(promise: Promise<unknown>): Promise<{ code?: string; message?: string; hint?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; message?: string; hint?: string };
  }
  throw new Error('expected the statement to be rejected');
}

describe('periods written by direct SQL writers', async () => {
  const db = await createTestDatabase();

  it('keep the entity’s bookkeeping current', async () => {
    const topicId = await insertTopic(db.pool, 'Direct', { createdAt: '2026-01-01T00:00:00Z' });
    await db.pool.query(ANALYST_PERIOD, [topicId, 1, hoursAfter(0), hoursAfter(24)]);
    const { rows: [second] } = await db.pool.query(ANALYST_PERIOD, [topicId, 2, hoursAfter(24), hoursAfter(48)]);
    const { rows } = await db.pool.query(`SELECT current_period_number, last_period_id, total_periods, avg_period_duration_hours FROM topics WHERE id = $1`, [topicId]);
    expect(rows[0]).toEqual({ current_period_number: 2, last_period_id: second.id, total_periods: 2, avg_period_duration_hours: 24 });
    // Superseding by hand (status change) is bookkept too.
    await db.pool.query(`UPDATE analysis_periods SET status = 'superseded' WHERE id = $1`, [second.id]);
    const after = await db.pool.query(`SELECT current_period_number, total_periods FROM topics WHERE id = $1`, [topicId]);
    expect(after.rows[0]).toEqual({ current_period_number: 1, total_periods: 1 });
  });

  it('are rejected, saying why, when they leave a gap or name no entity', async () => {
    const topicId = await insertTopic(db.pool, 'Gaps', { createdAt: '2026-01-01T00:00:00Z' });
    await db.pool.query(ANALYST_PERIOD, [topicId, 1, hoursAfter(0), hoursAfter(24)]);
    const gap = await pgError(db.pool.query(ANALYST_PERIOD, [topicId, 3, hoursAfter(24), hoursAfter(48)]));
    expect(gap).toMatchObject({ code: '23514', message: expect.stringMatching(/period 3 of topic .* would leave a gap: it has no active period 2/) });
    const nobody = await pgError(db.pool.query(ANALYST_PERIOD, ['00000000-0000-0000-0000-00000000dead', 1, hoursAfter(0), hoursAfter(24)]));
    expect(nobody).toMatchObject({ code: '23503', message: expect.stringMatching(/no topic with id 00000000-0000-0000-0000-00000000dead/) });
  });

  it('queue on the entity when two cycles race: the second is told the next free number, and its retry lands', async () => {
    const topicId = await insertTopic(db.pool, 'Race', { createdAt: '2026-01-01T00:00:00Z' });
    await db.pool.query(ANALYST_PERIOD, [topicId, 1, hoursAfter(0), hoursAfter(24)]);
    const first = await db.pool.connect();
    const second = await db.pool.connect();
    try {
      // Both read "newest is 1" and write 2, as two analyst cycles would.
      await first.query('BEGIN');
      await second.query('BEGIN');
      await first.query(ANALYST_PERIOD, [topicId, 2, hoursAfter(24), hoursAfter(48)]);
      const blocked = pgError(second.query(ANALYST_PERIOD, [topicId, 2, hoursAfter(24), hoursAfter(47)]));
      // The second waits on the entity's row until the first commits.
      let waiting = 0;
      for (let tries = 0; tries < 100 && waiting === 0; tries++) {
        const { rows } = await db.pool.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO analysis_periods%'`,
        );
        waiting = rows[0].n;
        if (waiting === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(waiting).toBe(1);
      await first.query('COMMIT');
      const error = await blocked;
      expect(error).toMatchObject({ code: '23505', message: expect.stringMatching(/already has an active period 2: another writer recorded it first/) });
      expect(error.hint).toMatch(/next free number is 3, starting where period 2 ended/);
      await second.query('ROLLBACK');
      await second.query('BEGIN');
      await second.query(ANALYST_PERIOD, [topicId, 3, hoursAfter(48), hoursAfter(72)]);
      await second.query('COMMIT');
    } finally {
      first.release();
      second.release();
    }
    const { rows } = await db.pool.query(
      `SELECT array_agg(period_number ORDER BY period_number) AS numbers, (SELECT current_period_number FROM topics WHERE id = $1) AS current
       FROM analysis_periods WHERE entity_id = $1 AND status = 'active'`,
      [topicId],
    );
    expect(rows[0]).toEqual({ numbers: [1, 2, 3], current: 3 });
  });
});
