import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createCounter, createHistogram, usePrometheus } from '@graphql-yoga/plugin-prometheus';
import { parse, type GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { GatewayServices } from '../context.js';
import { OperatorError } from '../db/errors.js';
import { ERROR_CODES } from '../errors.js';
import { metricsTrendFreshness } from '../services/analytics/trendRefresh.js';

/** Distinct operation names one instance labels series with; later ones count as OTHER_OPERATION. */
const MAX_OPERATION_NAMES = 200;
const OTHER_OPERATION = '(other)';
const ANONYMOUS_OPERATION = '(anonymous)';
/**
 * The error codes a series may carry: this API's own (ERROR_CODES) and those of the limits,
 * persisted operations and GraphQL's phases; any other counts as OTHER.
 */
const KNOWN_CODES = new Set<string>([
  ...ERROR_CODES,
  'COST_LIMIT_EXCEEDED', 'DEPTH_LIMIT_EXCEEDED', 'ALIAS_LIMIT_EXCEEDED', 'TOKEN_LIMIT_EXCEEDED', 'DIRECTIVE_LIMIT_EXCEEDED', 'INTROSPECTION_DISABLED',
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'PERSISTED_QUERY_ONLY', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_ID_REQUIRED',
  'ORIGIN_NOT_ALLOWED', 'INTERNAL_SERVER_ERROR',
]);

/**
 * Operation names as label values, bounded: the names of the persisted operations, then the
 * names of operations that passed validation (they ran, with or without errors), up to
 * MAX_OPERATION_NAMES; anything else (the name of a document that did not parse or validate,
 * or one past the bound) is OTHER_OPERATION. A client cannot grow the series without bound.
 */
class OperationNames {
  private readonly known = new Set<string>();

  constructor(persisted: Iterable<string>) {
    for (const document of persisted) {
      try {
        for (const definition of parse(document).definitions) {
          if (definition.kind === 'OperationDefinition' && definition.name) this.known.add(definition.name.value);
        }
      } catch {
        // checked at start by readPersistedOperations' caller; nothing to label
      }
    }
  }

  /** `ran`: the operation passed validation, so its name may join the known ones. */
  label(name: string | undefined, ran: boolean): string {
    if (!name) return ANONYMOUS_OPERATION;
    if (this.known.has(name)) return name;
    if (ran && this.known.size < MAX_OPERATION_NAMES) {
      this.known.add(name);
      return name;
    }
    return OTHER_OPERATION;
  }
}

export interface Metrics {
  /** Collects the GraphQL series (request durations and errors by operation). */
  plugin: Plugin;
  /** The scrape: the text exposition, or 401 without the token METRICS_TOKEN asks for. */
  respond(request: Request): Promise<Response>;
}

/**
 * Prometheus metrics: requests and their durations (one histogram) and errors, by operation;
 * the pool's connections; the age of the metrics-trend view; the subscriptions and the change
 * feed; and the process's own (memory, CPU, event-loop lag). Every label has a bounded set of
 * values (operation names: OperationNames; status codes; error codes: KNOWN_CODES; no URL, host
 * or path of any request). A registry of this gateway's own, so that several gateways in one
 * process (the tests) do not collide.
 */
export function createMetrics(services: GatewayServices, persistedDocuments: Iterable<string> = []): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const { pool, changeFeed, logger } = services;
  const operations = new OperationNames(persistedDocuments);
  new Gauge({
    name: 'crosshot_pool_connections',
    help: 'Connections of the PostgreSQL pool, by state (total, idle, waiting: requests queued for one).',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
  new Gauge({
    name: 'crosshot_metrics_trend_age_seconds',
    help: 'Seconds since mv_period_metrics_trend was last refreshed (absent until the first refresh, or while the database cannot be reached).',
    registers: [registry],
    async collect() {
      try {
        const { refreshedAt } = await metricsTrendFreshness(pool);
        if (refreshedAt) this.set((Date.now() - refreshedAt.getTime()) / 1000);
      } catch (error) {
        // A scrape still answers while the database is away; the gauge keeps its last value.
        logger.debug({ err: error }, 'metrics: the trend view age could not be read');
      }
    },
  });
  new Gauge({
    name: 'crosshot_subscriptions',
    help: 'Open subscriptions (SSE and WebSocket) on this instance.',
    registers: [registry],
    collect() {
      this.set(changeFeed.subscriberCount);
    },
  });
  new Gauge({
    name: 'crosshot_change_feed_lag_seconds',
    help: 'Seconds from the recording of the changes last read from the change feed to their delivery (0 when it is caught up).',
    registers: [registry],
    collect() {
      this.set(changeFeed.lagSeconds);
    },
  });
  new Gauge({
    name: 'crosshot_read_replica_lag_ms',
    help: 'Replay lag of each read replica at its last check, in ms (absent while it is out of service).',
    labelNames: ['replica'],
    registers: [registry],
    collect() {
      this.reset();
      for (const replica of services.replicas.states()) if (replica.healthy && replica.lagMs !== null) this.set({ replica: replica.name }, replica.lagMs);
    },
  });
  new Gauge({
    name: 'crosshot_read_replica_in_service',
    help: '1 while a read replica serves queries (its last check succeeded), else 0.',
    labelNames: ['replica'],
    registers: [registry],
    collect() {
      this.reset();
      for (const replica of services.replicas.states()) this.set({ replica: replica.name }, replica.healthy ? 1 : 0);
    },
  });
  new Counter({
    name: 'crosshot_read_routing_total',
    help: 'Queries routed, with read replicas configured: to a replica, to the primary, and to the primary because no replica had reached the client’s consistency token in time (token_fallback, also counted in primary).',
    labelNames: ['target'],
    registers: [registry],
    collect() {
      if (!services.replicas.configured) return;
      this.reset();
      for (const [target, count] of Object.entries(services.replicas.routed)) this.inc({ target: target === 'tokenFallback' ? 'token_fallback' : target }, count);
    },
  });
  new Gauge({
    name: 'crosshot_change_feed_connected',
    help: '1 while the change-feed reader has its database connection (it connects with the first subscription).',
    registers: [registry],
    collect() {
      this.set(changeFeed.connected ? 1 : 0);
    },
  });

  type Params = { operationName?: string; operationType?: string; error?: GraphQLError; errorPhase?: string; response?: Response; request?: Request };
  const httpDuration = createHistogram({
    registry,
    histogram: {
      name: 'graphql_yoga_http_duration',
      help: 'Time to answer a GraphQL request over HTTP, by operation, method and status.',
      labelNames: ['operationName', 'operationType', 'method', 'statusCode'],
    },
    phases: ['request'],
    fillLabelsFn: (params: Params) => ({
      operationName: operations.label(params.operationName, (params.response?.status ?? 500) < 400),
      operationType: params.operationType ?? 'unknown',
      method: params.request?.method ?? 'unknown',
      statusCode: String(params.response?.status ?? 0),
    }),
  });
  const errors = createCounter({
    registry,
    counter: {
      name: 'graphql_envelop_error_result',
      help: 'Errors in GraphQL results, by operation, phase and error code.',
      labelNames: ['operationName', 'operationType', 'phase', 'code'],
    },
    phases: ['parse', 'validate', 'context', 'execute', 'subscribe'],
    fillLabelsFn: (params: Params) => {
      const code = params.error?.extensions?.code;
      return {
        operationName: operations.label(params.operationName, params.errorPhase === 'execute' || params.errorPhase === 'subscribe'),
        operationType: params.operationType ?? 'unknown',
        phase: params.errorPhase ?? 'unknown',
        code: typeof code === 'string' && KNOWN_CODES.has(code) ? code : 'OTHER',
      };
    },
  });
  const plugin = usePrometheus({
    registry,
    // Served by respond(), where the token is checked (and on a port of its own with METRICS_PORT).
    endpoint: false,
    // One histogram per request (its count is the request counter) and an error counter: each
    // further series costs every request. The plugin merges its defaults into this object, so
    // every other series is switched off by name (the deprecated-field counter alone walks each
    // operation's document on every request).
    metrics: {
      graphql_envelop_error_result: errors as never,
      graphql_yoga_http_duration: httpDuration as never,
      graphql_envelop_deprecated_field: false,
      graphql_envelop_request: false,
      graphql_envelop_request_duration: false,
      graphql_envelop_request_time_summary: false,
      graphql_envelop_phase_parse: false,
      graphql_envelop_phase_validate: false,
      graphql_envelop_phase_context: false,
      graphql_envelop_phase_execute: false,
      graphql_envelop_phase_subscribe: false,
      graphql_envelop_schema_change: false,
      graphql_envelop_execute_resolver: false,
    },
  });

  const token = services.config.metrics.token;
  const expected = token ? Buffer.from(`Bearer ${token}`) : null;
  return {
    plugin,
    async respond(request) {
      if (expected) {
        const given = Buffer.from(request.headers.get('authorization') ?? '');
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
          return new Response('metrics need Authorization: Bearer <METRICS_TOKEN>\n', { status: 401, headers: { 'www-authenticate': 'Bearer' } });
        }
      }
      return new Response(await registry.metrics(), { headers: { 'content-type': registry.contentType } });
    },
  };
}

/** /metrics (and nothing else) on a port of its own. */
export async function listenForMetrics(metrics: Metrics, port: number, host: string): Promise<Server> {
  const server = createServer((request, response) => {
    void (async () => {
      if (new URL(request.url ?? '/', 'http://metrics').pathname !== '/metrics') {
        response.writeHead(404).end();
        return;
      }
      const headers = new Headers();
      if (request.headers.authorization) headers.set('authorization', request.headers.authorization);
      const answer = await metrics.respond(new Request('http://metrics/metrics', { headers }));
      response.writeHead(answer.status, Object.fromEntries(answer.headers)).end(await answer.text());
    })().catch(() => response.writeHead(500).end());
  });
  await listenOn(server, port, host, 'METRICS_PORT');
  return server;
}

/** Starts `server` listening; a port taken or not allowed ends start-up with a message naming the setting to change, not a crash. */
export function listenOn(server: Server, port: number, host: string, setting: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'is already in use' : error.code === 'EACCES' ? 'may not be used by this user' : `cannot be listened on (${error.message})`;
      reject(new OperatorError(`port ${port} on ${host} ${why}`, `Set ${setting} to a free port (or stop what holds it).`));
    };
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
}

