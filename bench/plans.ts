/**
 * What PostgreSQL makes of the statements one request of each scenario runs: recorded on an
 * in-process gateway, then run again under EXPLAIN (ANALYZE, FORMAT JSON).
 */
import { createPool, type InstrumentedPool } from '../src/db/pool.js';
import { variablesFor, type Scenario } from './scenarios.js';

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
}

/** Executions PostgreSQL plans for their values before it weighs a generic plan. */
const CUSTOM_PLANS_FIRST = 5;

const BIG_TABLES = new Set(['analysis_periods', 'temporal_events', 'crawl_effectiveness', 'period_content_snapshots', 'contents']);

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
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
export async function statementReports(
  url: string,
  topic: string,
  scenarios: Scenario[],
  gateway: (pool: InstrumentedPool) => { yoga: { fetch: (url: string, init: RequestInit) => Promise<Response> | Response }; token: () => Promise<string>; close: () => Promise<void> },
): Promise<Record<string, StatementReport>> {
  // One connection: every execution meets the statements prepared before it.
  const pool = createPool({ connectionString: url, max: 1 });
  const { yoga, token, close } = gateway(pool);
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
      }
      reports[scenario.name] = report;
    }
  } finally {
    await close();
    await pool.end();
  }
  return reports;
}

