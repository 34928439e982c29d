import { subscribe } from '@envelop/execute-subscription-event/subscribe';
import { execute, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { isAsyncIterable, makeExecute, type Plugin } from 'graphql-yoga';
import type { GraphQLContext } from '../context.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import type { Queryable } from '../db/queryable.js';
import { pageLoaders } from '../loaders.js';
import { feedUnavailable, type Delivery } from '../services/changeFeed/reader.js';
import { graphQLErrorOf, timedOut, waitedForConnection } from './errorCodes.js';

/** Marks the result of a change the database failed to execute (see endAfterFailure). */
const FAILED_FOR_NOW = Symbol('the database failed while this change was executed');

/** The database failed under the execution (went away, timed out, ran out of connections): it may work when retried. */
function failedForNow(result: ExecutionResult): boolean {
  return result.errors?.some((error) => isDatabaseUnavailable(error) || timedOut(error) || waitedForConnection(error)) ?? false;
}

/**
 * A subscription's results, ending after a change the database failed to execute. That
 * change's result carries no cursor (an SSE event without an id): a client that resumes from
 * the last cursor it received gets the change again, executed anew, instead of an error in its
 * place, so no delivery is lost to a database outage.
 */
function endAfterFailure(source: AsyncIterable<ExecutionResult>): AsyncIterableIterator<ExecutionResult> {
  const iterator = source[Symbol.asyncIterator]();
  let ended = false;
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      if (ended) return { value: undefined, done: true };
      const step = await iterator.next();
      if (!step.done && FAILED_FOR_NOW in step.value) {
        ended = true;
        void iterator.return?.();
      }
      return step;
    },
    return() {
      ended = true;
      return iterator.return?.() ?? Promise.resolve({ value: undefined, done: true });
    },
    throw: (error?: unknown) => iterator.throw?.(error) ?? Promise.reject(error),
  };
}

/**
 * How each change a subscription receives is executed (the ExecuteSubscriptionEvent phase):
 * - once per change for every subscriber of the same operation and variables: no field depends
 *   on who asks (scopes are checked per operation, when the subscription starts), so the reader
 *   hands one delivery to all of them and the first execution's result serves the rest;
 * - with a context of its own (a shallow copy of the subscription's), so nothing cached while
 *   executing one change (Pothos' Prisma relation loaders among them) outlives it, and with the
 *   loaders of the feed page the change was read in, shared by every execution of that page:
 *   subscribers asking for different fields still share one statement per kind of field;
 * - with its change-feed cursor in `extensions.cursor` (the SSE processor also writes it as the
 *   event's `id:`), unless the database failed under it: then the stream ends with
 *   DATABASE_UNAVAILABLE and no cursor, and the client resumes from the change before.
 */
export function useSubscriptionEvents(db: Queryable): Plugin<GraphQLContext> {
  const resultsOfDelivery = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();
  const documentIds = new WeakMap<DocumentNode, number>();
  let documents = 0;

  const executeChange = makeExecute(async (args: ExecutionArgs) => {
    const delivery = args.rootValue as Delivery;
    if (!('cursor' in delivery)) return execute({ ...args, contextValue: { ...(args.contextValue as object) } });
    let documentId = documentIds.get(args.document);
    if (documentId === undefined) documentIds.set(args.document, (documentId = documents++));
    const key = `${documentId}:${args.operationName ?? ''}:${JSON.stringify(args.variableValues ?? {})}`;
    let results = resultsOfDelivery.get(delivery);
    if (!results) resultsOfDelivery.set(delivery, (results = new Map()));
    let result = results.get(key);
    if (!result) {
      const loaders = pageLoaders(delivery.page, db);
      // The cursor is the delivery's, the same for every subscriber: one result object serves
      // them all (and the event stream encodes it once, see eventStream.ts).
      result = Promise.resolve(execute({ ...args, contextValue: { ...(args.contextValue as object), loaders } })).then((executed) =>
        failedForNow(executed)
          ? Object.assign({ errors: [graphQLErrorOf(feedUnavailable())] }, { [FAILED_FOR_NOW]: true })
          : { ...executed, extensions: { ...executed.extensions, cursor: delivery.cursor } },
      );
      results.set(key, result);
    }
    return result;
  });

  const subscribeChanges = subscribe(executeChange);
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(async (args) => {
        const results = await subscribeChanges(args);
        return isAsyncIterable(results) ? endAfterFailure(results as AsyncIterable<ExecutionResult>) : results;
      });
    },
  };
}
