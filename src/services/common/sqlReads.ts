import { empty, join, jsonObject, parameterRows, queryRows, raw, sql, type ModelName, type Sql } from '../../db/sql.js';
import type { Queryable } from '../../db/queryable.js';
import { entityKeysTable, groupByKey, type EntityKey } from './entityKeys.js';

/**
 * A database-backed field's one SQL definition: its value for one parent row, as one JSON
 * expression over that row. Both ways of reading it derive from it:
 * - with its parent: the parent's statement renders it per row (`prefetchedColumn`), under the
 *   response key of the field that asked, so a topic with its periods is one statement;
 * - batched: for parents that came from elsewhere, the same expression over a table of their
 *   keys (`readPerKey`), one statement for all of them.
 * So no field has a second SQL form to keep in step with the first.
 */

/** The rows a field can hang off, and what of them its expression reads. */
export interface Parents {
  /** A topic or tracked user: its type (a literal or a column) and its id. */
  entity: { type: Sql; id: Sql };
  /** An analysis_periods row, by its alias (its columns, e.g. `row.entity_id`). */
  period: { row: Sql };
}
export type ParentKind = keyof Parents;

/** The keys a batched read takes: an entity's type and id, or a period's id. */
export interface ParentKeys {
  entity: EntityKey;
  period: string;
}

export interface SqlRead<K extends ParentKind = ParentKind, Request = unknown> {
  /** `Type.field`: unique, and what loaders and plans name it by. */
  readonly name: string;
  readonly parent: K;
  /** The value for the parent row `parent`, as JSON, for `request` (the field's arguments, validated). */
  json(parent: Parents[K], request: Request): Sql;
}

const names = new Set<string>();

/**
 * Declares a field's read, in its domain's service module. The read travels as itself (in loader
 * keys and plans, where it prints as its name and parent: `json` is a function).
 */
export function defineRead<K extends ParentKind, Request>(parent: K, name: string, json: (parent: Parents[K], request: Request) => Sql): SqlRead<K, Request> {
  if (names.has(name)) throw new Error(`the read ${name} is declared twice`);
  names.add(name);
  return { name, parent, json };
}

/** A read with its request: what one field asks of the database. */
export interface ReadRequest {
  read: SqlRead;
  request: unknown;
}

/** What a parent's statement reads for the fields below it: per response key, which read with which request. */
export type ReadAhead = Record<string, ReadRequest>;

/** A list a field reads: the fields of its rows, and at most how many. */
export interface ListRead {
  fields: readonly string[];
  limit: number;
}

/**
 * A period's rows of `table` (those whose period_id is the period's), in `orderBy` (over `alias`),
 * at most `read.limit`, as a JSON array of the model's `read.fields`: the shape of a period's lists.
 */
export function periodRowsJson(model: ModelName, table: string, alias: string, period: Parents['period'], orderBy: string, read: ListRead): Sql {
  const [as, order] = [raw(alias), raw(orderBy)];
  return sql`(SELECT COALESCE(json_agg(${jsonObject(model, alias, read.fields)} ORDER BY ${order}), '[]')
    FROM (SELECT * FROM ${raw(table)} ${as} WHERE ${as}.period_id = ${period.row}.id ORDER BY ${order} LIMIT ${read.limit}) ${as})`;
}

/** `json_build_object('key', <read>, ...)` of what is read ahead for the parent row (null: nothing); `when` limits it to some rows. */
export function readAheadObject<K extends ParentKind>(kind: K, parent: Parents[K], readAhead: ReadAhead | null | undefined, when: Sql = empty): Sql | null {
  const entries = Object.entries(readAhead ?? {});
  if (entries.length === 0) return null;
  const pairs = entries.map(([key, { read, request }]) => {
    if (read.parent !== kind) throw new Error(`${read.name} reads off a ${read.parent}, not a ${kind}`);
    return sql`${key}::text, ${read.json(parent as never, request)}`;
  });
  const object = sql`json_build_object(${join(pairs, ', ')})`;
  return when === empty ? object : sql`CASE WHEN ${when} THEN ${object} END`;
}

/**
 * `, json_build_object('key', <read>, ...) AS "prefetched"` for a parent row of a statement (or
 * nothing): what resolvers find with `prefetched`. `when` limits the work to the rows that will
 * be used (not a page's look-ahead row).
 */
export function prefetchedColumn<K extends ParentKind>(kind: K, parent: Parents[K], readAhead: ReadAhead | null | undefined, when: Sql = empty): Sql {
  const object = readAheadObject(kind, parent, readAhead, when);
  return object ? sql`, ${object} AS "prefetched"` : empty;
}

/** The same as a further `, 'prefetched', {...}` pair of a parent rendered as a JSON object. */
export function prefetchedPair<K extends ParentKind>(kind: K, parent: Parents[K], readAhead: ReadAhead | null | undefined, when: Sql = empty): Sql {
  const object = readAheadObject(kind, parent, readAhead, when);
  return object ? sql`, 'prefetched', ${object}` : empty;
}

/** What a parent's statement read ahead for the field at `responseKey` (undefined when it did not). */
export function prefetchedValue(parent: unknown, responseKey: string): { value: unknown } | undefined {
  const prefetched = (parent as { prefetched?: Record<string, unknown> | null }).prefetched;
  return prefetched && responseKey in prefetched ? { value: prefetched[responseKey] } : undefined;
}

/**
 * A read for many parents in one statement: its expression over a table of their keys. A period
 * key without a row gets null.
 */
export async function readPerKey<K extends ParentKind>(db: Queryable, kind: K, keys: ParentKeys[K][], read: SqlRead, request: unknown): Promise<unknown[]> {
  if (read.parent !== kind) throw new Error(`${read.name} reads off a ${read.parent}, not a ${kind}`);
  const statement =
    kind === 'entity'
      ? sql`SELECT k.ord, ${read.json({ type: sql`k.entity_type`, id: sql`k.entity_id` } as never, request)} AS value FROM ${entityKeysTable(keys as EntityKey[])}`
      : sql`SELECT k.ord, ${read.json({ row: raw('p') } as never, request)} AS value
            FROM ${parameterRows('k', [['id', 'uuid', keys as string[]]])} JOIN analysis_periods p ON p.id = k.id`;
  const rows = await queryRows<{ ord: string; value: unknown }>(db, statement);
  return groupByKey(keys, rows).map((group) => (group.length ? group[0]!.value : null));
}
