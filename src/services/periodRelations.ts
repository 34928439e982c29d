import type { CrawlEffectiveness, TemporalEvent } from '../generated/prisma/client.js';
import { empty, join, jsonObject, parameterRows, queryRows, raw, selectList, sql, type Sql } from '../db/sql.js';
import type { Queryable } from '../db/queryable.js';

// Rows hold the fields the caller asked for (typed as whole rows: the resolvers read only those).

/**
 * The lists and counts that hang off a period (its events, its crawl-effectiveness records, how
 * many events are open, how many tasks ran). A period read by SQL carries its lists in its own
 * statement (`periodListColumns`: one JSON array per list and period); for periods from elsewhere
 * (Prisma relations, mutation results) the functions below read them for many periods in one
 * statement each, so under a page of periods they cost one statement per kind, not one per period.
 */

/** A list to read with its periods: the fields of its rows, and at most how many per period. */
export interface ListRead {
  fields: readonly string[];
  limit: number;
}

/** Which of a period's lists to read with it. */
export interface PeriodLists {
  events?: ListRead | null;
  crawlEffectiveness?: ListRead | null;
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
    const read = lists[name];
    if (!read) return [];
    const { model, table, alias, order } = LISTS[name];
    const list = sql`(SELECT COALESCE(json_agg(${jsonObject(model, alias, read.fields)} ORDER BY ${raw(order)}), '[]')
        FROM (SELECT * FROM ${raw(table)} ${raw(alias)} WHERE ${raw(alias)}.period_id = ${raw(period)}.id ORDER BY ${raw(order)} LIMIT ${read.limit}) ${raw(alias)})`;
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

/** One of a period's lists for many periods in one statement: up to `read.limit` rows each, in the list's order. */
async function listOfPeriods<T>(db: Queryable, periodIds: readonly string[], name: keyof typeof LISTS, read: ListRead): Promise<T[][]> {
  const { model, table, alias, order } = LISTS[name];
  const x = raw(alias);
  const rows = await queryRows<T & { periodKey: string }>(
    db,
    sql`SELECT k.id AS "periodKey", l.* FROM ${parameterRows('k', [['id', 'uuid', periodIds]])}
        CROSS JOIN LATERAL (
          SELECT ${selectList(model, alias, read.fields)} FROM ${raw(table)} ${x}
          WHERE ${x}.period_id = k.id ORDER BY ${raw(order)} LIMIT ${read.limit}) l
        ORDER BY k.ord`,
  );
  return byPeriod(periodIds, rows);
}

/** Each period's events, oldest detection first. */
export function eventsOfPeriods(db: Queryable, periodIds: readonly string[], read: ListRead): Promise<TemporalEvent[][]> {
  return listOfPeriods<TemporalEvent>(db, periodIds, 'events', read);
}

/** Each period's crawl-effectiveness records, best score first. */
export function crawlEffectivenessOfPeriods(db: Queryable, periodIds: readonly string[], read: ListRead): Promise<CrawlEffectiveness[][]> {
  return listOfPeriods<CrawlEffectiveness>(db, periodIds, 'crawlEffectiveness', read);
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
