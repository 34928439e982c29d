import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { isoTimestamp, parseTimestamp, type Timestamp } from '../../db/timestamp.js';

/** The instants a DateTime may name on input: four-digit years, which PostgreSQL and JavaScript both hold. */
const FIRST_YEAR = 1;
const LAST_YEAR = 9999;

function parseDateTime(value: unknown): Timestamp {
  const parsed = typeof value === 'string' ? parseTimestamp(value, { offsetRequired: true }) : null;
  if (!parsed) {
    throw new GraphQLError(`DateTime cannot represent ${JSON.stringify(value)}: send RFC 3339 with an offset, e.g. "2026-03-01T10:00:00Z" or "2026-03-01T10:00:00.123456+01:00"`);
  }
  const year = parsed.getUTCFullYear();
  if (year < FIRST_YEAR || year > LAST_YEAR) {
    throw new GraphQLError(`DateTime cannot represent ${JSON.stringify(value)}: only years ${String(FIRST_YEAR).padStart(4, '0')} to ${LAST_YEAR} are accepted`);
  }
  return parsed;
}

/**
 * The DateTime scalar: RFC 3339 instants, to the microsecond, as PostgreSQL keeps them.
 * - Input: an offset is required; up to six fractional digits are kept exactly (more are
 *   rounded to the microsecond, as PostgreSQL rounds); years 0001 to 9999.
 * - Output: in UTC, with milliseconds (`2026-03-01T10:00:00.123Z`), or with microseconds when
 *   the stored value has any below the millisecond (`2026-03-01T10:00:00.123456Z`), whether the
 *   row was parsed by pg or rendered as JSON by PostgreSQL inside another statement.
 */
export const DateTimeScalar = new GraphQLScalarType<Timestamp, string>({
  name: 'DateTime',
  description:
    'An instant, RFC 3339. Input: with an offset, up to microseconds (kept exactly), years 0001 to 9999. Output: UTC, with milliseconds, or microseconds when the stored value has any below the millisecond (PostgreSQL keeps microseconds).',
  specifiedByURL: 'https://datatracker.ietf.org/doc/html/rfc3339',
  serialize(value) {
    const iso = isoTimestamp(value);
    if (iso === null) throw new GraphQLError(`DateTime cannot represent ${JSON.stringify(value)}`);
    return iso;
  },
  parseValue: parseDateTime,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime cannot represent a non-string value: send RFC 3339, e.g. "2026-03-01T10:00:00Z"', { nodes: ast });
    return parseDateTime(ast.value);
  },
});
