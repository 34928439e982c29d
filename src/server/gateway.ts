import type { IncomingMessage } from 'node:http';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { getOperationAST, type DocumentNode } from 'graphql';
import type { Arrival } from '../auth.js';
import type { GatewayServices, GraphQLContext } from '../context.js';
import { migrationStatus } from '../db/migrations.js';
import { createLoaders } from '../loaders.js';
import { schema } from '../schema/index.js';
import { corsFor, createAdmission, httpArrival, type Admission } from './admission/index.js';
import { useEventStream } from './eventStream.js';
import { createExplorer } from './explorer.js';
import { useReadRouting } from './readRouting.js';
import { useSubscriptionEvents } from './subscriptionEvents.js';
import { maskedErrors } from './errorCodes.js';
import { createMetrics, type Metrics } from './metrics.js';
import { requestLogger, useRequestId } from './requestId.js';

export { CSRF_HEADER } from './admission/index.js';

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

function operationKind(document: DocumentNode, operationName?: string | null): string | undefined {
  return getOperationAST(document, operationName)?.operation;
}

/** The GraphQL server with what its other transports (WebSocket) and listeners (METRICS_PORT) share with it. */
export type Gateway = YogaServerInstance<Record<string, never>, GraphQLContext> & {
  /** The admission path every operation takes, whatever carries it. */
  admission: Admission;
  /** The metrics (served at /metrics here, or by a listener of its own with METRICS_PORT); null when off. */
  metrics: Metrics | null;
};

/** What yoga hands the context factory: an HTTP request, or (WebSocket) the arrival the connection made. */
interface InitialContext {
  request?: Request;
  req?: IncomingMessage;
  arrival?: Arrival;
}

/**
 * The GraphQL endpoint (GraphiQL on GET from a browser) plus the probes an orchestrator needs:
 * /healthz (the process answers) and /readyz (the database answers, at head), and /metrics
 * unless it has a port of its own. Every operation passes the admission path (see
 * ./admission/index.ts), whatever transport carries it.
 */
export function createGateway(services: GatewayServices): Gateway {
  const { config } = services;
  const explorer = config.explorer.enabled ? createExplorer() : null;
  const admission = createAdmission(config, explorer?.documents);
  const metrics = config.metrics.enabled ? createMetrics(services, admission.persistedDocuments) : null;
  const serveMetricsHere = metrics !== null && config.metrics.port === null;
  const yoga = createYoga<Record<string, never>, GraphQLContext>({
    schema,
    graphqlEndpoint: config.server.graphqlPath,
    context: async (initial: InitialContext): Promise<GraphQLContext> => {
      const arrival = initial.arrival ?? httpArrival(initial.request!, initial.req?.socket.remoteAddress, config.server.trustProxy);
      return { ...services, loaders: createLoaders(services.pool), arrival, caller: await services.authenticate(arrival.authorization), now: new Date() };
    },
    // GraphiQL documents the schema through introspection: both off in production by default.
    graphiql: config.auth.introspection ? { title: 'Crosshot temporal gateway', defaultQuery: GRAPHIQL_EXAMPLE } : false,
    // Bundled GraphiQL: the default page loads its assets from a CDN, which offline and
    // locked-down networks cannot reach.
    renderGraphiQL,
    landingPage: false,
    // Unexpected errors reach clients as "Unexpected error." in every environment (yoga would
    // attach the stack in development), a statement timeout as TIMEOUT; the logger keeps the details.
    maskedErrors: maskedErrors(config.database.statementTimeoutMs),
    logging: requestLogger(services.logger),
    healthCheckEndpoint: '/healthz',
    // Enforced by the admission's body limit on the declared length (see bodyLimit.ts).
    maxRequestBodySize: false,
    // The listed origins only, each echoed back with credentials (see admission/origin.ts).
    cors: corsFor(config.server.corsOrigins),
    plugins: [
      useRequestId(services.logger),
      ...(explorer ? [explorer.plugin] : []),
      ...admission.http,
      ...(metrics ? [metrics.plugin] : []),
      ...admission.rules,
      useSubscriptionEvents(services.pool),
      useEventStream({ keepAliveMs: config.subscriptions.keepAliveMs }),
      // Queries are compiled to JavaScript once (graphql-jit, cached per document) instead of
      // being interpreted field by field on every request. Mutations keep graphql-js: graphql-jit
      // drops variables inside object literals of custom scalars (`metrics: { total_posts: $n }`
      // would lose total_posts), and writes are not where the per-field cost matters.
      useGraphQlJit({}, { enableIf: ({ document, operationName }) => operationKind(document, operationName) === 'query' }),
      // After the compiled executor, so that it is the one that waits for the client's turn.
      admission.executionLimits,
      useReadRouting(),
      {
        async onRequest({ url, request, endResponse, fetchAPI }) {
          if (url.pathname === '/metrics' && serveMetricsHere) {
            endResponse(await metrics.respond(request));
            return;
          }
          if (url.pathname !== '/readyz') return;
          try {
            // Ready when the database answers and its schema is at head: a gateway whose
            // migrations have not run (or were rolled back) would fail on every request.
            const { pending } = await migrationStatus({ pool: services.pool, migrationsTable: config.database.migrationsTable });
            if (pending.length > 0) {
              const names = pending.map((m) => m.name).join(', ');
              endResponse(new fetchAPI.Response(`migrations pending: ${names}; run npm run db -- migrate`, { status: 503 }));
              return;
            }
            // With read replicas, each one's state follows (a replica out of service does not make the instance unready).
            const replicas = services.replicas.states().map((r) => `replica ${r.name}: ${r.healthy ? `in service, lag ${r.lagMs} ms` : `out of service (${r.error})`}`);
            endResponse(new fetchAPI.Response(['ready', ...replicas].join('\n'), { status: 200 }));
          } catch {
            endResponse(new fetchAPI.Response('database unavailable', { status: 503 }));
          }
        },
      },
    ],
  });
  return Object.assign(yoga, { admission, metrics });
}
