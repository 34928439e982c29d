import { badUserInput } from '../../errors.js';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface PageLimits {
  defaultPageSize: number;
  maxPageSize: number;
}

/** Rejects page sizes outside 0..max with an error naming the argument, and returns the size. */
export function pageSize(args: PageArgs, limits: PageLimits): number {
  for (const name of ['first', 'last'] as const) {
    const value = args[name];
    if (value === null || value === undefined) continue;
    if (value < 0) throw badUserInput(`\`${name}\` must not be negative (got ${value})`, name);
    if (value > limits.maxPageSize) {
      throw badUserInput(`\`${name}\` must be at most ${limits.maxPageSize} (got ${value}); page with \`after\` instead`, name);
    }
  }
  return args.first ?? args.last ?? limits.defaultPageSize;
}

export interface Page<T> {
  nodes: T[];
  hasNextPage: boolean;
  totalCount: number;
}

/**
 * A page from the rows read for it: up to `size` of them and one more, the look-ahead row
 * whose presence says that a next page exists.
 */
export function pageOfRows<T>(rows: T[], size: number): Page<T> {
  return { nodes: rows.length > size ? rows.slice(0, size) : rows, hasNextPage: rows.length > size, totalCount: 0 };
}
