/**
 * Time keeps PostgreSQL's precision. A timestamptz holds microseconds; a JavaScript Date holds
 * milliseconds. So a timestamp read from PostgreSQL is a Timestamp: a Date (all code that reads
 * times as Dates keeps working, to the millisecond) that also carries the microseconds below
 * its millisecond, prints them (the API's DateTime), and is sent back to PostgreSQL exactly (the
 * pool writes its exact text, see pool.ts). DateTime input is parsed into one too, so an
 * instant a client sends with microseconds reaches the database as sent. Bounds derived from
 * stored times (a new period's start) are computed in SQL and never pass through JavaScript.
 */
export class Timestamp extends Date {
  /** Microseconds below the Date's millisecond, 0..999. */
  readonly micros: number;

  constructor(epochMs: number, micros = 0) {
    super(epochMs);
    this.micros = micros;
  }

  /** ISO-8601 in UTC, to the microsecond: what PostgreSQL is sent. */
  toPostgres(): string {
    return this.toISOString().replace(/\.(\d{3})Z$/, `.$1${String(this.micros).padStart(3, '0')}Z`);
  }
}

/**
 * A time as the API prints it (RFC 3339 in UTC): milliseconds, or microseconds when the value
 * has any below the millisecond; from a Date, a Timestamp, or PostgreSQL's text (a row it
 * rendered as JSON). Null for anything else.
 */
export function isoTimestamp(value: unknown): string | null {
  if (typeof value === 'string' && POSTGRES_JSON_UTC.test(value) && dayInMonth(value)) return fromPostgresJson(value);
  if (typeof value === 'string') {
    const utc = utcText(value);
    if (utc) return utc.micros === '000' ? `${utc.base}.${utc.millis}Z` : `${utc.base}.${utc.millis}${utc.micros}Z`;
  }
  const time = value instanceof Date ? value : typeof value === 'string' ? parseTimestamp(value) : null;
  if (!time || Number.isNaN(time.getTime())) return null;
  return time instanceof Timestamp && time.micros !== 0 ? time.toPostgres() : time.toISOString();
}

/**
 * What rows PostgreSQL rendered as JSON hold (timestamptz in a UTC session:
 * `2026-03-01T10:00:00.123456+00:00`, the fraction without trailing zeros, or none): by far the
 * most printed form, so it is printed by slicing, without captures or Dates. The pattern admits
 * only valid fields; a day past the 28th is checked against its month.
 */
const POSTGRES_JSON_UTC = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,6})?\+00:00$/;

/** Whether the day of a `YYYY-MM-DD…` text exists in its month (the pattern has checked the digits). */
function dayInMonth(text: string): boolean {
  const day = (text.charCodeAt(8) - 48) * 10 + (text.charCodeAt(9) - 48);
  return day <= 28 || day <= daysIn(Number(text.slice(0, 4)), (text.charCodeAt(5) - 48) * 10 + (text.charCodeAt(6) - 48));
}

function fromPostgresJson(text: string): string {
  const fraction = text.length > 25 ? text.slice(20, -6).padEnd(6, '0') : '000000';
  return `${text.slice(0, 19)}.${fraction.endsWith('000') ? fraction.slice(0, 3) : fraction}Z`;
}

/**
 * The common case, without the general parser or a Date: PostgreSQL's own text of a UTC instant
 * (a JSON value `2026-03-01T10:00:00.123456+00:00`, a row value `2026-03-01 10:00:00.1+00`; in
 * a UTC session), or RFC 3339 with `Z`, with a four-digit year. Null for anything else (then the
 * general parser below decides).
 */
const UTC_TEXT = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?(?:\+00(?::00)?|Z)$/;

function utcText(text: string): { base: string; millis: string; micros: string; match: RegExpExecArray } | null {
  const match = UTC_TEXT.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || Number(match[4]) > 23 || Number(match[5]) > 59 || Number(match[6]) > 59) return null;
  const fraction = match[7] === undefined ? '000000' : match[7].length === 6 ? match[7] : match[7].padEnd(6, '0');
  const base = text.charCodeAt(10) === 84 ? text.slice(0, 19) : `${text.slice(0, 10)}T${text.slice(11, 19)}`;
  return { base, millis: fraction.slice(0, 3), micros: fraction.slice(3), match };
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function daysIn(year: number, month: number): number {
  return month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : DAYS[month - 1]!;
}

// 2026-03-01T10:00:00.123456Z, 2026-03-01 10:00:00.123456+00, 2026-03-01T10:00:00+05:30, ... BC
const TIMESTAMP = /^(\d{4,6})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?\s*(Z|[+-]\d\d(?::?\d\d(?::?\d\d)?)?)?( BC)?$/i;

/**
 * A time with an offset (RFC 3339, or PostgreSQL's timestamptz output in any session time zone)
 * as a Timestamp, rounded to the microsecond as PostgreSQL rounds; null when it is not one, or
 * when the calendar has no such day. `offsetRequired`: a text without an offset is refused
 * (input must say which instant it means); PostgreSQL's own output always has one.
 */
export function parseTimestamp(text: string, { offsetRequired = false } = {}): Timestamp | null {
  const match = TIMESTAMP.exec(text.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s, fraction = '', offset, bc] = match;
  if (offsetRequired && !offset) return null;
  const year = bc ? 1 - Number(y) : Number(y);
  const [month, day, hour, minute, second] = [Number(mo), Number(d), Number(h), Number(mi), Number(s)];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null; // 30 February
  date.setUTCHours(hour, minute, second, 0);
  // Nanoseconds → microseconds, half up (PostgreSQL's rounding of input).
  const nanos = Number(fraction.padEnd(9, '0'));
  const microsTotal = Math.floor(nanos / 1000) + (nanos % 1000 >= 500 ? 1 : 0);
  let epochMs = date.getTime() + Math.floor(microsTotal / 1000) - offsetMinutes(offset) * 60_000;
  let micros = microsTotal % 1000;
  if (micros < 0) {
    micros += 1000;
    epochMs -= 1;
  }
  return Number.isNaN(epochMs) ? null : new Timestamp(epochMs, micros);
}

function offsetMinutes(offset: string | undefined): number {
  if (!offset || offset.toUpperCase() === 'Z') return 0;
  const digits = offset.slice(1).replaceAll(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0') + Number(digits.slice(4, 6) || '0') / 60;
  return offset.startsWith('-') ? -minutes : minutes;
}

/** pg's parser for timestamptz values (text format): Timestamps, and ±infinity as pg gives them (numbers). */
export function parseStoredTimestamp(text: string): Timestamp | number {
  if (text === 'infinity') return Infinity;
  if (text === '-infinity') return -Infinity;
  const utc = utcText(text);
  if (utc) {
    const [, year, month, day, hour, minute, second] = utc.match;
    const date = new Date(0);
    date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
    return new Timestamp(date.getTime() + ((Number(hour) * 60 + Number(minute)) * 60 + Number(second)) * 1000 + Number(utc.millis), Number(utc.micros));
  }
  return parseTimestamp(text) ?? new Timestamp(Number.NaN);
}

/** A parameter as PostgreSQL should get it: a Timestamp as its exact text (pg would print a Date's milliseconds only), in arrays too. */
export function exactParameter(value: unknown): unknown {
  if (value instanceof Timestamp) return value.toPostgres();
  if (Array.isArray(value) && value.some((item) => item instanceof Timestamp)) return value.map((item) => (item instanceof Timestamp ? item.toPostgres() : item));
  return value;
}

/** The OID of timestamptz: its values are parsed into Timestamps. */
export const TIMESTAMPTZ_OID = 1184;
