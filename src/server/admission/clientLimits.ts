import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { GraphQLContext } from '../../context.js';
import { clientKey } from './arrival.js';

export interface ClientLimits {
  /** Operations one client may have executing at once (0: no limit). */
  maxConcurrent: number;
  /** Operations of one client that may wait for a turn; one more is refused. */
  maxQueued: number;
}

interface ClientSlots {
  running: number;
  waiting: (() => void)[];
}

/**
 * Per-client concurrency (CLIENT_MAX_CONCURRENCY, CLIENT_MAX_QUEUED): one client's operations
 * beyond its share wait for a turn, in order, so that one client cannot hold every pooled
 * connection while others wait; past the queue they are refused with RATE_LIMITED (HTTP 429).
 * It wraps the executor (the compiled one included), so a slot is given back however the
 * execution ends. The client is the admission's clientKey, the same on every transport; open
 * subscriptions are counted by the change feed (CLIENT_MAX_SUBSCRIPTIONS).
 */
export function useClientLimits({ maxConcurrent, maxQueued }: ClientLimits): Plugin<GraphQLContext> {
  const clients = new Map<string, ClientSlots>();

  function acquire(key: string): Promise<void> | void {
    let slots = clients.get(key);
    if (!slots) clients.set(key, (slots = { running: 0, waiting: [] }));
    if (slots.running < maxConcurrent) {
      slots.running++;
      return;
    }
    if (slots.waiting.length >= maxQueued) {
      throw createGraphQLError(`this client already has ${maxConcurrent} operations running and ${maxQueued} waiting; retry when some have finished`, {
        extensions: { code: 'RATE_LIMITED', maxConcurrent, http: { status: 429 } },
      });
    }
    return new Promise<void>((resolve) => slots.waiting.push(resolve));
  }

  // The slot passes straight to the next waiter; the client is forgotten when it has none.
  function release(key: string): void {
    const slots = clients.get(key)!;
    const next = slots.waiting.shift();
    if (next) next();
    else if (--slots.running === 0) clients.delete(key);
  }

  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      if (maxConcurrent === 0) return;
      const key = clientKey(args.contextValue.caller, args.contextValue.arrival);
      setExecuteFn(async (executeArgs) => {
        await acquire(key);
        try {
          return await executeFn(executeArgs);
        } finally {
          release(key);
        }
      });
    },
  };
}
