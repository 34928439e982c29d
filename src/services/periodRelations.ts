import type { CrawlEffectiveness, TemporalEvent } from '../generated/prisma/client.js';
import { empty, isAnyOf, join, jsonObject, parameterRows, queryRows, raw, selectList, sql, type Sql } from '../db/sql.js';
import type { Queryable } from '../db/queryable.js';

// Rows hold the fields the caller asked for (typed as whole rows: the resolvers read only those).

/**
 * The lists and counts that hang off a period (its events, its crawl-effectiveness records, how
 * many events are open, how many tasks ran). A period read by SQL carries its lists in its own
 * statement (`periodListColumns`: one JSON array per list and period); for periods from elsewhere
 * (Prisma relations, mutation results) the functions below read them for many periods in one
 * statement each, so under a page of periods they cost one statement per kind, not one per period.
 */

/** Which of a period's lists to read with it, and the fields of their rows. */
export interface PeriodLists {
  events?: readonly string[] | null;
  crawlEffectiveness?: readonly string[] | null;
}

/** Each list's one definition: its table, how its rows point at the period, and its order. */
const LISTS = {
  events: { model: 'TemporalEvent', table: 'temporal_events', alias: 'te', order: 'te.first_detected_at, te.id' },
  crawlEffectiveness: {
    model: 'CrawlEffectiveness',
    table: 'crawl_effectiveness',
    alias: 'ce',
    order: 'ce.effectiveness_score DESC NULLS LAST, ce.id',
  },
} as const;

/**
 * The requested lists of the period row `period` (an alias whose `id` column is the period id),
 * each a JSON array in the list's order, rendered by PostgreSQL: a page of periods with its
 * events is one statement and one JSON value per period for pg to hand over. `when` limits the
 * work to the rows that will be used.
 */
function periodLists(period: string, lists: PeriodLists, when: Sql): [name: string, list: Sql][] {
  return (Object.keys(LISTS) as (keyof typeof LISTS)[]).flatMap((name) => {
    const fields = lists[name];
    if (!fields) return [];
    const { model, table, alias, order } = LISTS[name];
    const list = sql`(SELECT COALESCE(json_agg(${jsonObject(model, alias, fields)} ORDER BY ${raw(order)}), '[]')
        FROM ${raw(table)} ${raw(alias)} WHERE ${raw(alias)}.period_id = ${raw(period)}.id)`;
    return [[name, when === empty ? list : sql`CASE WHEN ${when} THEN ${list} END`]];
  });
}

/** `, (SELECT json_agg(...)) AS "events", ...`: the lists as further columns of a period row. */
export function periodListColumns(period: string, lists: PeriodLists, when: Sql = empty): Sql {
  const columns = periodLists(period, lists, when).map(([name, list]) => sql`, ${list} AS ${raw(`"${name}"`)}`);
  return columns.length ? join(columns, ' ') : empty;
}

/** `, 'events', (SELECT json_agg(...)), ...`: the lists as further keys of a period rendered as JSON. */
export function periodListPairs(period: string, lists: PeriodLists, when: Sql = empty): Sql {
  const pairs = periodLists(period, lists, when).map(([name, list]) => sql`, ${raw(`'${name}'`)}, ${list}`);
  return pairs.length ? join(pairs, ' ') : empty;
}

/** Rows grouped by the period they belong to (their `periodKey` column), in the order of `periodIds`. */
function byPeriod<T extends { periodKey: string }>(periodIds: readonly string[], rows: T[]): T[][] {
  const index = new Map(periodIds.map((id, i) => [id, i]));
  const grouped = periodIds.map(() => [] as T[]);
  // The tag stays on the row (copying every row without it costs more than the unread property).
  for (const row of rows) grouped[index.get(row.periodKey)!]!.push(row);
  return grouped;
}

/** Each period's events, oldest detection first. */
export async function eventsOfPeriods(db: Queryable, periodIds: readonly string[], fields: readonly string[]): Promise<TemporalEvent[][]> {
  const rows = await queryRows<TemporalEvent & { periodKey: string }>(
    db,
    sql`SELECT te.period_id AS "periodKey", ${selectList('TemporalEvent', 'te', fields)}
        FROM temporal_events te WHERE ${isAnyOf(sql`te.period_id`, periodIds, 'uuid')}
        ORDER BY te.period_id, ${raw(LISTS.events.order)}`,
  );
  return byPeriod(periodIds, rows);
}

/** Each period's crawl-effectiveness records, best score first. */
export async function crawlEffectivenessOfPeriods(
  db: Queryable,
  periodIds: readonly string[],
  fields: readonly string[],
): Promise<CrawlEffectiveness[][]> {
  const rows = await queryRows<CrawlEffectiveness & { periodKey: string }>(
    db,
    sql`SELECT ce.period_id AS "periodKey", ${selectList('CrawlEffectiveness', 'ce', fields)}
        FROM crawl_effectiveness ce WHERE ${isAnyOf(sql`ce.period_id`, periodIds, 'uuid')}
        ORDER BY ce.period_id, ${raw(LISTS.crawlEffectiveness.order)}`,
  );
  return byPeriod(periodIds, rows);
}

/** Per period: events still open, and tasks linked to it. */
export async function periodTallies(db: Queryable, periodIds: readonly string[]): Promise<{ unresolvedEvents: number; tasks: number }[]> {
  const rows = await queryRows<{ unresolvedEvents: number; tasks: number; periodKey: string }>(
    db,
    sql`SELECT p.id AS "periodKey",
               (SELECT count(*)::int FROM temporal_events te WHERE te.period_id = p.id AND te.resolved_at IS NULL) AS "unresolvedEvents",
               (SELECT count(*)::int FROM tasks t WHERE t.period_id = p.id) AS "tasks"
        FROM ${parameterRows('p', [['id', 'uuid', periodIds]])}`,
  );
  return byPeriod(periodIds, rows).map((group) => group[0] ?? { unresolvedEvents: 0, tasks: 0 });
}
