import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { getOperationAST, type DocumentNode } from 'graphql';
import type { GatewayServices, GraphQLContext } from '../context.js';
import { migrationStatus } from '../db/migrations.js';
import { createLoaders } from '../loaders.js';
import { schema } from '../schema/index.js';
import { useRequestBodyLimit } from './bodyLimit.js';
import { useClientLimits } from './clientLimit.js';
import { isEventSourceRequest, useEventStream } from './eventStream.js';
import { useSubscriptionEvents } from './subscriptionEvents.js';
import { readPersistedOperations, usePersistedOperationList } from './persistedOperations.js';
import { maskedErrors, useErrorCodes } from './errorCodes.js';
import { useMetrics } from './metrics.js';
import { useQueryCost } from './queryCost.js';
import { requestLogger, useRequestId } from './requestId.js';
import { useScopes } from './scopes.js';

const GRAPHIQL_EXAMPLE = `# Each topic's newest analysis periods: what changed and what happened.
# Open "Docs" (top left) for every type and field; more examples are in the README.
query EntityTimelines {
  topics(first: 3) {
    totalCount
    edges {
      node {
        id
        name
        currentPeriodNumber
        periods(first: 3) {
          edges {
            node {
              periodNumber
              periodStart
              periodEnd
              summaryShort
              metricChanges { key previous current absolute percent }
              events { eventType severity title resolvedAt }
              unresolvedEventCount
            }
          }
        }
      }
    }
  }
}
`;

/** Clients that cannot send a JSON body (a GET query from a script) send this header instead. */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

/**
 * Only requests a browser must preflight (a JSON body, or a custom header) execute: a form or
 * multipart POST from another site, which skips the preflight, is refused with 403. A browser
 * EventSource (a GET for an event stream, see isEventSourceRequest) is let through.
 */
function csrfPrevention(): Plugin {
  const csrf = useCSRFPrevention({ requestHeaders: [CSRF_HEADER] });
  return {
    onRequestParse(payload) {
      if (isEventSourceRequest(payload.request)) return;
      return csrf.onRequestParse?.(payload);
    },
  };
}

function operationKind(document: DocumentNode, operationName?: string | null): string | undefined {
  return getOperationAST(document, operationName)?.operation;
}

/**
 * The GraphQL endpoint (GraphiQL on GET from a browser) plus the probes an orchestrator
 * needs: /healthz (the process answers) and /readyz (the database answers, at head).
 */
export function createGateway(services: GatewayServices): YogaServerInstance<Record<string, never>, GraphQLContext> {
  const { file: persistedFile, only: persistedOnly } = services.config.persistedOperations;
  const persisted = persistedFile ? [usePersistedOperationList(readPersistedOperations(persistedFile), persistedOnly)] : [];
  return createYoga<Record<string, never>, GraphQLContext>({
    schema,
    graphqlEndpoint: services.config.server.graphqlPath,
    // Over HTTP the request's headers; over WebSocket (no fetch request) what the connection
    // presented at connect (see websocket.ts).
    context: async ({ request, webSocketAuthorization }: { request?: Request; webSocketAuthorization?: string | null }): Promise<GraphQLContext> => ({
      ...services,
      loaders: createLoaders(services.pool),
      caller: await services.authenticate(request ? request.headers.get('authorization') : (webSocketAuthorization ?? null)),
      lastEventId: request?.headers.get('last-event-id') ?? null,
      now: new Date(),
    }),
    // GraphiQL documents the schema through introspection: both off in production by default.
    graphiql: services.config.auth.introspection ? { title: 'Crosshot temporal gateway', defaultQuery: GRAPHIQL_EXAMPLE } : false,
    // Bundled GraphiQL: the default page loads its assets from a CDN, which offline and
    // locked-down networks cannot reach.
    renderGraphiQL,
    landingPage: false,
    // Unexpected errors reach clients as "Unexpected error." in every environment (yoga would
    // attach the stack in development), a statement timeout as TIMEOUT; the logger keeps the details.
    maskedErrors: maskedErrors(services.config.database.statementTimeoutMs),
    logging: requestLogger(services.logger),
    healthCheckEndpoint: '/healthz',
    // Enforced by useRequestBodyLimit on the declared length (see there).
    maxRequestBodySize: false,
    // No cross-origin access unless origins are listed; credentials only for those.
    cors: services.config.server.corsOrigins.length ? { origin: services.config.server.corsOrigins, credentials: true } : false,
    plugins: [
      useRequestId(),
      useRequestBodyLimit(services.config.server.maxRequestBodyBytes),
      csrfPrevention(),
      ...persisted,
      ...(services.config.server.metrics ? [useMetrics(services)] : []),
      ...(services.config.auth.introspection ? [] : [useDisableIntrospection()]),
      // Depth, aliases and tokens are checked before any resolver runs.
      EnvelopArmorPlugin({
        maxDepth: { n: services.config.limits.maxDepth },
        // __typename counts too (armor leaves it out by default): 1,000 aliases of it are still 1,000 answers.
        maxAliases: { n: services.config.limits.maxAliases, allowList: [] },
        maxTokens: { n: services.config.limits.maxTokens },
        // Cost is useQueryCost's: armor's rule runs at validation, before the variables are known.
        costLimit: { enabled: false },
        blockFieldSuggestion: { enabled: services.config.nodeEnv === 'production' },
      }),
      useErrorCodes(),
      useScopes(),
      useSubscriptionEvents(services.pool),
      useEventStream({ keepAliveMs: services.config.subscriptions.keepAliveMs }),
      useQueryCost({
        maxCost: services.config.limits.maxCost,
        defaultPageSize: services.config.pagination.defaultPageSize,
        maxPageSize: services.config.pagination.maxPageSize,
        maxSeriesBuckets: services.config.limits.maxSeriesBuckets,
      }),
      // Queries are compiled to JavaScript once (graphql-jit, cached per document) instead of
      // being interpreted field by field on every request. Mutations keep graphql-js: graphql-jit
      // drops variables inside object literals of custom scalars (`metrics: { total_posts: $n }`
      // would lose total_posts), and writes are not where the per-field cost matters.
      useGraphQlJit({}, { enableIf: ({ document, operationName }) => operationKind(document, operationName) === 'query' }),
      // After the compiled executor, so that it is the one that waits for the client's turn.
      useClientLimits({ maxConcurrent: services.config.limits.clientMaxConcurrency, maxQueued: services.config.limits.clientMaxQueued }),
      {
        async onRequest({ url, endResponse, fetchAPI }) {
          if (url.pathname !== '/readyz') return;
          try {
            // Ready when the database answers and its schema is at head: a gateway whose
            // migrations have not run (or were rolled back) would fail on every request.
            const { pending } = await migrationStatus({ pool: services.pool, migrationsTable: services.config.database.migrationsTable });
            if (pending.length > 0) {
              const names = pending.map((m) => m.name).join(', ');
              endResponse(new fetchAPI.Response(`migrations pending: ${names}; run npm run db -- migrate`, { status: 503 }));
              return;
            }
            endResponse(new fetchAPI.Response('ready', { status: 200 }));
          } catch {
            endResponse(new fetchAPI.Response('database unavailable', { status: 503 }));
          }
        },
      },
    ],
  });
}
