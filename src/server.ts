import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { GatewayServices, GraphQLContext } from './context.js';
import { createLoaders } from './loaders.js';
import { schema } from './schema/index.js';

const GRAPHIQL_EXAMPLE = `# Topics and their current analysis period number
query Topics {
  topics(first: 10) {
    totalCount
    edges {
      node { id name currentPeriodNumber totalPeriods }
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
