import type { ArgBuilder } from '@pothos/core';
import type { GraphQLContext } from '../../context.js';
import { badUserInput } from '../../errors.js';
import type { BuilderTypes } from '../builder.js';

/**
 * Lists that are not paged are bounded too: each takes `limit` (at most MAX_LIST_SIZE) and
 * returns at most that many items, the first in its documented order; the cost model counts each
 * with its limit (server/admission/cost.ts), so no answer is larger than MAX_QUERY_COST allows.
 * A list with a size it cannot exceed declares that instead (a severity breakdown has three).
 * test/list-bounds.test.ts checks that every list field of the schema is bounded one way or the
 * other (connections by their page size, metric series by their buckets).
 */
export type ListSize = { slicingArgument: string; defaultSize: number } | { assumedSize: number };

/**
 * Default sizes: a list under a period, an event or a content (it repeats for every item of the
 * page above it); a list of an entity (anomalies, gaps, open events, trend points); a list of a
 * comparison (a root field: the events of two periods' span).
 */
export const NESTED_LIST = 20;
export const ENTITY_LIST = 100;
export const COMPARISON_LIST = 1000;

/** The `limit` argument of a list, with its default. */
export function limitArg(arg: ArgBuilder<BuilderTypes>, defaultSize: number, description = 'At most this many items, the first in the list’s order') {
  return arg.int({ required: false, defaultValue: defaultSize, description: `${description} (default ${defaultSize}, at most MAX_LIST_SIZE).` });
}

/**
 * A list's `limit` argument and the cost model's bound from it, with one default: spread into the
 * field (`...limitedList(t.arg, NESTED_LIST)`).
 */
export function limitedList(arg: ArgBuilder<BuilderTypes>, defaultSize: number) {
  return { args: { limit: limitArg(arg, defaultSize) }, extensions: slicedBy(defaultSize) };
}

/** The cost model's bound for a list sliced by `argument`: the field's `extensions`. */
export function slicedBy(defaultSize: number, argument = 'limit'): { listSize: ListSize } {
  return { listSize: { slicingArgument: argument, defaultSize } };
}

/** The cost model's bound for a list that cannot exceed `size` items. */
export function atMost(size: number): { listSize: ListSize } {
  return { listSize: { assumedSize: size } };
}

/** A list's size as its resolver reads it: the argument (its default when null), from 1 to MAX_LIST_SIZE. */
export function listLimit(value: number | null | undefined, defaultSize: number, ctx: Pick<GraphQLContext, 'config'>, argument = 'limit'): number {
  const limit = value ?? defaultSize;
  const max = ctx.config.limits.maxListSize;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw badUserInput(`\`${argument}\` must be between 1 and ${max} (got ${limit}); for more, page through the entity's connection`, argument);
  }
  return limit;
}
