/**
 * The floor: what PostgreSQL alone can answer. A node:http server with no GraphQL that answers
 * each scenario with its one hand-written statement (bench/scenarios.ts), the JSON rendered by
 * PostgreSQL and passed through untouched. `GET /<scenario>?topic=<uuid>`.
 * Env: DATABASE_URL, PORT, DATABASE_POOL_SIZE (default 10).
 */
import { createServer } from 'node:http';
import pg from 'pg';
import { SCENARIOS } from './scenarios.js';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
const byName = new Map(SCENARIOS.map((s) => [s.name, s]));

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://floor');
  const scenario = byName.get(url.pathname.slice(1));
  if (!scenario) {
    res.writeHead(url.pathname === '/readyz' ? 200 : 404).end();
    return;
  }
  const topic = url.searchParams.get('topic');
  const params = scenario.floorSql.includes('$1') ? [topic] : [];
  // A named statement is prepared once per connection, as a server would do for its hot queries.
  pool
    .query<{ body: string }>({ name: scenario.name, text: scenario.floorSql, values: params })
    .then(({ rows }) => {
      const body = scenario.rowsAs ? scenario.rowsAs.prefix + rows.map((r) => r.body).join(',') + scenario.rowsAs.suffix : rows[0]!.body;
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    })
    .catch((error: Error) => res.writeHead(500).end(error.message));
});

server.listen(Number(process.env.PORT ?? 4100), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
