import pg from 'pg';
import { createServer } from 'node:http';
import { loadConfig } from '../src/config.js';
import { createPool } from '../src/db/pool.js';
import { createLogger } from '../src/logger.js';
import { createGateway } from '../src/server/gateway.js';
import { createGatewayServices } from '../src/services/gatewayServices.js';
const url = 'postgresql://postgres@127.0.0.1:5432/crosshot_bench_feed';
const pool = createPool({ connectionString: url, max: 5 });
const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'debug', TREND_REFRESH_ENABLED: 'false', INTROSPECTION: 'true', JWT_SECRET: 'x'.repeat(40) });
const services = createGatewayServices({ ...config, auth: { ...config.auth, jwtSecret: undefined } }, pool, createLogger('warn'), url);
const yoga = createGateway(services);
const server = createServer(yoga); await new Promise<void>((r) => server.listen(4499, '127.0.0.1', r));
const res = await fetch('http://127.0.0.1:4499/graphql', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify({ query: 'subscription { periodCreated { id } }' }) });
const times: number[] = [];
(async () => { for await (const chunk of res.body as any) { const t = performance.now(); if (String(Buffer.from(chunk)).includes('periodCreated')) times.push(t); } })();
const db = new pg.Client({ connectionString: url }); await db.connect();
const { rows: [t] } = await db.query(`INSERT INTO topics (name) VALUES ('lat') RETURNING id`);
for (let n = 1; n <= 5; n++) {
  const before = times.length;
  await db.query(`INSERT INTO analysis_periods (entity_type, entity_id, period_number, period_start, period_end, duration_hours, summary) VALUES ('topic', $1, $2, $3, $4, 1, 'x')`, [t.id, n, new Date(Date.UTC(2026,0,1) + n*3600e3), new Date(Date.UTC(2026,0,1) + (n+1)*3600e3)]);
  const c = performance.now();
  while (times.length === before) await new Promise((r) => setTimeout(r, 1));
  console.log('latency', (times[before]! - c).toFixed(1), 'ms', 'reader statements', services.changeFeed.statements);
  await new Promise((r) => setTimeout(r, 300));
}
process.exit(0);
