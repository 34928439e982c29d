import { describe, expect, it } from 'vitest';
import { isoTimestamp, parseStoredTimestamp, parseTimestamp, Timestamp } from '../src/db/timestamp.js';

/** The general parser's reading of a text, printed as the API prints it: what the fast path must equal. */
function expected(text: string): string | null {
  const time = parseTimestamp(text);
  if (!time) return null;
  return time.micros !== 0 ? time.toPostgres() : time.toISOString();
}

const TEXTS = [
  // PostgreSQL's JSON text of UTC instants, every fraction length, month ends
  '2026-01-31T23:59:59.5+00:00', '2024-02-29T08:00:00.25+00:00', '2026-04-30T00:00:00+00:00',
  '2026-03-01T10:00:00+00:00', '2026-03-01T10:00:00.1+00:00', '2026-03-01T10:00:00.12+00:00', '2026-03-01T10:00:00.123+00:00',
  '2026-03-01T10:00:00.1234+00:00', '2026-03-01T10:00:00.12345+00:00', '2026-03-01T10:00:00.123456+00:00', '2026-03-01T10:00:00.000001+00:00',
  // its row text, and RFC 3339 with Z
  '2026-03-01 10:00:00.5+00', '2026-12-31 23:59:59.999999+00', '2026-03-01T10:00:00Z', '2026-03-01T10:00:00.120000Z',
  // calendar edges
  '2024-02-29T00:00:00+00:00', '2000-02-29 12:00:00+00', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999999Z',
  // not the fast path's: other offsets, BC, more digits, no offset
  '2026-03-01T10:00:00.123456+05:30', '2026-03-01 10:00:00-08', '2026-03-01T10:00:00.1234567Z', '0044-03-15 12:00:00+00 BC', '2026-03-01T10:00:00',
  // not instants at all
  '2026-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-03-01T24:00:00Z', '2026-3-01T10:00:00Z', '2026-03-01T10:00:00.+00:00', 'yesterday', '',
  // the same in PostgreSQL's JSON form (the sliced path must not print them)
  '2026-02-29T00:00:00+00:00', '2026-04-31T00:00:00+00:00', '2026-13-01T00:00:00+00:00', '2026-03-01T24:00:00+00:00', '2026-03-01T10:60:00+00:00',
];

describe('timestamps read the same whichever path reads them', () => {
  it('prints every text as the general parser reads it', () => {
    for (const text of TEXTS) expect(isoTimestamp(text), text).toBe(expected(text));
    // The fast path is taken, and not vacuous: most of these are instants.
    expect(TEXTS.filter((text) => isoTimestamp(text) !== null)).toHaveLength(24);
  });

  it('parses pg row values into the same Timestamps', () => {
    for (const text of TEXTS) {
      const general = parseTimestamp(text);
      const stored = parseStoredTimestamp(text);
      if (!general) {
        expect(stored instanceof Timestamp && Number.isNaN(stored.getTime()), text).toBe(true);
        continue;
      }
      expect(stored, text).toBeInstanceOf(Timestamp);
      expect([(stored as Timestamp).getTime(), (stored as Timestamp).micros], text).toEqual([general.getTime(), general.micros]);
    }
    expect(parseStoredTimestamp('infinity')).toBe(Infinity);
  });
});
