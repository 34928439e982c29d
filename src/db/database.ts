import type { GatewayConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { embeddedDataDir, ensureDatabase, startEmbeddedPostgres, type EmbeddedServer } from './embedded.js';
import { formatOperatorError, isDatabaseUnavailable, toOperatorError } from './errors.js';
import { createPool, type InstrumentedPool } from './pool.js';

export const EMBEDDED_DATABASE = 'crosshot';

export interface Database {
  url: string;
  pool: InstrumentedPool;
  /**
   * For the work bound to a session (migrations, advisory locks): DATABASE_DIRECT_URL's pool when
   * DATABASE_URL points at a transaction-mode pooler, else the same pool.
   */
  directPool: InstrumentedPool;
  /** The URL of that session-bound work (the change feed's connection too). */
  directUrl: string;
  /** True when this run created the embedded server's data folder: seed demo data once. */
  firstRun: boolean;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * The database the gateway serves: DATABASE_URL when set, otherwise an embedded PostgreSQL
 * with its data in a local folder, so `npm start` works on a machine with nothing installed.
 */
export async function openDatabase(config: GatewayConfig, logger: Logger, { serveWhileUnreachable = false } = {}): Promise<Database> {
  let server: EmbeddedServer | undefined;
  let url = config.databaseUrl;
  let firstRun = false;
  if (!url) {
    const dataDir = embeddedDataDir(config.embedded.dataDir, config.embedded.dataDirGiven);
    logger.info({ dataDir, port: config.embedded.port }, 'DATABASE_URL is not set: starting embedded PostgreSQL');
    server = await startEmbeddedPostgres({
      dataDir,
      port: config.embedded.port,
      onLog: (message) => logger.debug({ postgres: message.trim() }, 'embedded postgres'),
    });
    const createdDatabase = await ensureDatabase(server.adminUrl, EMBEDDED_DATABASE);
    firstRun = server.created || createdDatabase;
    url = server.urlFor(EMBEDDED_DATABASE);
  }

  const pool = createPool({
    connectionString: url,
    max: config.database.poolSize,
    statementTimeoutMs: config.database.statementTimeoutMs,
    acquireTimeoutMs: config.database.acquireTimeoutMs,
    preparedStatements: config.database.preparedStatements,
    onConnectionError: (error) => logger.warn({ err: error }, 'a database connection was lost; the pool replaces it'),
  });
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    // With serveWhileUnreachable (the server), a DATABASE_URL server that is down or
    // restarting may come back: the gateway starts anyway, unready, and waits for it (see
    // main.ts). Anything else (bad credentials, no such database) will not pass by itself, and
    // the CLI stops at once.
    if (!serveWhileUnreachable || server || !isDatabaseUnavailable(error)) {
      await pool.end();
      await server?.stop();
      throw toOperatorError(error, url);
    }
    logger.warn({ error: formatOperatorError(toOperatorError(error, url)) }, 'the database cannot be reached yet: serving, not ready, until it can');
  }

  const directUrl = config.database.directUrl ?? url;
  const directPool = config.database.directUrl
    ? createPool({ connectionString: directUrl, max: 2, onConnectionError: (error) => logger.warn({ err: error }, 'a direct database connection was lost; the pool replaces it') })
    : pool;
  return {
    url,
    pool,
    directPool,
    directUrl,
    firstRun,
    embedded: server !== undefined,
    async close() {
      if (directPool !== pool) await directPool.end();
      await pool.end();
      await server?.stop();
    },
  };
}
