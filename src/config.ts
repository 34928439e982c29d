import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Every setting and limit of the gateway, with its default, read once from the environment.
 * Modules take the values they need from here; nothing else reads process.env.
 */
/** The widths `db partition-dependents` takes for the dependents' partitions, in months (HISTORY_PARTITION_MONTHS, --months). */
export const HISTORY_MONTHS = { min: 1, max: 12 };

export interface GatewayConfig {
  nodeEnv: string;
  logLevel: string;
  /** Unset: the gateway starts an embedded PostgreSQL in `embedded.dataDir`. */
  databaseUrl: string | undefined;
  embedded: {
    dataDir: string;
    /** EMBEDDED_PG_DATA_DIR was given (else the default folder, which root may have moved: see embeddedDataDir). */
    dataDirGiven: boolean;
    port: number;
  };
  server: {
    host: string;
    port: number;
    graphqlPath: string;
    /** On SIGTERM/SIGINT, in-flight requests get this long; then every connection is closed. */
    shutdownTimeoutMs: number;
    /** A request (body included) must arrive within this; a client that trickles it is cut off. */
    requestTimeoutMs: number;
    /** Browser origins allowed to call the API (CORS); empty: no cross-origin access. */
    corsOrigins: string[];
    /** Largest request body accepted (413 beyond it), and largest WebSocket message (closed with 1009 beyond it). */
    maxRequestBodyBytes: number;
    /** Trust X-Forwarded-For from the proxy in front (the client address the per-client limits count). */
    trustProxy: boolean;
  };
  /** The timeline explorer at /explorer (on by default outside production). */
  explorer: { enabled: boolean };
  /** Prometheus metrics: where they are served and who may read them. */
  metrics: {
    enabled: boolean;
    /** Serve /metrics on this port of its own (and not on the API's); null: on the API's port. */
    port: number | null;
    /** A scrape must send `Authorization: Bearer <token>`; null: no token asked. */
    token: string | null;
  };
  database: {
    poolSize: number;
    /** Aborts a statement that runs longer than this, so one bad query cannot hold a connection. */
    statementTimeoutMs: number;
    /** A request waiting longer than this for a pooled connection gets TIMEOUT instead of queueing on. */
    acquireTimeoutMs: number;
    /** Reads as named prepared statements, planned once per connection (off behind a pooler that cannot keep them). */
    preparedStatements: boolean;
    migrationsTable: string;
    /**
     * DATABASE_DIRECT_URL: the primary without a transaction-mode pooler between, for the work
     * bound to a session (the change feed's LISTEN, migrations, advisory locks); unset: DATABASE_URL.
     */
    directUrl: string | undefined;
    /** Streaming replicas that serve queries (DATABASE_READ_URLS), and how far behind one may be. */
    readReplicas: { urls: string[]; maxLagMs: number; maxWaitMs: number; checkIntervalMs: number };
  };
  pagination: {
    defaultPageSize: number;
    maxPageSize: number;
  };
  /** Query limits enforced by graphql-armor before execution, and per client. */
  limits: {
    /** Operations one client may run at once (0: no limit); more wait, up to clientMaxQueued. */
    clientMaxConcurrency: number;
    clientMaxQueued: number;
    maxDepth: number;
    maxAliases: number;
    maxTokens: number;
    maxCost: number;
    /** How far past the database clock a period end, start or event detection time may lie. */
    maxFutureMinutes: number;
    /** Buckets one metric series may have (RANGE_TOO_LARGE beyond); also what the cost estimate counts for a series of unknown span. */
    maxSeriesBuckets: number;
    /** Items one list that is not paged may return (its `limit` argument's maximum). */
    maxListSize: number;
    /** Subscriptions one client may have open at once (0: no limit). */
    clientMaxSubscriptions: number;
  };
  trendRefresh: {
    /** Refresh mv_period_metrics_trend in the background when periods change. */
    enabled: boolean;
    /** Wait this long after the last period write before refreshing, so a burst costs one refresh. */
    debounceMs: number;
    /** How often to check for period writes made by other processes (the analyst writes SQL directly). */
    intervalMs: number;
    /** Statement timeout for the refresh itself, which may take longer than a query. */
    timeoutMs: number;
  };
  /** The change feed behind the subscriptions (migration 0009) and what one instance serves of it. */
  subscriptions: {
    /** The feed is read on every NOTIFY wake-up, and at least this often (a wake-up lost with a connection). */
    pollIntervalMs: number;
    /** Changes are kept this long: a cursor older than that cannot be resumed. */
    retentionMs: number;
    /** The width of the feed's time partitions: a partition is dropped once its end is retentionMs old (migration 0011). */
    partitionMs: number;
    /** How often an instance maintains the partitions (a tenth of the retention, at most every 10 minutes). */
    maintenanceIntervalMs: number;
    /** Open subscriptions one instance serves; one more is refused. */
    maxSubscribers: number;
    /** Changes waiting for one slow subscriber; past this it is ended (it resumes with its last cursor). */
    maxQueuedPerSubscriber: number;
    /** SSE comment pings and WebSocket pings, so proxies keep idle streams open. */
    keepAliveMs: number;
  };
  /** analysis_periods' dependents, once `db partition-dependents` has partitioned them by time. */
  history: {
    /** Width of their partitions, in calendar months (made two widths ahead). */
    months: number;
  };
  /** Bearer-token authentication; both unset: open (refused in production). */
  auth: {
    jwtSecret: string | undefined;
    jwksUrl: string | undefined;
    /** Introspection (and GraphiQL's schema docs) answered; off by default in production. */
    introspection: boolean;
    /** A token is honoured at most this long after it was issued (iat), whatever its exp says; one without exp or iat is refused. */
    maxTokenLifetimeSeconds: number;
  };
  /** An allow-list of operations (PERSISTED_OPERATIONS_FILE); `only` refuses every other document. */
  persistedOperations: {
    file: string | undefined;
    only: boolean;
  };
  demo: {
    /** Seed demo data into a freshly created embedded database. */
    seedOnFirstRun: boolean;
    scale: number;
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

/**
 * The longest delay a Node timer holds (2^31 - 1 ms, about 24.8 days; a longer one fires at
 * once), which is also PostgreSQL's largest statement_timeout: every duration setting stays below it.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/** Reads settings from `env`, noting every invalid one (each with what to fix) instead of stopping at the first. */
class Settings {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  integer(name: string, fallback: number, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  }

  /** Milliseconds, at most what a Node timer (and PostgreSQL's statement_timeout) can hold. */
  duration(name: string, fallback: number, { min = 0 } = {}): number {
    return this.integer(name, fallback, { min, max: MAX_TIMER_MS });
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.env[name]?.toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    this.problems.push(`${name} must be true or false, got "${this.env[name]}"`);
    return fallback;
  }

  check(ok: boolean, problem: string): void {
    if (!ok) this.problems.push(problem);
  }
}

/** A secret given as NAME or kept in the file NAME_FILE (a Docker or Kubernetes secret), without its trailing newline. */
function secret(env: Env, name: string, settings: Settings): string | undefined {
  if (env[name]) return env[name];
  const path = env[`${name}_FILE`];
  if (!path) return undefined;
  try {
    return readFileSync(path, 'utf8').trim() || undefined;
  } catch (error) {
    settings.check(false, `${name}_FILE ${path} cannot be read: ${(error as Error).message}`);
    return undefined;
  }
}

/** The settings, or a ConfigError listing every invalid one, a line each. */
export function loadConfig(env: Env = process.env): GatewayConfig {
  const settings = new Settings(env);
  const config = readConfig(env, settings);
  if (settings.problems.length) throw new ConfigError(settings.problems.join('\n'));
  return config;
}

function readConfig(env: Env, settings: Settings): GatewayConfig {
  const nodeEnv = env.NODE_ENV ?? 'development';
  const jwtSecret = secret(env, 'JWT_SECRET', settings);
  const jwksUrl = env.JWKS_URL || undefined;
  settings.check(jwtSecret === undefined || jwtSecret.length >= 32, 'JWT_SECRET must be at least 32 characters (HS256 needs a 256-bit key)');
  settings.check(jwksUrl === undefined || URL.canParse(jwksUrl), `JWKS_URL must be a URL, got "${jwksUrl}"`);
  settings.check(nodeEnv !== 'production' || Boolean(jwtSecret || jwksUrl), 'NODE_ENV=production needs authentication: set JWT_SECRET (HS256), JWT_SECRET_FILE or JWKS_URL');
  const poolSize = settings.integer('DATABASE_POOL_SIZE', 10, { min: 1, max: 500 });
  const persistedFile = env.PERSISTED_OPERATIONS_FILE || undefined;
  const persistedOnly = settings.boolean('PERSISTED_OPERATIONS_ONLY', false);
  const feedRetentionMs = settings.integer('CHANGE_FEED_RETENTION_HOURS', 168, { min: 1, max: 24 * 3650 }) * 3_600_000;
  settings.check(!persistedOnly || persistedFile !== undefined, 'PERSISTED_OPERATIONS_ONLY=true needs PERSISTED_OPERATIONS_FILE (the operations to serve)');
  return {
    auth: {
      jwtSecret,
      jwksUrl,
      introspection: settings.boolean('INTROSPECTION', nodeEnv !== 'production'),
      maxTokenLifetimeSeconds: settings.integer('JWT_MAX_LIFETIME_SECONDS', 86_400, { min: 60, max: 366 * 86_400 }),
    },
    nodeEnv,
    logLevel: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    databaseUrl: env.DATABASE_URL || undefined,
    embedded: {
      dataDir: resolve(env.EMBEDDED_PG_DATA_DIR ?? 'data/postgres'),
      dataDirGiven: Boolean(env.EMBEDDED_PG_DATA_DIR),
      port: settings.integer('EMBEDDED_PG_PORT', 54329, { min: 1, max: 65535 }),
    },
    server: {
      host: env.HOST ?? '0.0.0.0',
      port: settings.integer('PORT', 4000, { min: 0, max: 65535 }),
      graphqlPath: '/graphql',
      shutdownTimeoutMs: settings.duration('SHUTDOWN_TIMEOUT_MS', 10_000),
      requestTimeoutMs: settings.duration('REQUEST_TIMEOUT_MS', 30_000, { min: 1 }),
      corsOrigins: corsOrigins(env.CORS_ORIGINS, settings),
      maxRequestBodyBytes: settings.integer('MAX_REQUEST_BODY_BYTES', 2 * 1024 * 1024, { min: 1024 }),
      trustProxy: settings.boolean('TRUST_PROXY', false),
    },
    explorer: { enabled: settings.boolean('EXPLORER_ENABLED', nodeEnv !== 'production') },
    metrics: {
      enabled: settings.boolean('METRICS_ENABLED', nodeEnv !== 'test'),
      // In production the metrics are on a port of their own by default, which a proxy in front
      // of the API does not route: they describe the deployment, not anything a client needs.
      port: metricsPort(env.METRICS_PORT, nodeEnv, settings),
      token: secret(env, 'METRICS_TOKEN', settings) ?? null,
    },
    database: {
      poolSize,
      statementTimeoutMs: settings.duration('STATEMENT_TIMEOUT_MS', 5_000),
      acquireTimeoutMs: settings.duration('DATABASE_ACQUIRE_TIMEOUT_MS', 5_000),
      preparedStatements: settings.boolean('DATABASE_PREPARED_STATEMENTS', true),
      migrationsTable: 'pgmigrations',
      directUrl: env.DATABASE_DIRECT_URL || undefined,
      readReplicas: {
        urls: (env.DATABASE_READ_URLS ?? '').split(',').map((url) => url.trim()).filter(Boolean),
        maxLagMs: settings.duration('READ_REPLICA_MAX_LAG_MS', 1_000),
        maxWaitMs: settings.duration('READ_REPLICA_MAX_WAIT_MS', 200),
        checkIntervalMs: settings.duration('READ_REPLICA_CHECK_INTERVAL_MS', 500, { min: 10 }),
      },
    },
    pagination: {
      defaultPageSize: settings.integer('DEFAULT_PAGE_SIZE', 20, { min: 1, max: 1000 }),
      maxPageSize: settings.integer('MAX_PAGE_SIZE', 100, { min: 1, max: 1000 }),
    },
    limits: {
      // Half the pool by default: one client keeps at most half the connections busy.
      clientMaxConcurrency: settings.integer('CLIENT_MAX_CONCURRENCY', Math.ceil(poolSize / 2), { min: 0 }),
      clientMaxQueued: settings.integer('CLIENT_MAX_QUEUED', 100, { min: 0 }),
      maxDepth: settings.integer('MAX_QUERY_DEPTH', 12, { min: 1 }),
      maxAliases: settings.integer('MAX_QUERY_ALIASES', 30, { min: 1 }),
      maxTokens: settings.integer('MAX_QUERY_TOKENS', 3000, { min: 1 }),
      // Roughly the number of values a response can hold: fields × literal page sizes.
      maxCost: settings.integer('MAX_QUERY_COST', 200_000, { min: 1 }),
      maxFutureMinutes: settings.integer('MAX_FUTURE_MINUTES', 10, { min: 0 }),
      maxSeriesBuckets: settings.integer('MAX_SERIES_BUCKETS', 2_000, { min: 1, max: 1_000_000 }),
      maxListSize: settings.integer('MAX_LIST_SIZE', 1_000, { min: 1, max: 100_000 }),
      clientMaxSubscriptions: settings.integer('CLIENT_MAX_SUBSCRIPTIONS', 100, { min: 0 }),
    },
    trendRefresh: {
      enabled: settings.boolean('TREND_REFRESH_ENABLED', true),
      debounceMs: settings.duration('TREND_REFRESH_DEBOUNCE_MS', 5_000),
      intervalMs: settings.duration('TREND_REFRESH_INTERVAL_MS', 60_000, { min: 1_000 }),
      timeoutMs: settings.duration('TREND_REFRESH_TIMEOUT_MS', 600_000),
    },
    subscriptions: {
      pollIntervalMs: settings.duration('CHANGE_FEED_POLL_INTERVAL_MS', 1_000, { min: 10 }),
      retentionMs: feedRetentionMs,
      partitionMs: settings.integer('CHANGE_FEED_PARTITION_HOURS', 24, { min: 1, max: 24 * 31 }) * 3_600_000,
      maintenanceIntervalMs: Math.min(feedRetentionMs / 10, 600_000),
      maxSubscribers: settings.integer('SUBSCRIPTIONS_MAX', 10_000, { min: 0 }),
      maxQueuedPerSubscriber: settings.integer('SUBSCRIPTION_MAX_QUEUED', 1_000, { min: 1 }),
      keepAliveMs: settings.duration('SUBSCRIPTION_KEEPALIVE_MS', 12_000, { min: 100 }),
    },
    history: { months: settings.integer('HISTORY_PARTITION_MONTHS', 1, HISTORY_MONTHS) },
    persistedOperations: { file: persistedFile, only: persistedOnly },
    demo: {
      seedOnFirstRun: settings.boolean('SEED_DEMO', true),
      scale: settings.integer('DEMO_SCALE', 1, { min: 1, max: 10_000 }),
    },
  };
}

/** CORS_ORIGINS: browser origins as `scheme://host[:port]`, compared exactly with a request's Origin header. */
function corsOrigins(raw: string | undefined, settings: Settings): string[] {
  const origins = (raw ?? '').split(',').map((origin) => origin.trim()).filter(Boolean);
  for (const origin of origins) {
    const parsed = URL.canParse(origin) ? new URL(origin) : null;
    settings.check(parsed !== null && parsed.origin === origin, `CORS_ORIGINS entries must be origins such as https://app.example.com (scheme, host, port; no path), got "${origin}"`);
  }
  return origins;
}

/** METRICS_PORT: a port of its own for /metrics; 9464 (the Prometheus exporters' port) by default in production, else none. */
function metricsPort(raw: string | undefined, nodeEnv: string, settings: Settings): number | null {
  if (raw === undefined || raw === '') return nodeEnv === 'production' ? 9464 : null;
  if (raw.toLowerCase() === 'none' || raw === '0') return null;
  return settings.integer('METRICS_PORT', 9464, { min: 1, max: 65535 });
}
