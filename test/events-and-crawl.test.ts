import { describe, expect, it } from 'vitest';
import { createTestDatabase, recordStatements } from './helpers/database.js';
import { hoursAfter, insertContent, insertPeriod, insertTopic } from './helpers/fixtures.js';
import { createTestGateway } from './helpers/gateway.js';

const EVENT = 'id eventType severity title description metadata firstDetectedAt lastUpdatedAt resolvedAt resolutionNote isResolved period { id } contents { contentId relevance }';

describe('event lifecycle and crawl effectiveness', async () => {
  const db = await createTestDatabase();
  const gateway = createTestGateway(db);
  const topicId = await insertTopic(db.pool, 'Lifecycle');
  const older = await insertPeriod(db.pool, { entityId: topicId, number: 1, start: hoursAfter(0), end: hoursAfter(12) });
  const newest = await insertPeriod(db.pool, { entityId: topicId, number: 2, start: hoursAfter(12), end: hoursAfter(24) });
  const contentId = await insertContent(db.pool, { topicId }, 'the spark');
  let eventId = '';

  it('records an event in the newest active period by default, with its related contents', async () => {
    const result = await gateway.execute<{ recordTemporalEvent: Record<string, any> }>(
      `mutation($input: RecordTemporalEventInput!) { recordTemporalEvent(input: $input) { ${EVENT} } }`,
      {
        input: {
          entityType: 'TOPIC', entityId: topicId, eventType: 'controversy', title: 'Backlash', description: 'A thread went viral',
          severity: 'CRITICAL', firstDetectedAt: hoursAfter(20), metadata: { source: 'analyst' }, contents: [{ contentId, relevance: 0.9 }],
        },
      },
    );
    expect(result.errors).toBeUndefined();
    const event = result.data!.recordTemporalEvent;
    eventId = event.id;
    expect(event).toMatchObject({
      eventType: 'controversy', severity: 'CRITICAL', title: 'Backlash', metadata: { source: 'analyst' }, firstDetectedAt: hoursAfter(20),
      resolvedAt: null, isResolved: false, period: { id: newest }, contents: [{ contentId, relevance: 0.9 }],
    });
    const explicit = await gateway.execute<{ recordTemporalEvent: { period: { id: string }; severity: string } }>(
      `mutation($input: RecordTemporalEventInput!) { recordTemporalEvent(input: $input) { period { id } severity } }`,
      { input: { entityType: 'TOPIC', entityId: topicId, periodId: older, eventType: 'note', title: 'n', description: 'd' } },
    );
    expect(explicit.data!.recordTemporalEvent).toEqual({ period: { id: older }, severity: 'INFO' });
  });

  it('records a pending event for an entity without periods, and refuses another entity’s period', async () => {
    const fresh = await insertTopic(db.pool, 'No periods yet');
    const before = (await db.pool.query(`SELECT count(*)::int AS n FROM temporal_events`)).rows[0].n;
    const pending = await gateway.execute<{ recordTemporalEvent: { periodId: string | null; period: null } }>(
      `mutation($input: RecordTemporalEventInput!) { recordTemporalEvent(input: $input) { periodId period { id } } }`,
      { input: { entityType: 'TOPIC', entityId: fresh, eventType: 'note', title: 't', description: 'd' } },
    );
    expect(pending.errors).toBeUndefined();
    expect(pending.data!.recordTemporalEvent).toEqual({ periodId: null, period: null });
    const foreign = await gateway.execute(
      `mutation($input: RecordTemporalEventInput!) { recordTemporalEvent(input: $input) { id } }`,
      { input: { entityType: 'TOPIC', entityId: fresh, periodId: older, eventType: 'note', title: 't', description: 'd' } },
    );
    expect(foreign.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'periodId' });
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM temporal_events`)).rows[0].n).toBe(before + 1);
  });

  it('updates an event and bumps lastUpdatedAt, keeping fields left out', async () => {
    const before = (await db.pool.query(`SELECT last_updated_at FROM temporal_events WHERE id = $1`, [eventId])).rows[0].last_updated_at;
    const result = await gateway.execute<{ updateTemporalEvent: Record<string, any> }>(
      `mutation($input: UpdateTemporalEventInput!) { updateTemporalEvent(input: $input) { ${EVENT} } }`,
      { input: { id: eventId, severity: 'WARNING', metadata: { source: 'analyst', reviewed: true } } },
    );
    const event = result.data!.updateTemporalEvent;
    expect(event).toMatchObject({ severity: 'WARNING', title: 'Backlash', description: 'A thread went viral', metadata: { source: 'analyst', reviewed: true } });
    expect(Date.parse(event.lastUpdatedAt)).toBeGreaterThan(before.getTime());
    const missing = await gateway.execute(`mutation { updateTemporalEvent(input: { id: "00000000-0000-4000-8000-000000000003", title: "x" }) { id } }`);
    expect(missing.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('resolves an event once; a second resolution is INVALID_STATE and changes nothing', async () => {
    const resolved = await gateway.execute<{ resolveTemporalEvent: Record<string, any> }>(
      `mutation($id: ID!) { resolveTemporalEvent(id: $id, note: "Calmed down") { ${EVENT} } }`,
      { id: eventId },
    );
    expect(resolved.data!.resolveTemporalEvent).toMatchObject({ isResolved: true, resolutionNote: 'Calmed down' });
    const at = resolved.data!.resolveTemporalEvent.resolvedAt;
    const again = await gateway.execute(`mutation($id: ID!) { resolveTemporalEvent(id: $id, note: "again") { id } }`, { id: eventId });
    expect(again.errors![0]!.extensions).toMatchObject({ code: 'INVALID_STATE', resolvedAt: at });
    const row = (await db.pool.query(`SELECT resolved_at, resolution_note FROM temporal_events WHERE id = $1`, [eventId])).rows[0];
    expect(row).toEqual({ resolved_at: new Date(at), resolution_note: 'Calmed down' });
    const open = await gateway.execute<{ topic: { events: { totalCount: number } } }>(
      `query($id: ID!) { topic(id: $id) { events(unresolvedOnly: true) { totalCount } } }`,
      { id: topicId },
    );
    expect(open.data!.topic.events.totalCount).toBe(1);
  });

  it('records crawl effectiveness, linking the task that ran the query', async () => {
    const { rows } = await db.pool.query(`INSERT INTO tasks (label) VALUES ('crawler:search') RETURNING id`);
    const result = await gateway.execute<{ recordCrawlEffectiveness: Record<string, any> }>(
      `mutation($input: RecordCrawlEffectivenessInput!) { recordCrawlEffectiveness(input: $input) {
         entityType entityId platform query totalFound relevantCount highValueCount effectivenessScore coverageRatio tasks { id } period { id } entity { id } } }`,
      { input: { periodId: newest, platform: 'reddit', query: 'lifecycle', totalFound: 50, relevantCount: 20, highValueCount: 5, effectivenessScore: 0.4, coverageRatio: 1, taskId: rows[0].id } },
    );
    expect(result.data!.recordCrawlEffectiveness).toEqual({
      entityType: 'TOPIC', entityId: topicId, platform: 'reddit', query: 'lifecycle', totalFound: 50, relevantCount: 20, highValueCount: 5,
      effectivenessScore: 0.4, coverageRatio: 1, tasks: [{ id: rows[0].id }], period: { id: newest }, entity: { id: topicId },
    });
  });

  it('rejects inconsistent counts and out-of-range scores naming the field, before any SQL', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ totalFound: 5, relevantCount: 6 }, 'BAD_USER_INPUT', 'relevantCount'],
      [{ totalFound: 5, relevantCount: 4, highValueCount: 5 }, 'BAD_USER_INPUT', 'highValueCount'],
      [{ totalFound: -1 }, 'BAD_USER_INPUT', 'totalFound'],
      [{ avgRelevance: 1.2 }, 'INVALID_SCORE', 'avgRelevance'],
      [{ effectivenessScore: -0.5 }, 'INVALID_SCORE', 'effectivenessScore'],
    ];
    for (const [override, code, field] of cases) {
      const { result, statements } = await recordStatements(db.pool, () =>
        gateway.execute(`mutation($input: RecordCrawlEffectivenessInput!) { recordCrawlEffectiveness(input: $input) { id } }`, {
          input: { periodId: newest, platform: 'x', query: 'q', ...override },
        }),
      );
      expect(result.errors?.[0]?.extensions).toMatchObject({ code, ...(code === 'INVALID_SCORE' ? { field } : { argument: field }) });
      expect(statements).toEqual([]);
    }
  });

  it('writes no record when the task or the period does not exist', async () => {
    const before = (await db.pool.query(`SELECT count(*)::int AS n FROM crawl_effectiveness`)).rows[0].n;
    const task = await gateway.execute(`mutation($input: RecordCrawlEffectivenessInput!) { recordCrawlEffectiveness(input: $input) { id } }`, {
      input: { periodId: newest, platform: 'x', query: 'q', taskId: '00000000-0000-4000-8000-000000000004' },
    });
    expect(task.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'taskId' });
    const period = await gateway.execute(`mutation($input: RecordCrawlEffectivenessInput!) { recordCrawlEffectiveness(input: $input) { id } }`, {
      input: { periodId: '00000000-0000-4000-8000-000000000005', platform: 'x', query: 'q' },
    });
    expect(period.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM crawl_effectiveness`)).rows[0].n).toBe(before);
  });

  it('recomputes a metrics delta and initializes period zero through mutations', async () => {
    await db.pool.query(`UPDATE analysis_periods SET metrics = '{"a": 1}' WHERE id = $1`, [older]);
    await db.pool.query(`UPDATE analysis_periods SET metrics = '{"a": 4}', metrics_delta = '{}' WHERE id = $1`, [newest]);
    const delta = await gateway.execute<{ recomputeMetricsDelta: unknown; unknown: unknown }>(
      `mutation($id: ID!) { recomputeMetricsDelta(periodId: $id) unknown: recomputeMetricsDelta(periodId: "00000000-0000-4000-8000-000000000006") }`,
      { id: newest },
    );
    expect(delta.data).toEqual({ recomputeMetricsDelta: { a: 3 }, unknown: null });

    await insertTopic(db.pool, 'Legacy with content', { totalContents: 4 });
    const zero = await gateway.execute<{ initializePeriodZero: number }>(`mutation { initializePeriodZero(entityType: TOPIC) }`);
    expect(zero.data!.initializePeriodZero).toBe(1);
    const again = await gateway.execute<{ initializePeriodZero: number }>(`mutation { initializePeriodZero }`);
    expect(again.data!.initializePeriodZero).toBe(0);
  });
});
