import { GraphQLError } from 'graphql';

/**
 * How every DateTime leaves the API: JavaScript's toISOString form (UTC, milliseconds,
 * `2026-03-01T10:00:00.123Z`), whichever way the value was read.
 *
 * Rows pg parses carry Date objects. Rows PostgreSQL renders as JSON (the lists read inside a
 * period's statement) carry ISO-8601 strings in the session's time zone with up to microseconds
 * (`2026-03-01T10:00:00.123456+00:00`): in UTC they are cut to milliseconds as strings (pg's
 * Date parsing truncates the same way), without a Date; any other offset goes through Date.
 */
const POSTGRES_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?\+00:00$/;

export function serializeDateTime(value: unknown): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new GraphQLError('DateTime cannot represent an invalid Date instance');
    return value.toISOString();
  }
  if (typeof value === 'string') {
    if (POSTGRES_UTC.test(value)) {
      const fraction = value.length > 25 ? value.slice(20, -6) : '';
      return `${value.slice(0, 19)}.${(fraction + '000').slice(0, 3)}Z`;
    }
    const parsed = new Date(value);
    if (!Number.isNaN(parsed.getTime())) return parsed.toISOString();
  }
  throw new GraphQLError(`DateTime cannot represent ${JSON.stringify(value)}`);
}
