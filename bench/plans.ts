/**
 * What PostgreSQL makes of the statements one request of each scenario runs: recorded on an
 * in-process gateway, then run again under EXPLAIN (ANALYZE, FORMAT JSON).
 */
import { mintToken } from '../src/auth.js';
import { loadConfig } from '../src/config.js';
import { createPool, type InstrumentedPool } from '../src/db/pool.js';
import { createLogger } from '../src/logger.js';
import { createGateway } from '../src/server/gateway.js';
import { createGatewayServices } from '../src/services/gatewayServices.js';
import { variablesFor, type Scenario } from './scenarios.js';

export const BENCH_SECRET = 'bench-secret-bench-secret-bench-secret';
export const benchToken = () => mintToken(BENCH_SECRET, { subject: 'bench', scopes: ['read', 'write'], ttlSeconds: 24 * 3600 });

/** An in-process gateway on `pool` with the production settings, whose statements are explained here. */
function inProcessGateway(pool: InstrumentedPool) {
  const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', TREND_REFRESH_ENABLED: 'false', JWT_SECRET: BENCH_SECRET });
  const services = createGatewayServices(config, pool, createLogger('silent'), pool.options.connectionString!);
  return { yoga: createGateway(services), token: benchToken, close: () => services.close() };
}

/** What one request of a scenario runs: its statements, and what PostgreSQL's plans say of them. */
export interface StatementReport {
  count: number;
  /** Highest estimated cost of a statement (above jit_above_cost, PostgreSQL JIT-compiles it). */
  maxCost: number;
  /** Statements PostgreSQL JIT-compiled. */
  jit: number;
  /** Sequential scans of the big tables, as `table` (their plans should be index scans). */
  seqScans: string[];
  /** Execution time PostgreSQL reports for the statements, summed (EXPLAIN ANALYZE), and each. */
  executionMs: number;
  statementMs: number[];
  /**
   * Prepared statements PostgreSQL still plans anew on every execution after its first five
   * (it keeps a generic plan only when that is priced near the custom ones): each such statement
   * pays its planning time on every request.
   */
  replanned: number;
  /** Each SELECT's plan in shape only (planShape): what must not change as the data grows. */
  shapes: string[];
}

/** Executions PostgreSQL plans for their values before it weighs a generic plan. */
const CUSTOM_PLANS_FIRST = 5;

const BIG_TABLES = new Set(['analysis_periods', 'temporal_events', 'crawl_effectiveness', 'period_content_snapshots', 'contents']);

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Parent Relationship'?: string;
  Plans?: PlanNode[];
}

/**
 * A plan without its numbers: each node's type, the table and index it reads, and its children,
 * e.g. `Limit(Index Scan[analysis_periods/uq_...])`. Costs, row counts and timings change with
 * the data; a new node type, another index or a sequential scan where an index was used is a new
 * shape. One choice within a shape is left to the planner: reading an index's matches directly or
 * through a bitmap, in the index's order or sorted after (which it makes on the estimated rows per
 * key and the table's physical order): all are written `Index Scan[table/index]`.
 */
export function planShape(node: PlanNode): string {
  const isBitmap = (n: PlanNode | undefined) => n?.['Node Type'] === 'Bitmap Heap Scan' && n.Plans?.length === 1 && n.Plans[0]!['Node Type'] === 'Bitmap Index Scan';
  const indexRead = (n: PlanNode | undefined) => isBitmap(n) || n?.['Node Type'] === 'Index Scan';
  if (node['Node Type'] === 'Sort' && node.Plans?.length === 1 && indexRead(node.Plans[0])) return planShape(node.Plans[0]!);
  const bitmap = isBitmap(node);
  const type = bitmap ? 'Index Scan' : node['Node Type'];
  const index = bitmap ? node.Plans![0]!['Index Name'] : node['Index Name'];
  const target = node['Relation Name'] ? `[${node['Relation Name']}${index ? `/${index}` : ''}]` : index ? `[${index}]` : '';
  const children = !bitmap && node.Plans?.length ? `(${node.Plans.map(planShape).join(', ')})` : '';
  return `${type}${target}${children}`;
}

function seqScansIn(node: PlanNode): string[] {
  const here = node['Node Type'] === 'Seq Scan' && BIG_TABLES.has(node['Relation Name'] ?? '') ? [node['Relation Name']!] : [];
  return [...here, ...(node.Plans ?? []).flatMap(seqScansIn)];
}

/**
 * The SQL statements one request runs, recorded on an in-process gateway over the same
 * database, each then run again under EXPLAIN (ANALYZE, FORMAT JSON): the hot statements must
 * use indexes on the big tables and stay under jit_above_cost.
 */
export async function statementReports(url: string, topic: string, scenarios: Pick<Scenario, 'name' | 'query' | 'variables'>[]): Promise<Record<string, StatementReport>> {
  // One connection: every execution meets the statements prepared before it.
  const pool = createPool({ connectionString: url, max: 1 });
  const { yoga, token, close } = inProcessGateway(pool);
  const reports: Record<string, StatementReport> = {};
  try {
    for (const scenario of scenarios) {
      const statements: { text: string; values: unknown[] | undefined }[] = [];
      const request = async () =>
        yoga.fetch('http://bench/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await token()}` },
          body: JSON.stringify({ query: scenario.query, variables: variablesFor(scenario, topic) }),
        });
      const stop = pool.onStatement((text, values) => statements.push({ text, values }));
      await request();
      stop();
      for (let i = 0; i < 2 * CUSTOM_PLANS_FIRST; i++) await request();
      const replanned = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = ANY($1::text[]) AND custom_plans > $2`,
        [statements.map((s) => s.text), CUSTOM_PLANS_FIRST],
      );
      const report: StatementReport = {
        count: statements.length,
        maxCost: 0,
        jit: 0,
        seqScans: [],
        executionMs: 0,
        statementMs: [],
        replanned: replanned.rows[0]!.n,
        shapes: [],
      };
      for (const { text, values } of statements) {
        if (!/^\s*(SELECT|WITH)\b/i.test(text)) continue;
        const { rows } = await pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode & { 'Total Cost': number }; JIT?: unknown; 'Execution Time': number }] }>(
          `EXPLAIN (ANALYZE, FORMAT JSON) ${text}`,
          values,
        );
        const [explained] = rows[0]!['QUERY PLAN'];
        report.maxCost = Math.max(report.maxCost, explained.Plan['Total Cost']);
        report.jit += explained.JIT ? 1 : 0;
        report.seqScans.push(...seqScansIn(explained.Plan));
        report.executionMs += explained['Execution Time'];
        report.statementMs.push(explained['Execution Time']);
        report.shapes.push(planShape(explained.Plan));
      }
      reports[scenario.name] = report;
    }
  } finally {
    await close();
    await pool.end();
  }
  return reports;
}

