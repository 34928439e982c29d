import type { Page } from '../../services/common/pages.js';

/**
 * A page as a Relay connection. Cursors are made when a client selects them, not for every
 * edge of every page: encoding one costs more than reading the row it points at.
 */
class Edge<T> {
  constructor(
    readonly node: T,
    private readonly cursorOf: (node: T) => string,
  ) {}

  get cursor(): string {
    return this.cursorOf(this.node);
  }
}

export interface RelayConnection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

export function toConnection<T>(page: Page<T>, cursorOf: (node: T) => string, hasPreviousPage: boolean): RelayConnection<T> {
  const edges = page.nodes.map((node) => new Edge(node, cursorOf));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage,
      get startCursor() {
        return edges[0]?.cursor ?? null;
      },
      get endCursor() {
        return edges.at(-1)?.cursor ?? null;
      },
    },
    totalCount: page.totalCount,
  };
}
