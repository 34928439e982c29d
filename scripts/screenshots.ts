/**
 * `npm run docs:screenshots`: the README's pictures of the explorer (docs/explorer-*.png), taken
 * in headless Chromium from the demo data: the entity list, a topic's timeline, a period's
 * detail, two periods compared. BENCH_DATABASE_URL names a maintenance database of the server to
 * use; unset, a throw-away embedded PostgreSQL 18 is started.
 */
import { join } from 'node:path';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { createPool } from '../src/db/pool.js';
import { seedDemoData } from '../src/services/seed/demoSeed.js';
import { chromiumPath } from '../test/helpers/browser.js';
import { benchDatabase, benchPostgres, dropDatabase, ROOT, startBuiltGateway, stopProcess } from '../bench/support.js';

const PORT = 4395;
const DATABASE = 'crosshot_screenshots';

async function main(): Promise<void> {
  if (!chromiumPath) throw new Error('no Chromium: install Debian’s chromium package, or set CHROMIUM_PATH');
  const postgres = await benchPostgres(54393);
  const url = await benchDatabase(postgres.adminUrl, DATABASE);
  const pool = createPool({ connectionString: url, max: 2 });
  await seedDemoData(pool, { scale: 1, anchor: new Date('2026-06-01T00:00:00Z') });
  await pool.end();
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const { rows } = await db.query(`SELECT t.id, t.name FROM topics t ORDER BY (SELECT count(*) FROM temporal_events e WHERE e.entity_id = t.id) DESC, t.name LIMIT 1`);
  const topic = rows[0] as { id: string; name: string };
  await db.end();
  const gateway = await startBuiltGateway(PORT, { DATABASE_URL: url, EXPLORER_ENABLED: 'true' });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1 });
    const base = `http://127.0.0.1:${PORT}/explorer`;
    const shot = (name: string, fullPage = false) => page.screenshot({ path: join(ROOT, 'docs', `explorer-${name}.png`), fullPage });
    await page.goto(base);
    await page.getByRole('link', { name: topic.name }).waitFor();
    await shot('entities');
    await page.goto(`${base}?entityType=TOPIC&entityId=${topic.id}`);
    await page.locator('.live[data-state=live]').waitFor();
    await shot('timeline');
    await page.locator('svg.strip rect.period').nth(3).click();
    await page.getByRole('heading', { name: /^Period \d+/ }).waitFor();
    await page.locator('section.detail').scrollIntoViewIfNeeded();
    await page.locator('section.detail').screenshot({ path: join(ROOT, 'docs', 'explorer-period.png') });
    const boxes = page.getByRole('checkbox', { name: /Compare period/ });
    await boxes.nth(1).check();
    await boxes.nth(4).check();
    await page.getByRole('heading', { name: /compared with period/ }).waitFor();
    await page.locator('section.detail').screenshot({ path: join(ROOT, 'docs', 'explorer-compare.png') });
    console.log('docs/explorer-{entities,timeline,period,compare}.png written');
  } finally {
    await browser.close();
    await stopProcess(gateway);
    await dropDatabase(postgres.adminUrl, DATABASE);
    await postgres.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
