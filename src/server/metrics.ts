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
  return usePrometheus({
    registry,
    endpoint: '/metrics',
    // One histogram per request (its count is the request counter) and an error counter: each
    // further series costs every request (the five default ones cost Q2 a sixth of its CPU).
    metrics: {
      graphql_envelop_error_result: true,
      graphql_yoga_http_duration: true,
    },
    labels: { operationName: true, operationType: true, method: true, statusCode: true },
  });
}
