import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createGateway } from '../../src/server/gateway.js';
import { attachWebSockets } from '../../src/server/websocket.js';
import { createGatewayServices } from '../../src/services/gatewayServices.js';
import type { TestDatabase } from './database.js';

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: { code?: string } & Record<string, unknown> }[];
}

/** The real gateway over a test database, called in-process through yoga.fetch. */
export function createTestGateway(db: TestDatabase, env: Record<string, string> = {}) {
  // Background refreshes would add statements to the counts tests take; tests that want them say so.
  const config = loadConfig({ NODE_ENV: 'test', TREND_REFRESH_ENABLED: 'false', ...env });
  const services = createGatewayServices(config, db.pool, createLogger('silent'), db.url);
  afterAll(() => services.close());
  const yoga = createGateway(services);
  const { prisma, trendRefresher, changeFeed } = services;

  async function execute<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T>> {
    const response = await yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLResponse<T>;
  }

  return { yoga, prisma, trendRefresher, changeFeed, services, execute };
}

/** The gateway behind a real HTTP server (and its WebSocket endpoint) on `port` (default: a free one), closed when the test file ends. */
export async function listen(gateway: ReturnType<typeof createTestGateway>, port = 0): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createServer(gateway.yoga);
  const webSockets = attachWebSockets(server, gateway.yoga, gateway.services);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await webSockets.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  afterAll(close);
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, close };
}
