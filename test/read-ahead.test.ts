import { describe, expect, it } from 'vitest';
import { allFields, isoTimestamp } from '../src/db/sql.js';
import { seedDemoData } from '../src/services/seed/demoSeed.js';
import { ENTITY_ANOMALIES, type MetricAnomaly } from '../src/services/analytics/anomalies.js';
import { METRIC_TREND, TREND_COLUMNS, type MetricTrendPoint } from '../src/services/analytics/metricTrend.js';
import { entitiesByKey, type LoadedEntity } from '../src/services/entities/entityReads.js';
import { pageOfRows } from '../src/services/common/pages.js';
import { ENTITY_PERIODS, periodCursor, periodsById, type PeriodPageRequest, type PeriodRow } from '../src/services/periods/periodReads.js';
import { PERIOD_CRAWL_EFFECTIVENESS } from '../src/services/crawl/crawlReads.js';
import { PERIOD_EVENTS, PERIOD_UNRESOLVED_EVENTS } from '../src/services/events/eventReads.js';
import { readPerKey, type SqlRead } from '../src/services/common/sqlReads.js';
import { createTestDatabase } from './helpers/database.js';

/** A row with every timestamp as the API prints it, so rows pg parsed and rows rendered as JSON compare. */
function printed(value: unknown): unknown {
  if (value instanceof Date) return isoTimestamp(value);
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$/.test(value)) return isoTimestamp(value);
  if (Array.isArray(value)) return value.map(printed);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'ord' && key !== 'page_position').map(([key, v]) => [key, printed(v)]));
  }
  return value;
}

/**
 * Each declared field has one SQL expression, read two ways: ahead, inside its parent's
 * statement (the parent a literal type and its own id column), and batched, over a table of
 * parent keys. The two must give the same answer.
 */
describe('a page of periods read with its entity equals the page read on its own', async () => {
  const db = await createTestDatabase();
  await seedDemoData(db.pool, { scale: 1, anchor: new Date('2026-06-01T00:00:00Z') });
  const { rows } = await db.pool.query(`SELECT entity_id FROM analysis_periods WHERE entity_type = 'topic' GROUP BY entity_id ORDER BY count(*) DESC LIMIT 1`);
  const key = { entityType: 'topic' as const, entityId: rows[0].entity_id as string };
  // Supersede one period so that the status and asOf filters have something to tell apart.
  await db.pool.query(
    `UPDATE analysis_periods SET status = 'superseded', updated_at = '2026-05-20T00:00:00Z' WHERE id = (SELECT id FROM analysis_periods WHERE entity_id = $1 ORDER BY period_number DESC LIMIT 1)`,
    [key.entityId],
  );
  // Instants inside the entity's timeline: a window over its middle, and the moment its middle period was written.
  const { rows: span } = await db.pool.query(
    `SELECT min(period_start) AS first, max(period_end) AS last, count(*)::int AS n FROM analysis_periods WHERE entity_id = $1`,
    [key.entityId],
  );
  const { rows: middle } = await db.pool.query(`SELECT created_at FROM analysis_periods WHERE entity_id = $1 ORDER BY period_number OFFSET $2 LIMIT 1`, [
    key.entityId,
    Math.floor(span[0].n / 2),
  ]);
  const [first, last] = [span[0].first.getTime(), span[0].last.getTime()];
  const window = { from: new Date(first + (last - first) / 3), to: new Date(last - (last - first) / 3) };
  const asOf = new Date(middle[0].created_at.getTime() + 1);
  const selection = {
    fields: allFields('AnalysisPeriod'),
    readAhead: {
      events: { read: PERIOD_EVENTS, request: { fields: allFields('TemporalEvent'), limit: 20 } },
      crawl: { read: PERIOD_CRAWL_EFFECTIVENESS, request: { fields: allFields('CrawlEffectiveness'), limit: 20 } },
      open: { read: PERIOD_UNRESOLVED_EVENTS, request: null },
    },
  };
  const base: PeriodPageRequest = { statuses: ['active'], size: 3, selection };

  async function both(request: PeriodPageRequest) {
    const [batched] = await readPerKey(db.pool, 'entity', [key], ENTITY_PERIODS, request);
    const alone = pageOfRows(batched as PeriodRow[], request.size);
    const [entity] = (await entitiesByKey(db.pool, [key], { topic: ['id'], user: ['id'], readAhead: { p: { read: ENTITY_PERIODS, request } } })) as LoadedEntity[];
    const rendered = pageOfRows(entity!.prefetched!.p as PeriodRow[], request.size);
    return { alone, rendered };
  }

  it.each([
    ['the newest page', base],
    ['every status', { ...base, statuses: ['active', 'superseded'], size: 5 }],
    ['a window', { ...base, ...window }],
    ['the timeline as of an instant', { ...base, asOf }],
  ])('%s', async (_label, request) => {
    const { alone, rendered } = await both(request);
    expect(alone.nodes.length).toBeGreaterThan(0);
    expect(printed(rendered.nodes)).toEqual(printed(alone.nodes));
    expect(rendered.hasNextPage).toBe(alone.hasNextPage);
    expect(rendered.nodes.map(periodCursor)).toEqual(alone.nodes.map(periodCursor));
    // The next page, from the rendered page's cursor, agrees too.
    const next = await both({ ...request, after: periodCursor(rendered.nodes.at(-1)!) });
    expect(printed(next.rendered.nodes)).toEqual(printed(next.alone.nodes));
    // Each period's events, read ahead with it, equal its events read batched.
    const withEvents = rendered.nodes.find((node) => ((node.prefetched!.events as unknown[]) ?? []).length > 0) ?? rendered.nodes[0]!;
    const [events] = await readPerKey(db.pool, 'period', [withEvents.id], PERIOD_EVENTS, selection.readAhead.events.request);
    expect(printed(withEvents.prefetched!.events)).toEqual(printed(events));
    const [asRow] = await periodsById(db.pool, [withEvents.id], selection);
    expect(printed(asRow!.prefetched)).toEqual(printed(withEvents.prefetched));
  });

  it('a period key without a row reads null', async () => {
    expect(await readPerKey(db.pool, 'period', ['00000000-0000-0000-0000-000000000000'], PERIOD_EVENTS, { fields: ['id'], limit: 1 })).toEqual([null]);
  });
});

describe('analytics read with their entity equal the analytics read on their own', async () => {
  const db = await createTestDatabase();
  await seedDemoData(db.pool, { scale: 1, anchor: new Date('2026-06-01T00:00:00Z') });
  await db.pool.query(`REFRESH MATERIALIZED VIEW mv_period_metrics_trend`);
  const { rows } = await db.pool.query(`SELECT entity_id FROM analysis_periods WHERE entity_type = 'topic' GROUP BY entity_id ORDER BY count(*) DESC LIMIT 1`);
  const key = { entityType: 'topic' as const, entityId: rows[0].entity_id as string };
  const rendered = async (read: SqlRead, request: unknown) => {
    const [entity] = (await entitiesByKey(db.pool, [key], { topic: ['id'], user: ['id'], readAhead: { x: { read, request } } })) as LoadedEntity[];
    return entity!.prefetched!.x;
  };

  it.each([
    { metric: 'total_posts', threshold: 1 },
    { metric: 'total_posts', threshold: 0 },
    { metric: 'no_such_metric', threshold: 1 },
  ])('anomalies of %o', async (options) => {
    const [alone] = (await readPerKey(db.pool, 'entity', [key], ENTITY_ANOMALIES, options)) as MetricAnomaly[][];
    if (options.threshold === 0) expect(alone!.length).toBeGreaterThan(0);
    expect(printed(await rendered(ENTITY_ANOMALIES, options))).toEqual(printed(alone));
  });

  it.each([
    { metric: 'total_posts', last: 3, columns: TREND_COLUMNS },
    { metric: null, last: null, columns: TREND_COLUMNS },
    { metric: 'no_such_metric', last: 2, columns: ['value'] as const },
    { metric: 'total_posts', last: null, columns: [] },
  ])('metric trend of %o', async (options) => {
    const [alone] = (await readPerKey(db.pool, 'entity', [key], METRIC_TREND, options)) as MetricTrendPoint[][];
    if (options.metric === null) expect(alone!.length).toBeGreaterThan(3);
    if (options.metric === 'total_posts' && options.columns.length) {
      // The values are the metric's numbers in the period and the two before it.
      for (const point of alone!) {
        expect(point.value).toBe((point.metrics as Record<string, number>).total_posts);
        expect(point.previousValue ?? null).toBe((point.prevMetrics as Record<string, number> | null)?.total_posts ?? null);
        expect(point.previousPreviousValue ?? null).toBe((point.prevPrevMetrics as Record<string, number> | null)?.total_posts ?? null);
      }
    }
    if (!options.columns.length) for (const point of alone!) expect(Object.keys(point).sort()).toEqual(['periodNumber']);
    expect(printed(await rendered(METRIC_TREND, options))).toEqual(printed(alone));
  });
});
