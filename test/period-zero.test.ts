import { afterAll, describe, expect, it } from 'vitest';
import { runDbCli } from '../src/cli/commands.js';
import { initializePeriodZero } from '../src/services/periods/periodZero.js';
import { createTestDatabase } from './helpers/database.js';
import { hoursAfter, insertPeriod, insertTopic, insertUser } from './helpers/fixtures.js';

describe('period zero for existing entities', async () => {
  const db = await createTestDatabase();
  const legacy = await insertTopic(db.pool, 'Legacy', { totalContents: 5, createdAt: hoursAfter(0), lastCrawlAt: hoursAfter(30) });
  await db.pool.query(`UPDATE topics SET last_summary = 'Old summary' WHERE id = $1`, [legacy]);
  const empty = await insertTopic(db.pool, 'No content', { totalContents: 0 });
  const analysed = await insertTopic(db.pool, 'Already analysed', { totalContents: 3 });
  await insertPeriod(db.pool, { entityId: analysed, number: 1, start: hoursAfter(0), end: hoursAfter(1) });
  const user = await insertUser(db.pool, 'Legacy user', { totalContents: 2, createdAt: hoursAfter(0) });

  it('creates period 0 for topics and users with content and no period, and links the entity to it', async () => {
    expect(await initializePeriodZero(db.pool)).toEqual({ topic: 1, user: 1 });

    const { rows } = await db.pool.query(`SELECT * FROM analysis_periods WHERE entity_id = $1`, [legacy]);
    expect(rows).toHaveLength(1);
    const period = rows[0];
    expect(period).toMatchObject({ entity_type: 'topic', period_number: 0, content_count: 5, summary: 'Old summary', status: 'active' });
    expect(period.period_start.toISOString()).toBe(hoursAfter(0));
    expect(period.period_end.toISOString()).toBe(hoursAfter(30));
    expect(period.duration_hours).toBe(30);
    const topic = (await db.pool.query(`SELECT * FROM topics WHERE id = $1`, [legacy])).rows[0];
    expect(topic).toMatchObject({ current_period_number: 0, last_period_id: period.id, total_periods: 1 });
    expect(topic.first_analysis_at.toISOString()).toBe(period.analyzed_at.toISOString());

    const userPeriod = (await db.pool.query(`SELECT * FROM analysis_periods WHERE entity_id = $1`, [user])).rows[0];
    expect(userPeriod).toMatchObject({ entity_type: 'user', period_number: 0, content_count: 2, summary: 'Legacy period - no summary available' });
    expect((await db.pool.query(`SELECT last_period_id FROM users WHERE id = $1`, [user])).rows[0].last_period_id).toBe(userPeriod.id);

    for (const untouched of [empty, analysed]) {
      const { rows: zero } = await db.pool.query(`SELECT 1 FROM analysis_periods WHERE entity_id = $1 AND period_number = 0`, [untouched]);
      expect(zero).toEqual([]);
    }
  });

  it('is idempotent', async () => {
    const before = (await db.pool.query(`SELECT count(*)::int AS n FROM analysis_periods`)).rows[0].n;
    expect(await initializePeriodZero(db.pool)).toEqual({ topic: 0, user: 0 });
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM analysis_periods`)).rows[0].n).toBe(before);
  });

  describe('through the db CLI', () => {
    const previous = process.env.DATABASE_URL;
    process.env.DATABASE_URL = db.url;
    afterAll(() => {
      process.env.DATABASE_URL = previous;
    });

    it('verify prints a passing table and exits 0', async () => {
      const lines: string[] = [];
      expect(await runDbCli(['verify'], (line) => lines.push(line))).toBe(0);
      expect(lines.at(-1)).toMatch(/^all \d+ checks passed$/);
      expect(lines).toContainEqual(expect.stringMatching(/^PASS\s+constraint EXCLUDE on analysis_periods/));
    });

    it('period-zero --entity user reports rows created, and rejects an unknown entity', async () => {
      const user2 = await insertUser(db.pool, 'Second user', { totalContents: 1 });
      const lines: string[] = [];
      expect(await runDbCli(['period-zero', '--entity', 'user'], (line) => lines.push(line))).toBe(0);
      expect(lines).toEqual(['period 0 created: 0 topic(s), 1 user(s)']);
      expect((await db.pool.query(`SELECT count(*)::int AS n FROM analysis_periods WHERE entity_id = $1`, [user2])).rows[0].n).toBe(1);
      expect(await runDbCli(['period-zero', '--entity', 'channel'], () => undefined)).toBe(1);
    });

    it('status lists every migration as applied; an unknown command prints usage and exits 2', async () => {
      const lines: string[] = [];
      expect(await runDbCli(['status'], (line) => lines.push(line))).toBe(0);
      expect(lines.join('\n')).toMatch(/Pending:\n {2}\(none: at head\)/);
      const usage: string[] = [];
      expect(await runDbCli(['frobnicate'], (line) => usage.push(line))).toBe(2);
      expect(usage.join('\n')).toContain('Usage: npm run db');
    });
  });
});
