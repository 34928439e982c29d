import { useExtendContextValuePerExecuteSubscriptionEvent } from '@envelop/execute-subscription-event';
import type { Plugin } from 'graphql-yoga';
import type { GraphQLContext } from '../context.js';

/**
 * How each change of a subscription is executed:
 * - with a context of its own (a shallow copy of the subscription's), so nothing cached while
 *   executing one change (Pothos' Prisma relation loaders, the loaders the change brings)
 *   outlives it, and a subscription that runs for days keeps no rows;
 * - with its change-feed cursor in `extensions.cursor` of the result (the SSE processor also
 *   writes it as the event's `id:`). The subscription's resolver notes the cursor of the change
 *   it executes in `feedDelivery`, an object the per-change copies share.
 */
export function useSubscriptionEvents(): Plugin<GraphQLContext> {
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(useExtendContextValuePerExecuteSubscriptionEvent(() => ({ contextPartial: {} })));
    },
    onSubscribe({ extendContext }) {
      const feedDelivery: { cursor: string | null } = { cursor: null };
      extendContext({ feedDelivery });
      return {
        onSubscribeResult() {
          return {
            onNext({ result, setResult }) {
              const { cursor } = feedDelivery;
              if (!cursor) return;
              feedDelivery.cursor = null;
              setResult({ ...result, extensions: { ...result.extensions, cursor } });
            },
          };
        },
      };
    },
  };
}
