import { usePrometheus } from '@graphql-yoga/plugin-prometheus';
import type { Plugin } from 'graphql-yoga';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { GatewayServices } from '../context.js';
import { metricsTrendFreshness } from '../services/metricsTrend.js';

/**
 * Prometheus metrics at /metrics: requests and their durations (one histogram) and errors, by
 * operation (yoga's prometheus plugin), the pool's connections, the age of the metrics-trend view, and the
 * process's own (memory, CPU, event-loop lag). A registry of this gateway's own, so that
 * several gateways in one process (the tests) do not collide.
 */
export function useMetrics(services: GatewayServices): Plugin {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const { pool } = services;
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
    help: 'Seconds since mv_period_metrics_trend was last refreshed (absent until the first refresh).',
    registers: [registry],
    async collect() {
      const { refreshedAt } = await metricsTrendFreshness(pool);
      if (refreshedAt) this.set((Date.now() - refreshedAt.getTime()) / 1000);
    },
  });
  const { changeFeed } = services;
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
    name: 'crosshot_change_feed_connected',
    help: '1 while the change-feed reader has its database connection (it connects with the first subscription).',
    registers: [registry],
    collect() {
      this.set(changeFeed.connected ? 1 : 0);
    },
  });
  return usePrometheus({
    registry,
    endpoint: '/metrics',
    // One histogram per request (its count is the request counter) and an error counter: each
    // further series costs every request. The plugin merges its defaults into this object, so
    // every other series is switched off by name (the deprecated-field counter alone walks each
    // operation's document on every request).
    metrics: {
      graphql_envelop_error_result: true,
      graphql_yoga_http_duration: true,
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
    labels: { operationName: true, operationType: true, method: true, statusCode: true },
  });
}
