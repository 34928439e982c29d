import { DEFAULT_Z_THRESHOLD } from '../../services/analytics/anomalies.js';
import { pageSize } from '../../services/common/pages.js';
import type { GraphQLContext } from '../../context.js';
import type { ArgBuilder } from '@pothos/core';
import type { BuilderTypes } from '../builder.js';

export { parseUuid, parseUuids } from '../../services/common/validation.js';

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
