import { Prisma } from '../generated/prisma/client.js';
import manifest from '../generated/catalog-manifest.json' with { type: 'json' };
import type pg from 'pg';
import type { StatementConfig } from './pool.js';
import type { Queryable } from './queryable.js';

/**
 * SQL reads run on the pg pool: statements are written with Prisma's `sql` template tag (values
 * become $n parameters) and their rows come back as pg parses them, with no ORM materialisation
 * between PostgreSQL and the resolvers.
 */

export const sql = Prisma.sql;
export const join = Prisma.join;
export const raw = Prisma.raw;
export const empty = Prisma.empty;
export type Sql = Prisma.Sql;

/**
 * Runs a read and returns its rows. Reads are prepared statements (parsed and planned once per
 * connection; see createPool): their texts come from a fixed set of shapes, since every value,
 * list lengths included, is a parameter.
 */
export async function queryRows<T>(db: Queryable, statement: Sql): Promise<T[]> {
  const config: StatementConfig = { text: statement.text, values: statement.values as unknown[], prepare: !unpreparable.has(statement.text) };
  try {
    return (await db.query(config as pg.QueryConfig)).rows as T[];
  } catch (error) {
    // A table or view a prepared statement reads changed shape under it (a migration while the
    // server runs): PostgreSQL refuses to run it again, so this text runs unnamed from now on.
    if (!config.prepare || (error as { code?: string }).code !== '0A000' || !/cached plan must not change result type/.test(String(error))) throw error;
    unpreparable.add(statement.text);
    return (await db.query(statement.text, statement.values as unknown[])).rows as T[];
  }
}

const unpreparable = new Set<string>();

/*
 * Lists as parameters. PostgreSQL keeps a prepared statement's generic plan only when it is
 * priced near the plans made for the actual values, and it prices an array parameter as ten
 * elements: a read of one key (one entity's page, one period: the common case) would be planned
 * anew on every execution. So one value is written as one value, and a list as an array.
 */

/** `column = value` for one value, `column = ANY(values)` for more. */
export function isAnyOf(column: Sql, values: readonly unknown[], type: string): Sql {
  return values.length === 1 ? sql`${column} = ${values[0]}::${raw(type)}` : sql`${column} = ANY(${values}::${raw(type)}[])`;
}

/** A list column of parameterRows: its name, SQL type and one value per row. */
export type ParameterColumn = readonly [name: string, type: string, values: readonly unknown[]];

/**
 * The rows of parallel value lists as a table `alias(name, ..., ord)`, `ord` the 1-based row
 * position (a bigint): `unnest($1::t[], ...) WITH ORDINALITY`, or `(VALUES ($1::t, ..., 1))`
 * for one row.
 */
export function parameterRows(alias: string, columns: readonly ParameterColumn[]): Sql {
  const names = raw(`${alias}(${[...columns.map(([name]) => name), 'ord'].join(', ')})`);
  if (columns[0]![2].length === 1) {
    return sql`(VALUES (${join(columns.map(([, type, values]) => sql`${values[0]}::${raw(type)}`), ', ')}, 1::bigint)) AS ${names}`;
  }
  return sql`unnest(${join(columns.map(([, type, values]) => sql`${values}::${raw(`${type}[]`)}`), ', ')}) WITH ORDINALITY AS ${names}`;
}

interface ManifestField {
  name: string;
  column: string;
  kind: string;
}

/** Prisma field name → column, per model, from the catalog manifest `prisma generate` writes. */
const COLUMNS = new Map<string, Map<string, string>>(
  (manifest.models as { name: string; fields: ManifestField[] }[]).map((model) => [
    model.name,
    new Map(model.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum').map((f) => [f.name, f.column])),
  ]),
);

export type ModelName = 'AnalysisPeriod' | 'TemporalEvent' | 'CrawlEffectiveness' | 'Topic' | 'TrackedUser';

export function isScalarField(model: ModelName, field: string): boolean {
  return COLUMNS.get(model)!.has(field);
}

/** Every scalar field of a model. */
export function allFields(model: ModelName): string[] {
  return [...COLUMNS.get(model)!.keys()];
}

/**
 * `alias."column" AS "field"` for each named scalar field: rows come back keyed by the Prisma
 * field names, the shape Pothos' prisma objects read.
 */
export function selectList(model: ModelName, alias: string, fields: Iterable<string>): Sql {
  const columns = COLUMNS.get(model)!;
  const parts = [...fields].map((field) => {
    const column = columns.get(field);
    if (!column) throw new Error(`${model} has no scalar field ${field}`);
    return raw(`${alias}."${column}" AS "${field}"`);
  });
  return join(parts, ', ');
}

/**
 * `json_build_object('field', alias."column", ...)` for each named scalar field: a row rendered
 * by PostgreSQL as one JSON object keyed by the Prisma field names (for rows nested in another
 * statement). Timestamps come out as ISO-8601 strings, which the DateTime scalar serializes.
 * `more` adds further `, 'key', value` pairs.
 */
export function jsonObject(model: ModelName, alias: string, fields: Iterable<string>, more: Sql = empty): Sql {
  const columns = COLUMNS.get(model)!;
  const parts = [...fields].map((field) => {
    const column = columns.get(field);
    if (!column) throw new Error(`${model} has no scalar field ${field}`);
    return `'${field}', ${alias}."${column}"`;
  });
  return sql`json_build_object(${raw(parts.join(', '))}${more})`;
}

export { isoTimestamp } from './timestamp.js';
