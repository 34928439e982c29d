/**
 * Per-metric change between two metric maps (a period and the one before it, or any two
 * periods being compared): the GraphQL layer's richer form of the flat metrics_delta.
 */
export interface MetricChange {
  key: string;
  previous: unknown;
  current: unknown;
  /** current − previous; null unless both are numbers (or strings holding numbers). */
  absolute: number | null;
  /** absolute / previous × 100; null unless both are numbers and previous is not 0. */
  percent: number | null;
}

type Metrics = Record<string, unknown>;

function asMetrics(value: unknown): Metrics {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Metrics) : {};
}

/**
 * A metric's value as a number: a JSON number, or a string holding one ("246.6", as Crosshot's
 * analyst writes some), as the database's metric_numeric() reads it (migration 0010; the same
 * pattern, test/metric-values.test.ts holds the two together); null for anything else.
 */
export const NUMERIC_STRING = /^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]{1,2})?[ \t\n\r\f\v]*$/;

export function metricNumber(value: unknown): number | null {
  const number = typeof value === 'number' ? value : typeof value === 'string' && NUMERIC_STRING.test(value) ? Number(value) : null;
  return number !== null && Number.isFinite(number) ? number : null;
}

/** Over the union of both maps' keys, sorted by key; a key missing on one side is null there. */
export function computeMetricChanges(previousMetrics: unknown, currentMetrics: unknown): MetricChange[] {
  const previous = asMetrics(previousMetrics);
  const current = asMetrics(currentMetrics);
  const keys = [...new Set([...Object.keys(previous), ...Object.keys(current)])].sort();
  return keys.map((key) => {
    const before = previous[key] ?? null;
    const after = current[key] ?? null;
    const [from, to] = [metricNumber(before), metricNumber(after)];
    const absolute = from !== null && to !== null ? to - from : null;
    const percent = absolute !== null && from !== 0 ? (absolute / from!) * 100 : null;
    return { key, previous: before, current: after, absolute, percent };
  });
}
