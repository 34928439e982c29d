import { UUIDResolver } from 'graphql-scalars';
import { isoTimestamp } from '../../db/timestamp.js';
import { badUserInput, GatewayError } from '../../errors.js';

/**
 * The input rules: checks made before any SQL runs, so rejected input costs no database work and
 * the message names the field to fix. Each rule lives here once (the time-window rule in
 * timeWindows.ts, the cursor rule in cursors.ts); the database constraints stay as the backstop
 * for other writers.
 */

/** IDs are database UUIDs: anything else is a client mistake, reported before any SQL runs. */
export function parseUuid(value: string | number, argument: string): string {
  try {
    return UUIDResolver.parseValue(String(value)) as string;
  } catch {
    throw badUserInput(`\`${argument}\` must be a UUID, got "${String(value)}"`, argument);
  }
}

export function parseUuids(values: readonly (string | number)[], field: string): string[] {
  return values.map((value, i) => parseUuid(value, `${field}[${i}]`));
}

export function isUuid(value: string): boolean {
  try {
    UUIDResolver.parseValue(value);
    return true;
  } catch {
    return false;
  }
}

export function assertScore(value: number | null | undefined, field: string): void {
  if (value === null || value === undefined) return;
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new GatewayError('INVALID_SCORE', `\`${field}\` must be between 0 and 1 (got ${value})`, { field });
  }
}

function assertCount(value: number | null | undefined, field: string): void {
  if (value === null || value === undefined) return;
  if (!Number.isInteger(value) || value < 0) throw badUserInput(`\`${field}\` must be a non-negative integer (got ${value})`, field);
}

export function assertText(value: string | null | undefined, field: string, { maxLength, required = false }: { maxLength?: number; required?: boolean }): void {
  if (value === null || value === undefined) {
    if (required) throw badUserInput(`\`${field}\` is required`, field);
    return;
  }
  if (required && value.trim() === '') throw badUserInput(`\`${field}\` must not be empty`, field);
  if (maxLength !== undefined && value.length > maxLength) {
    throw badUserInput(`\`${field}\` must be at most ${maxLength} characters (got ${value.length})`, field);
  }
}

/** Event types are free-form in SQL; the analyst uses anomaly, controversy, trend_shift, milestone, risk, note. */
export function assertEventType(value: string, field = 'eventType'): void {
  if (!/^[a-z][a-z0-9_]{0,31}$/.test(value)) {
    throw badUserInput(`\`${field}\` must be a lower-case identifier of at most 32 characters, e.g. controversy or trend_shift (got "${value}")`, field);
  }
}

export function assertUnique<T>(values: T[], field: string): void {
  const seen = new Set<T>();
  for (const value of values) {
    if (seen.has(value)) throw badUserInput(`\`${field}\` lists ${String(value)} more than once`, field);
    seen.add(value);
  }
}

export interface CrawlCounts {
  totalFound?: number | null;
  relevantCount?: number | null;
  highValueCount?: number | null;
  effectivenessScore?: number | null;
  avgRelevance?: number | null;
  coverageRatio?: number | null;
}

export function assertCrawlCounts(input: CrawlCounts, prefix = ''): void {
  assertCount(input.totalFound, `${prefix}totalFound`);
  assertCount(input.relevantCount, `${prefix}relevantCount`);
  assertCount(input.highValueCount, `${prefix}highValueCount`);
  const total = input.totalFound ?? 0;
  const relevant = input.relevantCount ?? 0;
  const highValue = input.highValueCount ?? 0;
  if (relevant > total) throw badUserInput(`\`${prefix}relevantCount\` (${relevant}) must not exceed \`${prefix}totalFound\` (${total})`, `${prefix}relevantCount`);
  if (highValue > relevant) {
    throw badUserInput(`\`${prefix}highValueCount\` (${highValue}) must not exceed \`${prefix}relevantCount\` (${relevant})`, `${prefix}highValueCount`);
  }
  assertScore(input.effectivenessScore, `${prefix}effectivenessScore`);
  assertScore(input.avgRelevance, `${prefix}avgRelevance`);
  assertScore(input.coverageRatio, `${prefix}coverageRatio`);
}

/**
 * Bounds on what one write may carry: list sizes, JSON size and depth, metric values, and how
 * far past the database clock a time may lie (a period ending in 9999 would make every later
 * default-end recording of the entity fail). Documented in the README's Writes section.
 */
export const WRITE_LIMITS = {
  maxListItems: 200,
  maxSnapshots: 1000,
  maxTasksDispatched: 1000,
  maxJsonBytes: 256 * 1024,
  maxJsonDepth: 32,
  /** Metric values the analytics square and sum stay far from float8 overflow. */
  maxMetricMagnitude: 1e15,
} as const;

export function assertListSize(values: readonly unknown[] | null | undefined, field: string, max: number = WRITE_LIMITS.maxListItems): void {
  if (values && values.length > max) throw badUserInput(`\`${field}\` may hold at most ${max} items (got ${values.length})`, field);
}

/**
 * Free-form JSON (insights, execution logs, event metadata): bounded in size and depth. (No NUL
 * characters either, which jsonb refuses: the admission's input rule refuses them in anything an
 * operation sends, see src/server/admission/inputRules.ts.)
 */
export function assertJson(value: unknown, field: string): void {
  if (value === null || value === undefined) return;
  const walk = (node: unknown, depth: number): void => {
    if (depth > WRITE_LIMITS.maxJsonDepth) throw badUserInput(`\`${field}\` is nested deeper than ${WRITE_LIMITS.maxJsonDepth} levels`, field);
    if (Array.isArray(node)) {
      for (const item of node) walk(item, depth + 1);
    } else if (node !== null && typeof node === 'object') {
      for (const item of Object.values(node)) walk(item, depth + 1);
    }
  };
  walk(value, 0);
  const bytes = Buffer.byteLength(JSON.stringify(value));
  if (bytes > WRITE_LIMITS.maxJsonBytes) throw badUserInput(`\`${field}\` is ${bytes} bytes of JSON; at most ${WRITE_LIMITS.maxJsonBytes} are accepted`, field);
}

/** Metrics: a JSON object of name → value; numbers finite and within ±1e15 (strings, booleans and null pass: the analytics skip them). */
export function assertMetrics(value: unknown, field: string): void {
  if (value === null || value === undefined) return;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw badUserInput(`\`${field}\` must be a JSON object of metric name to value, e.g. {"total_posts": 120}`, field);
  }
  for (const [key, metric] of Object.entries(value)) {
    if (typeof metric === 'number' && !(Math.abs(metric) <= WRITE_LIMITS.maxMetricMagnitude)) {
      throw badUserInput(`\`${field}.${key}\` must be a finite number between -1e15 and 1e15 (got ${metric})`, field);
    }
  }
  assertJson(value, field);
}

/** A time the analyst reports must not lie further past the database clock than the configured margin. */
export function assertNotFuture(value: Date | null | undefined, field: string, now: Date, marginMinutes: number): void {
  if (value && value.getTime() > now.getTime() + marginMinutes * 60_000) {
    throw badUserInput(
      `\`${field}\` (${isoTimestamp(value)}) lies more than ${marginMinutes} minutes past the server clock (${isoTimestamp(now)})`,
      field,
    );
  }
}
