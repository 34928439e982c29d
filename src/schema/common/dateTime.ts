import { GraphQLError } from 'graphql';
import { isoTimestamp } from '../../db/sql.js';

/**
 * How every DateTime leaves the API: JavaScript's toISOString form (UTC, milliseconds,
 * `2026-03-01T10:00:00.123Z`), whether the row held a Date (parsed by pg) or a string (a row
 * PostgreSQL rendered as JSON inside another statement): see isoTimestamp.
 */
export function serializeDateTime(value: unknown): string {
  const iso = isoTimestamp(value);
  if (iso === null) throw new GraphQLError(`DateTime cannot represent ${JSON.stringify(value)}`);
  return iso;
}
