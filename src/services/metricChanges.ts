/**
 * Per-metric change between two metric maps (a period and the one before it, or any two
 * periods being compared): the GraphQL layer's richer form of the flat metrics_delta.
 */
export interface MetricChange {
  key: string;
  previous: unknown;
  current: unknown;
  /** current − previous; null unless both are numbers. */
  absolute: number | null;
  /** absolute / previous × 100; null unless both are numbers and previous is not 0. */
  percent: number | null;
}

type Metrics = Record<string, unknown>;

function asMetrics(value: unknown): Metrics {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Metrics) : {};
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Over the union of both maps' keys, sorted by key; a key missing on one side is null there. */
export function computeMetricChanges(previousMetrics: unknown, currentMetrics: unknown): MetricChange[] {
  const previous = asMetrics(previousMetrics);
  const current = asMetrics(currentMetrics);
  const keys = [...new Set([...Object.keys(previous), ...Object.keys(current)])].sort();
  return keys.map((key) => {
    const before = previous[key] ?? null;
    const after = current[key] ?? null;
    const absolute = isNumber(before) && isNumber(after) ? after - before : null;
    const percent = absolute !== null && before !== 0 ? (absolute / (before as number)) * 100 : null;
    return { key, previous: before, current: after, absolute, percent };
  });
}
