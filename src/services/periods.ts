import { Prisma, type AnalysisPeriod, type PrismaClient } from '../generated/prisma/client.js';
import { badUserInput } from '../errors.js';
import { countPerEntity, entityKeysTable, groupByKey, pagesByKey, type EntityKey } from './entityKeys.js';
import { decodeCursor, encodeCursor, type Page } from './pagination.js';

export type { EntityKey, EntityKind } from './entityKeys.js';

export interface PeriodFilter {
  /** Statuses to include; the timeline is ['active']. Ignored with asOf. */
  statuses: string[];
  /**
   * The timeline as it stood at this instant: periods created by then that were not yet
   * superseded then (a superseded period counts until its replacement was created).
   */
  asOf?: Date | null;
  /** Periods whose [start, end) overlaps [from, to); either bound may be open. */
  from?: Date | null;
  to?: Date | null;
}

export interface PeriodPageRequest extends PeriodFilter {
  size: number;
  after?: string | null;
  selection?: PeriodSelection;
}

/**
 * Newest first: by number, then (for several statuses sharing a number) newest row first.
 * Times are compared at millisecond precision, the precision of the DateTime in the cursor,
 * so that a row is never skipped or repeated at a page boundary.
 */
export function periodCursor(period: Pick<AnalysisPeriod, 'periodNumber' | 'createdAt' | 'id'>): string {
  return encodeCursor([period.periodNumber, period.createdAt.toISOString(), period.id]);
}

function parsePeriodCursor(cursor: string): [number, Date, string] {
  const [number, createdAt, id] = decodeCursor(cursor);
  const created = new Date(String(createdAt));
  if (typeof number !== 'number' || Number.isNaN(created.getTime()) || typeof id !== 'string') {
    throw badUserInput('`after` is not a period cursor returned by this API', 'after');
  }
  return [number, created, id];
}

export function assertWindow(from?: Date | null, to?: Date | null): void {
  if (from && to && from.getTime() > to.getTime()) {
    throw badUserInput(`\`from\` (${from.toISOString()}) must not be after \`to\` (${to.toISOString()})`, 'from');
  }
}

function visibility(filter: PeriodFilter): Prisma.Sql {
  if (filter.asOf) {
    // A superseded row without a replacement (deleted since) is taken as superseded when it last changed.
    return Prisma.sql`ap.created_at <= ${filter.asOf}::timestamptz
      AND (ap.status = 'active'
           OR (ap.status = 'superseded'
               AND COALESCE((SELECT rep.created_at FROM analysis_periods rep WHERE rep.id = ap.superseded_by), ap.updated_at) > ${filter.asOf}::timestamptz))`;
  }
  // A literal status = 'active' lets PostgreSQL use the partial indexes built for the timeline.
  return filter.statuses.length === 1 && filter.statuses[0] === 'active'
    ? Prisma.sql`ap.status = 'active'`
    : Prisma.sql`ap.status = ANY(${filter.statuses}::text[])`;
}

function filterConditions(filter: PeriodFilter): Prisma.Sql {
  const status = visibility(filter);
  const window =
    filter.from || filter.to
      ? Prisma.sql`AND tstzrange(ap.period_start, ap.period_end) && tstzrange(${filter.from ?? null}::timestamptz, ${filter.to ?? null}::timestamptz)`
      : Prisma.empty;
  return Prisma.sql`${status} ${window}`;
}

/**
 * Relations and counts to load with the rows (a Pothos query plan for the fields the client
 * selected), so nested relations arrive with the page instead of in a query of their own.
 */
export type PeriodSelection = Omit<Prisma.AnalysisPeriodFindManyArgs, 'where'>;

async function periodsById(prisma: PrismaClient, ids: string[], selection: PeriodSelection = {}): Promise<Map<string, AnalysisPeriod>> {
  if (ids.length === 0) return new Map();
  // A select-mode plan must still bring the id the rows are matched by.
  const query = selection.select ? { ...selection, select: { ...selection.select, id: true } } : selection;
  const rows = (await prisma.analysisPeriod.findMany({ ...query, where: { id: { in: ids } } })) as AnalysisPeriod[];
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * One page of periods for each entity, newest first, in two statements whatever the number of
 * entities: the page ids by a window function, then the rows.
 */
export async function loadPeriodPages(
  prisma: PrismaClient,
  keys: EntityKey[],
  request: PeriodPageRequest,
): Promise<Page<AnalysisPeriod>[]> {
  const cursor = request.after ? parsePeriodCursor(request.after) : null;
  const afterCondition = cursor
    ? Prisma.sql`AND (ap.period_number, date_trunc('milliseconds', ap.created_at), ap.id) < (${cursor[0]}::int, ${cursor[1]}::timestamptz, ${cursor[2]}::uuid)`
    : Prisma.empty;
  const rows = await prisma.$queryRaw<{ ord: bigint; id: string }[]>`
    SELECT ranked.ord, ranked.id FROM (
      SELECT k.ord, ap.id,
             row_number() OVER (PARTITION BY k.ord ORDER BY ap.period_number DESC, date_trunc('milliseconds', ap.created_at) DESC, ap.id DESC) AS rn
      FROM ${entityKeysTable(keys)}
      JOIN analysis_periods ap ON ap.entity_type = k.entity_type AND ap.entity_id = k.entity_id
      WHERE ${filterConditions(request)} ${afterCondition}
    ) ranked
    WHERE ranked.rn <= ${request.size + 1}
    ORDER BY ranked.ord, ranked.rn`;
  const byId = await periodsById(prisma, rows.map((r) => r.id), request.selection);
  return pagesByKey(keys, rows, request.size).map((page) => ({
    nodes: page.rows.map((row) => byId.get(row.id)!),
    hasNextPage: page.hasNextPage,
    totalCount: 0,
  }));
}

/** How many periods match the filter, per entity: one statement for all of them. */
export function countPeriods(prisma: PrismaClient, keys: EntityKey[], filter: PeriodFilter): Promise<number[]> {
  return countPerEntity(prisma, keys, 'analysis_periods', 'ap', filterConditions(filter));
}

export interface NumberedKey extends EntityKey {
  periodNumber: number;
}

/** get_period_by_number() for many (entity, number) pairs in one statement. */
export async function periodsByNumber(prisma: PrismaClient, keys: NumberedKey[]): Promise<(AnalysisPeriod | null)[]> {
  const rows = await prisma.$queryRaw<{ ord: bigint; id: string }[]>`
    SELECT k.ord, p.id
    FROM unnest(${keys.map((k) => k.entityType)}::text[], ${keys.map((k) => k.entityId)}::uuid[], ${keys.map((k) => k.periodNumber)}::int[])
         WITH ORDINALITY AS k(entity_type, entity_id, period_number, ord)
    CROSS JOIN LATERAL get_period_by_number(k.entity_type, k.entity_id, k.period_number) p`;
  const byId = await periodsById(prisma, rows.map((r) => r.id));
  return groupByKey(keys, rows).map((group) => (group[0] ? byId.get(group[0].id) ?? null : null));
}

export type Direction = 'previous' | 'next';

/** The neighbouring active period of each given period (same entity), in one statement. */
export async function neighbouringPeriods(
  prisma: PrismaClient,
  periods: Pick<AnalysisPeriod, 'entityType' | 'entityId' | 'periodNumber'>[],
  direction: Direction,
): Promise<(AnalysisPeriod | null)[]> {
  const step =
    direction === 'previous'
      ? Prisma.sql`n.period_number < k.period_number ORDER BY n.period_number DESC`
      : Prisma.sql`n.period_number > k.period_number ORDER BY n.period_number ASC`;
  const rows = await prisma.$queryRaw<{ ord: bigint; id: string }[]>`
    SELECT k.ord, neighbour.id
    FROM unnest(${periods.map((p) => p.entityType)}::text[], ${periods.map((p) => p.entityId)}::uuid[], ${periods.map((p) => p.periodNumber)}::int[])
         WITH ORDINALITY AS k(entity_type, entity_id, period_number, ord)
    CROSS JOIN LATERAL (
      SELECT n.id FROM analysis_periods n
      WHERE n.entity_type = k.entity_type AND n.entity_id = k.entity_id AND n.status = 'active' AND ${step}
      LIMIT 1
    ) neighbour`;
  const byId = await periodsById(prisma, rows.map((r) => r.id));
  return groupByKey(periods, rows).map((group) => (group[0] ? byId.get(group[0].id) ?? null : null));
}
