import { badUserInput } from '../errors.js';

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

/**
 * Keyset cursors: the sort key of the last row seen, so a page boundary stays put when rows
 * are inserted before it. Opaque to clients (base64url JSON), validated on the way back.
 */
export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, argument = 'after'): unknown[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values)) return values;
  } catch {
    // reported below
  }
  throw badUserInput(`\`${argument}\` is not a cursor returned by this API`, argument);
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
