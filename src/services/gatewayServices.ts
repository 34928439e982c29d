import { createAuthenticator } from '../auth.js';
import type { GatewayConfig } from '../config.js';
import type { GatewayServices } from '../context.js';
import { createPrismaClient } from '../db/prisma.js';
import type { InstrumentedPool } from '../db/pool.js';
import type { Logger } from '../logger.js';
import { ChangeFeedReader } from './changeFeed/reader.js';
import { TrendRefresher } from './analytics/trendRefresher.js';

/**
 * The clients and background workers every resolver shares, made once per process over the
 * pool: Prisma, the token verifier, the trend refresher (started by the caller when wanted) and the change-feed
 * reader (it connects when the first subscription arrives, on a connection of its own to
 * `databaseUrl`). `close` stops the workers; the pool is the caller's.
 */
export function createGatewayServices(config: GatewayConfig, pool: InstrumentedPool, logger: Logger, databaseUrl: string): GatewayServices & { close(): Promise<void> } {
  const prisma = createPrismaClient(pool);
  const trendRefresher = new TrendRefresher(pool, config.trendRefresh, logger);
  const changeFeed = new ChangeFeedReader({
    connectionString: databaseUrl,
    logger,
    ...config.subscriptions,
    maxSubscriptionsPerClient: config.limits.clientMaxSubscriptions,
  });
  return {
    config,
    pool,
    prisma,
    logger,
    trendRefresher,
    changeFeed,
    authenticate: createAuthenticator(config.auth),
    async close() {
      await changeFeed.stop();
      await trendRefresher.stop();
      await prisma.$disconnect();
    },
  };
}
