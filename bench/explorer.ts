/**
 * `npm run bench:explorer [-- --rounds 5]`: how long the timeline explorer takes to show a large
 * entity, in headless Chromium (Debian's `chromium`, or CHROMIUM_PATH) on this machine.
 *
 * One topic with 1,000 periods (daily, some gaps, a metric with a few spikes) and 3,000 events
 * (a third still open) in a database of its own; the compiled gateway; the page opened at that
 * topic's URL `rounds` times. Prints, per load and as medians: the time from navigation to the
 * timeline, the event lane and the chart drawn (`timelineSinceNavigationMs`, the goal is ≤ 1 s),
 * the part after the page's script started, and the bytes transferred (compressed; the goal is
 * ≤ 250 KB). BENCH_DATABASE_URL names a maintenance database of the server to use; unset, a
 * throw-away embedded PostgreSQL 18 is started.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { chromiumPath } from '../test/helpers/browser.js';
import { benchDatabase, benchPostgres, dropDatabase, median, startBuiltGateway, stopProcess, writeResults } from './support.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const ROUNDS = Number(values.rounds);
const PORT = 4394;
const DATABASE = 'crosshot_bench_explorer';
const GOAL_MS = 1_000;
const GOAL_KB = 250;

async function seed(url: string): Promise<string> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const { rows } = await db.query<{ id: string }>(`INSERT INTO topics (name, created_at) VALUES ('Explorer bench topic', '2023-01-01') RETURNING id`);
    const id = rows[0]!.id;
    // Daily periods; every 50th leaves a day's gap before it; every 97th spikes.
    await db.query(
      `INSERT INTO analysis_periods (entity_type, entity_id, period_number, period_start, period_end, duration_hours, summary, summary_short, metrics)
       SELECT 'topic', $1, n, '2023-01-01'::timestamptz + ((n - 1) + (n - 1) / 50) * interval '1 day',
              '2023-01-01'::timestamptz + (n + (n - 1) / 50) * interval '1 day', 24, 'cycle ' || n, 'cycle ' || n,
              jsonb_build_object('total_posts', 100 + (n % 13) * 5 + CASE WHEN n % 97 = 0 THEN 400 ELSE 0 END, 'total_likes', 1000 + n)
       FROM generate_series(1, 1000) n`,
      [id],
    );
    await db.query(
      `INSERT INTO temporal_events (period_id, entity_type, entity_id, event_type, severity, title, description, first_detected_at, resolved_at)
       SELECT p.id, 'topic', $1, (ARRAY['controversy', 'trend_shift', 'risk'])[1 + e % 3], (ARRAY['info', 'warning', 'critical'])[1 + e % 3],
              'event ' || e, 'bench event', p.period_start + interval '1 hour',
              CASE WHEN e % 3 = 0 THEN NULL ELSE p.period_start + (e % 20) * interval '1 day' END
       FROM generate_series(1, 3000) e JOIN analysis_periods p ON p.entity_id = $1 AND p.period_number = 1 + (e - 1) / 3`,
      [id],
    );
    return id;
  } finally {
    await db.end();
  }
}

async function main(): Promise<void> {
  if (!chromiumPath) throw new Error('no Chromium: install Debian’s chromium package, or set CHROMIUM_PATH');
  const postgres = await benchPostgres(54394);
  const url = await benchDatabase(postgres.adminUrl, DATABASE);
  const topicId = await seed(url);
  const gateway = await startBuiltGateway(PORT, { DATABASE_URL: url, EXPLORER_ENABLED: 'true' });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const loads: { sinceNavigationMs: number; afterScriptMs: number; transferKB: number; marks: Record<string, number> }[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${PORT}/explorer?entityType=TOPIC&entityId=${topicId}`);
      await page.waitForFunction(() => document.body.dataset.timelineSinceNavigationMs, null, { timeout: 30_000 });
      const load = await page.evaluate(() => {
        const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')] as PerformanceResourceTiming[];
        const pageFiles = entries.filter((entry) => !entry.name.endsWith('/graphql'));
        return {
          sinceNavigationMs: Number(document.body.dataset.timelineSinceNavigationMs),
          afterScriptMs: Number(document.body.dataset.timelineRenderedMs),
          transferKB: pageFiles.reduce((sum, entry) => sum + entry.transferSize, 0) / 1024,
          marks: Object.fromEntries(performance.getEntriesByType('mark').map((mark) => [mark.name, Math.round(mark.startTime)])),
          periods: document.querySelectorAll('svg.strip rect.period').length,
          events: document.querySelectorAll('svg.lane [role=listitem]').length,
        };
      });
      if (load.periods !== 1000 || load.events !== 3000) throw new Error(`the page drew ${load.periods} periods and ${load.events} events, not 1000 and 3000`);
      loads.push(load);
      const steps = Object.entries(load.marks).map(([name, at]) => `${name.replace('explorer:', '')} ${at}`).join(', ');
      console.log(`  load ${round + 1}: timeline drawn ${load.sinceNavigationMs} ms after navigation (${load.afterScriptMs} ms after the script started; ms since navigation: ${steps}), page ${load.transferKB.toFixed(1)} KB transferred`);
      await context.close();
    }
  } finally {
    await browser.close();
    await stopProcess(gateway);
    await dropDatabase(postgres.adminUrl, DATABASE);
    await postgres.stop();
  }
  const ms = median(loads.map((l) => l.sinceNavigationMs));
  const kb = median(loads.map((l) => l.transferKB));
  console.log(`1,000 periods and 3,000 events: timeline drawn in ${ms} ms (median of ${ROUNDS}), goal ≤ ${GOAL_MS} ms: ${ms <= GOAL_MS ? 'met' : 'MISSED'}`);
  console.log(`page transfer ${kb.toFixed(1)} KB compressed, goal ≤ ${GOAL_KB} KB: ${kb <= GOAL_KB ? 'met' : 'MISSED'}`);
  writeResults('explorer', { date: new Date().toISOString(), rounds: ROUNDS, loads, medianMs: ms, medianTransferKB: kb });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
