import { badUserInput, GatewayError } from '../errors.js';

/**
 * Checks made before any SQL runs, so rejected input costs no database work and the message
 * names the field to fix. The database constraints stay as the backstop for other writers.
 */

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
