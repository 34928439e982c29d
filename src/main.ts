import { createServer } from 'node:http';
import { loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { formatOperatorError, isDatabaseUnavailable, toOperatorError } from './db/errors.js';
import { migrate } from './db/migrations.js';
import { createLogger } from './logger.js';
import { createGateway } from './server/gateway.js';
import { listenForMetrics, listenOn } from './server/metrics.js';
import { seedDemoData } from './services/seed/demoSeed.js';
import { createGatewayServices } from './services/gatewayServices.js';
import { attachWebSockets } from './server/websocket.js';

/**
 * `npm start`: open the database (embedded unless DATABASE_URL is set), bring it to the
 * latest migration, seed demo data into a new embedded database, and serve GraphQL.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  if (!config.auth.jwtSecret && !config.auth.jwksUrl) {
    logger.warn('authentication is off: anyone who reaches this server can read and write; set JWT_SECRET or JWKS_URL');
  }
  const db = await openDatabase(config, logger, { serveWhileUnreachable: true });

  const migrateSchema = async () => {
    const migration = await migrate({ pool: db.directPool, migrationsTable: config.database.migrationsTable, log: (message) => logger.debug(message) });
    logger.info(migration, 'database schema is at head');
  };
  // A database that cannot be reached yet (DATABASE_URL only) is waited for while the server
  // answers: /readyz says 503 until the schema is at head, requests get DATABASE_UNAVAILABLE.
  let waitForDatabase = false;
  try {
    await migrateSchema();
  } catch (error) {
    if (db.embedded || !isDatabaseUnavailable(error)) throw error;
    waitForDatabase = true;
  }

  if (db.embedded && db.firstRun && config.demo.seedOnFirstRun) {
    const counts = await seedDemoData(db.pool, { scale: config.demo.scale });
    logger.info(counts, 'seeded demo data into the new embedded database');
  }

  const services = createGatewayServices(config, db.pool, logger, db.directUrl, db.directPool);
  services.trendRefresher.start(services.changeFeed);
  services.partitionMaintenance.start();
  const gateway = createGateway(services);
  const server = createServer({ requestTimeout: config.server.requestTimeoutMs }, gateway);
  // graphql-ws on the same path as HTTP (SSE needs nothing more).
  const webSockets = attachWebSockets(server, gateway, services);
  await listenOn(server, config.server.port, config.server.host, 'PORT');
  // METRICS_PORT: /metrics on a listener of its own, which a proxy routing the API does not reach.
  const metricsServer = gateway.metrics && config.metrics.port !== null ? await listenForMetrics(gateway.metrics, config.metrics.port, config.server.host) : null;

  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const shownHost = ['0.0.0.0', '::'].includes(config.server.host) ? 'localhost' : config.server.host;
  if (config.auth.introspection) console.log(`GraphiQL: http://${shownHost}:${port}${config.server.graphqlPath}`);
  else logger.info({ url: `http://${shownHost}:${port}${config.server.graphqlPath}` }, 'serving GraphQL (GraphiQL and introspection are off)');
  if (metricsServer) logger.info({ port: config.metrics.port }, 'metrics at /metrics on their own port');

  let stopping = false;
  if (waitForDatabase) {
    void (async () => {
      for (let delayMs = 1000; !stopping; delayMs = Math.min(delayMs * 2, 30_000)) {
        try {
          await migrateSchema();
          logger.info('the database is reachable: ready');
          return;
        } catch (error) {
          if (!isDatabaseUnavailable(error)) {
            logger.error({ error: formatOperatorError(toOperatorError(error, config.databaseUrl)) }, 'migrating failed: not ready (see /readyz)');
            return;
          }
          logger.warn({ retryInMs: delayMs }, 'the database cannot be reached yet: not ready');
          await new Promise((resolve) => setTimeout(resolve, delayMs).unref());
        }
      }
    })();
  }
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Idle keep-alive connections go now, and each connection as soon as its request in flight
    // has been answered; what is still open at the deadline is cut.
    const closing = new Promise<void>((resolve) => server.close(() => resolve()));
    // Subscriptions complete (SSE sends its complete event, WebSocket clients get complete,
    // then a close), so their connections end with the requests.
    await services.changeFeed.stop();
    await webSockets.close();
    server.closeIdleConnections();
    const sweeper = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => {
      logger.warn({ timeoutMs: config.server.shutdownTimeoutMs }, 'shutdown deadline reached: closing the connections still open');
      server.closeAllConnections();
    }, config.server.shutdownTimeoutMs);
    metricsServer?.close();
    await closing;
    clearTimeout(deadline);
    clearInterval(sweeper);
    await services.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // A promise nobody awaited that failed is a bug to fix, not a reason to drop every client.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'a promise failed with nobody waiting for it'));
}

main().catch((error: unknown) => {
  console.error(`error: ${formatOperatorError(toOperatorError(error, process.env.DATABASE_URL))}`);
  process.exit(1);
});
