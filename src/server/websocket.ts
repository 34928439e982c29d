import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { GatewayServices } from '../context.js';
import { webSocketArrival } from './admission/index.js';
import { originRefusal } from './admission/origin.js';
import { maskedErrors, withCode } from './errorCodes.js';
import type { Gateway } from './gateway.js';

type Enveloped = ReturnType<Gateway['getEnveloped']>;

/**
 * GraphQL over WebSocket (the graphql-ws protocol) on the HTTP server's GraphQL path, through
 * the same admission path as HTTP (see ./admission/index.ts):
 * - the upgrade is refused (403) when it comes from a browser page whose origin is not allowed;
 *   a message larger than MAX_REQUEST_BODY_BYTES closes the connection (1009) unread;
 * - the credentials are checked at connection_init: without a valid token (authentication on)
 *   the connection is closed with 4403 before any operation;
 * - each operation then takes the admission path: persisted operations, parse and validation
 *   (armor, introspection), the context (the token again: it may have expired since), scopes,
 *   input rules, cost and per-client limits. Whatever goes wrong with one operation, it ends that
 *   operation with coded errors; the connection and its other subscriptions carry on.
 * Keep-alive pings every SUBSCRIPTION_KEEPALIVE_MS.
 */
export function attachWebSockets(server: Server, gateway: Gateway, services: GatewayServices): { close(): Promise<void> } {
  const { config } = services;
  const { admission } = gateway;
  const trustProxy = config.server.trustProxy;
  const mask = maskedErrors(config.database.statementTimeoutMs).maskError!;
  /** One operation's failure as the errors graphql-ws sends for it (coded, masked like HTTP's). */
  const errorsOf = (error: unknown): GraphQLError[] => {
    const masked = mask(error, 'Unexpected error.', false);
    return [withCode(masked instanceof GraphQLError ? masked : new GraphQLError('Unexpected error.'))];
  };
  const guarded =
    (run: (args: ExecutionArgs) => unknown) =>
    async (args: ExecutionArgs): Promise<ExecutionResult | AsyncIterable<ExecutionResult>> => {
      try {
        return (await run(args)) as ExecutionResult | AsyncIterable<ExecutionResult>;
      } catch (error) {
        return { errors: errorsOf(error) };
      }
    };

  const webSockets = new WebSocketServer({ noServer: true, maxPayload: admission.maxMessageBytes });
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://upgrade').pathname;
    const refuse = (status: string, body: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    };
    if (path !== config.server.graphqlPath) return refuse('404 Not Found', JSON.stringify({ errors: [{ message: `WebSocket is served on ${config.server.graphqlPath}` }] }));
    const arrival = webSocketArrival(request, undefined, trustProxy);
    if (!admission.originAllowed(arrival)) {
      const { message, code } = originRefusal(arrival.origin);
      return refuse('403 Forbidden', JSON.stringify({ errors: [{ message, extensions: { code } }] }));
    }
    webSockets.handleUpgrade(request, socket, head, (webSocket) => {
      // A client breaking the protocol (a message over maxPayload, bad UTF-8, ...) is closed by ws
      // with the code that says so (1009, 1007, ...): logged here once, as the client's doing, not
      // handed to graphql-ws, which would print it to the console as an internal error.
      const emit = webSocket.emit.bind(webSocket);
      webSocket.emit = ((event: string | symbol, ...args: unknown[]) => {
        if (event !== 'error') return emit(event, ...args);
        const error = args[0] as { code?: string; message?: string };
        if (typeof error.code === 'string' && error.code.startsWith('WS_ERR_')) {
          services.logger.info({ code: error.code, address: arrival.address }, `closed a WebSocket that broke the protocol: ${error.message}`);
        } else {
          services.logger.warn({ err: error, address: arrival.address }, 'a WebSocket failed; closing it');
          webSocket.terminate();
        }
        return true;
      }) as typeof webSocket.emit;
      webSockets.emit('connection', webSocket, request);
    });
  };
  server.on('upgrade', onUpgrade);

  const connection = useServer<Record<string, unknown>>(
    {
      execute: guarded((args) => (args.rootValue as Enveloped).execute(args)),
      subscribe: guarded((args) => (args.rootValue as Enveloped).subscribe(args)),
      onConnect: async (ctx) => {
        try {
          const caller = await services.authenticate(webSocketArrival(ctx.extra.request, ctx.connectionParams, trustProxy).authorization);
          return caller.open || caller.authenticated;
        } catch {
          return false;
        }
      },
      onSubscribe: async (ctx, _id, params) => {
        try {
          const arrival = webSocketArrival(ctx.extra.request, ctx.connectionParams, trustProxy);
          const query = admission.operationDocument(params);
          if (!query) return [new GraphQLError('send a query, or extensions.persistedQuery { version: 1, sha256Hash }', { extensions: { code: 'BAD_USER_INPUT' } })];
          const enveloped = gateway.getEnveloped({ arrival, params: { ...params, query } });
          const document = enveloped.parse(query);
          const errors = enveloped.validate(enveloped.schema, document);
          if (errors.length > 0) return errors.map(withCode);
          const args: ExecutionArgs = {
            schema: enveloped.schema,
            operationName: params.operationName,
            document,
            variableValues: params.variables,
            contextValue: await enveloped.contextFactory(),
            // execute/subscribe above run the operation through the gateway's envelop.
            rootValue: enveloped,
          };
          return args;
        } catch (error) {
          return errorsOf(error);
        }
      },
    },
    webSockets,
    config.subscriptions.keepAliveMs,
  );
  return {
    async close() {
      server.off('upgrade', onUpgrade);
      await connection.dispose();
      await new Promise<void>((resolve) => webSockets.close(() => resolve()));
    },
  };
}
