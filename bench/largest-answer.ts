/**
 * `npm run bench:largest-answer`: the largest answers MAX_QUERY_COST lets through, and what they
 * cost the gateway in memory.
 *
 * On the benchmark profile (500 topics + 500 users x 40 periods, the demo data's long texts and
 * JSON) in a database of its own, the gateway as production runs it (compiled, the start
 * script's memory flags) answers, one at a time, the heaviest operations whose estimated cost
 * is at most MAX_QUERY_COST (the default 200,000): every scalar of 100 topics' periods; pages of
 * periods each with their events and crawl records; the same as 30 aliases. For each: its
 * estimated cost, the bytes of the answer, the time, and the gateway's RSS before and at peak.
 * BENCH_DATABASE_URL names a maintenance database of the server to use; unset, a throw-away
 * embedded PostgreSQL 18 is started.
 */
import { parse } from 'graphql';
import { loadConfig } from '../src/config.js';
import { schema } from '../src/schema/index.js';
import { estimateCost } from '../src/server/admission/cost.js';
import { benchDatabase, benchPostgres, dropDatabase, rssKiB, startBuiltGateway, stopProcess, writeResults } from './support.js';

const PORT = 4393;
const DATABASE = 'crosshot_bench_largest';
const config = loadConfig({});
const LIMITS = { maxCost: config.limits.maxCost, defaultPageSize: 20, maxPageSize: 100, maxSeriesBuckets: 2000, maxListSize: config.limits.maxListSize };

const PERIOD_SCALARS = `id entityId periodNumber periodStart periodEnd analyzedAt durationHours status supersessionReason contentCount summary summaryShort
  insights metrics metricsDelta qualityScore completenessScore knowledgeVersion knowledgeDoc knowledgeDiff tasksSummary tasksDispatched chatSummary executionLog createdAt updatedAt`;
const EVENT_SCALARS = `id periodId entityId eventType severity title description firstDetectedAt lastUpdatedAt resolvedAt resolutionNote metadata createdAt`;

/** Operations whose page sizes are the largest the cost limit lets through (found by the estimate itself). */
function candidates(): { name: string; query: string }[] {
  const fit = (make: (n: number) => string) => {
    let n = 100;
    while (n > 1 && estimateCost(schema, parse(make(n)), null, {}, LIMITS).cost > LIMITS.maxCost) n--;
    return make(n);
  };
  return [
    { name: 'every scalar of 100 topics × N periods', query: fit((n) => `{ topics(first: 100) { edges { node { id name periods(first: ${n}) { edges { node { ${PERIOD_SCALARS} } } } } } } }`) },
    {
      name: '20 topics × N periods with their events and crawl records',
      query: fit((n) => `{ topics(first: 20) { edges { node { id periods(first: ${n}) { edges { node { summary metrics events(limit: 20) { ${EVENT_SCALARS} } crawlEffectiveness(limit: 20) { id query recommendations } } } } } } } }`),
    },
    {
      name: '30 aliases of N topics × 40 periods, every scalar',
      query: fit((n) => `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: topics(first: ${n}) { edges { node { periods(first: 40) { edges { node { ${PERIOD_SCALARS} } } } } } }`).join(' ')} }`),
    },
  ];
}

const rssMiB = (pid: number) => rssKiB(pid) / 1024;

async function main(): Promise<void> {
  const postgres = await benchPostgres(54396);
  const url = await benchDatabase(postgres.adminUrl, DATABASE, { profileScale: 1 });
  const gateway = await startBuiltGateway(PORT, { DATABASE_URL: url });
  const results: Record<string, unknown>[] = [];
  try {
    for (const { name, query } of candidates()) {
      const cost = estimateCost(schema, parse(query), null, {}, LIMITS).cost;
      const before = rssMiB(gateway.pid!);
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(gateway.pid!))), 20);
      const started = performance.now();
      const response = await fetch(`http://127.0.0.1:${PORT}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
      const body = await response.text();
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      const errors = (JSON.parse(body) as { errors?: { extensions?: { code?: string } }[] }).errors?.map((e) => e.extensions?.code);
      const result = { name, cost, status: response.status, errors, answerMiB: +(Buffer.byteLength(body) / 2 ** 20).toFixed(2), seconds: +seconds.toFixed(2), rssBeforeMiB: Math.round(before), rssPeakMiB: Math.round(peak) };
      results.push(result);
      console.log(JSON.stringify(result));
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  } finally {
    await stopProcess(gateway);
    await dropDatabase(postgres.adminUrl, DATABASE);
    await postgres.stop();
  }
  writeResults('largest-answer', { date: new Date().toISOString(), maxCost: LIMITS.maxCost, results });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
