import type { GatewayConfig } from './config.js';
import type { InstrumentedPool } from './db/pool.js';
import type { PrismaClient } from './db/prisma.js';
import type { Loaders } from './loaders.js';
import type { Logger } from './logger.js';
import type { Arrival, Authenticator, Caller } from './auth.js';
import type { ReadReplicas } from './db/replicas.js';
import type { ChangeFeedReader } from './services/changeFeed/reader.js';
import type { TrendRefresher } from './services/analytics/trendRefresher.js';

/** What every resolver gets: the shared clients and settings, made once per process. */
export interface GatewayServices {
  config: GatewayConfig;
  pool: InstrumentedPool;
  prisma: PrismaClient;
  logger: Logger;
  trendRefresher: TrendRefresher;
  /** This instance's reader of the change feed, behind every subscription. */
  changeFeed: ChangeFeedReader;
  /** The streaming replicas queries may read from (DATABASE_READ_URLS; none configured: the primary serves all). */
  replicas: ReadReplicas;
  /** Bearer-token verification, shared by HTTP requests and WebSocket connections (one cache of verified tokens, one JWKS client). */
  authenticate: Authenticator;
}

/** Per request: the services plus request-scoped loaders (a new object per request). */
export interface GraphQLContext extends GatewayServices {
  loaders: Loaders;
  /** Who is calling and with which scopes (every scope when authentication is off). */
  caller: Caller;
  /** Where the operation arrived from (transport, client address, credentials, Last-Event-ID), whatever carried it. */
  arrival: Arrival;
  /** The request's clock, read once: the relative windows of all its fields end at the same instant. */
  now: Date;
}
