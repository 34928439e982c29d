import { describe, expect, it } from 'vitest';
import { metricNumber } from '../src/services/periods/metricChanges.js';
import { createTestDatabase } from './helpers/database.js';

/**
 * One rule for "is this metric value a number", in two places: the database's metric_number()
 * (migration 0010: anomalies, deltas, trends, series) and metricNumber() (metricChanges, computed
 * in the gateway). They must agree on every value.
 */
const VALUES: unknown[] = [
  10, -3, 0, 10.5, 1e15, -1e-7, 1.5e300,
  '246.6', '11', ' 12 ', '\t7\n', '+.5', '-0.25', '5.', '.5', '1e5', '1E-3', '2.5e+10', '1e99',
  // Not numbers:
  'n/a', '', ' ', '.', '-', 'e5', '1e', '1e100', '1e500', '0x10', 'NaN', 'Infinity', '-Infinity', '1,000', '1 000', '12abc',
  '\u00a05', '5\u2003', '\u0663', '１２', true, false, null, {}, [], [1], { value: 3 },
];

describe('metric values: the database and the gateway agree on what is a number', async () => {
  const db = await createTestDatabase();

  it('metric_number() and metricNumber() give the same number, or none, for every value', async () => {
    const { rows } = await db.pool.query<{ n: number | null }>(
      `SELECT metric_number(v) AS n FROM unnest($1::jsonb[]) WITH ORDINALITY AS t(v, i) ORDER BY i`,
      [VALUES.map((v) => JSON.stringify(v))],
    );
    const inDatabase = rows.map((r) => r.n);
    const inGateway = VALUES.map((v) => metricNumber(v));
    expect(inDatabase).toEqual(inGateway);
    // And the rule is not vacuous: both kinds occur.
    expect(inGateway.filter((n) => n !== null)).toHaveLength(19);
  });
});
