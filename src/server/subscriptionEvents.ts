import { subscribe } from '@envelop/execute-subscription-event/subscribe';
import { execute, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { makeExecute, type Plugin } from 'graphql-yoga';
import type { GraphQLContext } from '../context.js';
import type { Queryable } from '../db/queryable.js';
import { pageLoaders } from '../loaders.js';
import type { Delivery } from '../services/changeFeedReader.js';

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
 *   event's `id:`).
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
      result = Promise.resolve(execute({ ...args, contextValue: { ...(args.contextValue as object), loaders } })).then((executed) => ({
        ...executed,
        extensions: { ...executed.extensions, cursor: delivery.cursor },
      }));
      results.set(key, result);
    }
    return result;
  });

  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(subscribe(executeChange));
    },
  };
}
