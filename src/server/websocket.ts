import type { Server } from 'node:http';
import type { ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import type { GatewayServices, GraphQLContext } from '../context.js';

type Enveloped = ReturnType<YogaServerInstance<Record<string, never>, GraphQLContext>['getEnveloped']>;

/** The token a WebSocket client presents: `authorization` in its connection_init payload, else the upgrade request's header. */
function authorizationOf(connectionParams: Readonly<Record<string, unknown>> | undefined, upgradeHeader: string | undefined): string | null {
  const fromParams = connectionParams?.authorization ?? connectionParams?.Authorization;
  return typeof fromParams === 'string' ? fromParams : (upgradeHeader ?? null);
}

/**
 * GraphQL over WebSocket (the graphql-ws protocol) on the HTTP server's GraphQL path, through
 * yoga's envelop, so every plugin of the HTTP path that works on operations (limits, scopes,
 * cost, error masking, the subscription events) applies. The token is checked at connect: a
 * connection with a bad one is closed (4403) before any operation. Keep-alive pings every
 * SUBSCRIPTION_KEEPALIVE_MS.
 */
export function attachWebSockets(server: Server, yoga: YogaServerInstance<Record<string, never>, GraphQLContext>, services: GatewayServices): { close(): Promise<void> } {
  const webSockets = new WebSocketServer({ server, path: services.config.server.graphqlPath });
  const connection = useServer<Record<string, unknown>>(
    {
      execute: (args) => (args.rootValue as Enveloped).execute(args),
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args),
      onConnect: async (ctx) => {
        try {
          await services.authenticate(authorizationOf(ctx.connectionParams, ctx.extra.request.headers.authorization));
          return true;
        } catch {
          return false;
        }
      },
      onSubscribe: async (ctx, _id, params) => {
        const enveloped = yoga.getEnveloped({
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
          webSocketAuthorization: authorizationOf(ctx.connectionParams, ctx.extra.request.headers.authorization),
        });
        const document = enveloped.parse(params.query);
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length > 0) return errors;
        const args: ExecutionArgs = {
          schema: enveloped.schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: await enveloped.contextFactory(),
          // execute/subscribe above run the operation through yoga's envelop.
          rootValue: enveloped,
        };
        return args;
      },
    },
    webSockets,
    services.config.subscriptions.keepAliveMs,
  );
  return {
    async close() {
      await connection.dispose();
      await new Promise<void>((resolve) => webSockets.close(() => resolve()));
    },
  };
}
