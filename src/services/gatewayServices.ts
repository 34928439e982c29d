import { createAuthenticator } from '../auth.js';
import type { GatewayConfig } from '../config.js';
import type { GatewayServices } from '../context.js';
import { createPrismaClient } from '../db/prisma.js';
import type { InstrumentedPool } from '../db/pool.js';
import { ReadReplicas } from '../db/replicas.js';
import type { Logger } from '../logger.js';
import { ChangeFeedReader } from './changeFeed/reader.js';
import { PartitionMaintenance } from './history/partitionMaintenance.js';
import { TrendRefresher } from './analytics/trendRefresher.js';

/**
 * The clients and background workers every resolver shares, made once per process over the
 * pool: Prisma, the token verifier, the read replicas (checked from now on, when configured), the
 * trend refresher and the time partitions' maintenance (started by the caller when wanted) and the change-feed reader (it connects when
 * the first subscription arrives, on a connection of its own to `directUrl`). Work bound to a
 * session (the trend refresh's advisory lock) runs on `directPool` (DATABASE_DIRECT_URL's, when
 * the pool goes through a transaction-mode pooler). `close` stops the workers; the pools are the
 * caller's.
 */
export function createGatewayServices(
  config: GatewayConfig,
  pool: InstrumentedPool,
  logger: Logger,
  directUrl: string,
  directPool: InstrumentedPool = pool,
): GatewayServices & { partitionMaintenance: PartitionMaintenance; close(): Promise<void> } {
  const prisma = createPrismaClient(pool);
  const trendRefresher = new TrendRefresher(directPool, config.trendRefresh, logger);
  const partitionMaintenance = new PartitionMaintenance(directPool, { feed: config.subscriptions, history: config.history }, logger);
  const changeFeed = new ChangeFeedReader({
    connectionString: directUrl,
    logger,
    ...config.subscriptions,
    maxSubscriptionsPerClient: config.limits.clientMaxSubscriptions,
  });
  const replicas = new ReadReplicas(pool, {
    ...config.database.readReplicas,
    poolSize: config.database.poolSize,
    statementTimeoutMs: config.database.statementTimeoutMs,
    preparedStatements: config.database.preparedStatements,
    logger,
  });
  void replicas.start();
  return {
    config,
    pool,
    prisma,
    logger,
    trendRefresher,
    partitionMaintenance,
    changeFeed,
    replicas,
    authenticate: createAuthenticator(config.auth),
    async close() {
      await changeFeed.stop();
      await trendRefresher.stop();
      await partitionMaintenance.stop();
      await replicas.stop();
      await prisma.$disconnect();
    },
  };
}
