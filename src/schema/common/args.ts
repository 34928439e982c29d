import { UUIDResolver } from 'graphql-scalars';
import { badUserInput } from '../../errors.js';
import { pageSize } from '../../services/pagination.js';
import { assertWindow } from '../../services/periods.js';
import type { GraphQLContext } from '../../context.js';

/** IDs are database UUIDs: anything else is a client mistake, reported before any SQL runs. */
export function parseUuid(value: string | number, argument: string): string {
  try {
    return UUIDResolver.parseValue(String(value)) as string;
  } catch {
    throw badUserInput(`\`${argument}\` must be a UUID, got "${String(value)}"`, argument);
  }
}

export function parseWindow(args: { from?: Date | null; to?: Date | null }): { from: Date | null; to: Date | null } {
  assertWindow(args.from, args.to);
  return { from: args.from ?? null, to: args.to ?? null };
}

/** Validated page size for a forward-paginated list (first/after). */
export function pageOf(args: { first?: number | null; after?: string | null }, ctx: GraphQLContext): { size: number; after: string | null } {
  return { size: pageSize(args, ctx.config.pagination), after: args.after ?? null };
}
