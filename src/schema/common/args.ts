import { UUIDResolver } from 'graphql-scalars';
import { badUserInput } from '../../errors.js';
import { DEFAULT_Z_THRESHOLD } from '../../services/analytics.js';
import { pageSize } from '../../services/pagination.js';
import { assertWindow } from '../../services/periods.js';
import type { GraphQLContext } from '../../context.js';
import type { ArgBuilder } from '@pothos/core';
import type { BuilderTypes } from '../builder.js';

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

export function parseWindow(args: { from?: Date | null; to?: Date | null }): { from: Date | null; to: Date | null } {
  assertWindow(args.from, args.to);
  return { from: args.from ?? null, to: args.to ?? null };
}

/** `first` and `after`, the arguments of every forward-paginated list. */
export function forwardPageArgs(arg: ArgBuilder<BuilderTypes>) {
  return {
    first: arg.int({ required: false, description: 'Page size (default 20, at most 100).' }),
    after: arg.string({ required: false, description: 'The endCursor of the previous page; the page starts after it.' }),
  };
}

/** `metric` and `threshold`, the arguments of every field that asks detect_metric_anomalies. */
export function anomalyArgs(arg: ArgBuilder<BuilderTypes>) {
  return {
    metric: arg.string({ required: true, description: 'The metric key, e.g. total_posts.' }),
    threshold: arg.float({ required: false, defaultValue: DEFAULT_Z_THRESHOLD, description: 'Minimum |z-score|.' }),
  };
}

export interface PageRequest {
  size: number;
  after: string | null;
}

/** Validated page size for a forward-paginated list (first/after). */
export function pageOf(args: { first?: number | null; after?: string | null }, ctx: GraphQLContext): PageRequest {
  return { size: pageSize(args, ctx.config.pagination), after: args.after ?? null };
}

/**
 * Page-size options for Pothos' prismaConnection and relatedConnection: the configured default
 * and maximum, and the same BAD_USER_INPUT as the other lists for a size out of range (Pothos
 * alone would clamp it silently).
 */
export const prismaPageSizes = {
  defaultSize: (_args: unknown, ctx: GraphQLContext) => ctx.config.pagination.defaultPageSize,
  maxSize: (args: { first?: number | null; last?: number | null }, ctx: GraphQLContext) => {
    pageSize(args, ctx.config.pagination);
    return ctx.config.pagination.maxPageSize;
  },
};
