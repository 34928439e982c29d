import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { GatewayServices, GraphQLContext } from '../context.js';
import { createLoaders } from '../loaders.js';
import { schema } from '../schema/index.js';
import { useInputErrorCodes } from './inputErrors.js';

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

/**
 * The GraphQL endpoint (GraphiQL on GET from a browser) plus the probes an orchestrator
 * needs: /healthz (the process answers) and /readyz (the database answers).
 */
export function createGateway(services: GatewayServices): YogaServerInstance<Record<string, never>, GraphQLContext> {
  return createYoga<Record<string, never>, GraphQLContext>({
    schema,
    graphqlEndpoint: services.config.server.graphqlPath,
    context: (): GraphQLContext => ({ ...services, loaders: createLoaders(services.prisma) }),
    graphiql: { title: 'Crosshot temporal gateway', defaultQuery: GRAPHIQL_EXAMPLE },
    // Bundled GraphiQL: the default page loads its assets from a CDN, which offline and
    // locked-down networks cannot reach.
    renderGraphiQL,
    landingPage: false,
    logging: services.logger,
    healthCheckEndpoint: '/healthz',
    plugins: [
      useInputErrorCodes(),
      {
        async onRequest({ url, endResponse, fetchAPI }) {
          if (url.pathname !== '/readyz') return;
          try {
            await services.pool.query('SELECT 1');
            endResponse(new fetchAPI.Response('ready', { status: 200 }));
          } catch {
            endResponse(new fetchAPI.Response('database unavailable', { status: 503 }));
          }
        },
      },
    ],
  });
}
