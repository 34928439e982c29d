import { describe, expect, it } from 'vitest';
import { mintToken } from '../src/auth.js';
import { temporaryFile } from './helpers/files.js';
import { chromiumPath, launchBrowser } from './helpers/browser.js';
import { createTestDatabase } from './helpers/database.js';
import { insertPeriod, insertTopic, insertUser } from './helpers/fixtures.js';
import { createTestGateway, listen } from './helpers/gateway.js';

/**
 * The timeline explorer in a real browser (Chromium from the system, driven by playwright-core):
 * what it shows is compared with what the API answers.
 */
const SECRET = 'explorer-test-secret-explorer-test-secret';
const day = (n: number, hour = 0) => new Date(Date.UTC(2026, 2, 1 + n, hour)).toISOString();

describe.runIf(chromiumPath)('the timeline explorer in Chromium', async () => {
  const db = await createTestDatabase();
  const browser = await launchBrowser();
  const topicId = await insertTopic(db.pool, 'Harbour strike', { createdAt: day(0) });
  await insertTopic(db.pool, 'Quiet topic', { createdAt: day(0) });
  await insertUser(db.pool, 'Tracked analyst', { createdAt: day(0) });
  // Ten daily periods with a metric that jumps once (an anomaly), and a gap after the fifth.
  const posts = [10, 12, 11, 13, 12, 11, 90, 12, 13, 12];
  const periodIds: string[] = [];
  for (const [i, value] of posts.entries()) {
    const start = i < 5 ? day(i) : day(i + 1);
    periodIds.push(await insertPeriod(db.pool, { entityId: topicId, number: i + 1, start, end: i < 5 ? day(i + 1) : day(i + 2), metrics: { total_posts: value, total_likes: value * 3 } }));
  }
  await db.pool.query(
    `INSERT INTO temporal_events (period_id, entity_type, entity_id, event_type, severity, title, description, first_detected_at, resolved_at)
     VALUES ($1, 'topic', $2, 'controversy', 'critical', 'Dock walkout', 'd', $3, $4), ($5, 'topic', $2, 'trend_shift', 'warning', 'Volume spike', 'd', $6, NULL)`,
    [periodIds[2], topicId, day(2, 6), day(4, 12), periodIds[6], day(7, 3)],
  );
  const gateway = createTestGateway(db);
  const server = await listen(gateway);
  const origin = server.url.replace(/\/graphql$/, '');

  it('lists the entities by name, and searching narrows the list', async () => {
    const { page, errors } = await browser.open();
    await page.goto(`${origin}/explorer`);
    for (const name of ['Harbour strike', 'Quiet topic', 'Tracked analyst']) await page.getByRole('link', { name }).waitFor();
    await expect(page.getByRole('row', { name: /Harbour strike/ }).innerText()).resolves.toMatch(/topic\s+active\s+10/);
    await page.getByLabel('Search by name').fill('harb');
    await page.getByRole('link', { name: 'Quiet topic' }).waitFor({ state: 'detached' });
    expect(await page.getByRole('link', { name: 'Harbour strike' }).isVisible()).toBe(true);
    expect(page.url()).toContain('search=harb');
    expect(errors).toEqual([]);
  });

  it('opens an entity by URL and draws the chart and the event lane from the API’s data', async () => {
    const { page, errors } = await browser.open();
    await page.goto(`${origin}/explorer?entityType=TOPIC&entityId=${topicId}&metric=total_posts&bucket=DAY&fill=NULL`);
    await page.getByRole('heading', { name: 'Harbour strike' }).waitFor();
    await page.waitForFunction(() => document.body.dataset.timelineRenderedMs);
    const api = await gateway.execute<{ entity: { metricSeries: { start: string; value: number | null }[]; anomalies: { periodNumber: number }[]; events: { edges: unknown[] } } }>(
      `query($id: ID!) { entity(type: TOPIC, id: $id) { metricSeries(metric: "total_posts", bucket: DAY, fill: NULL) { start value } anomalies(metric: "total_posts", threshold: 2) { periodNumber } events { edges { node { id } } } } }`,
      { id: topicId },
    );
    await page.getByText('Chart data').click();
    // The table is written when the details open (a toggle event, after the click returns).
    await page.locator('table.chart-data tbody tr').first().waitFor();
    const shown = await page.locator('table.chart-data tbody tr').evaluateAll((rows) => rows.map((row) => [row.getAttribute('data-start'), row.querySelector('[data-value]')!.getAttribute('data-value')]));
    expect(shown).toEqual(api.data!.entity.metricSeries.map((b) => [b.start, b.value === null ? '' : String(b.value)]));
    expect(shown.length).toBeGreaterThan(10);
    // The anomaly (period 7, 90 posts) is marked on the chart.
    await expect(page.locator('table.chart-data tfoot').textContent()).resolves.toContain('anomaly: period 7');
    expect(api.data!.entity.anomalies.map((a) => a.periodNumber)).toEqual([7]);
    // The lane: one item per event, named with severity, title, and open or resolved.
    const lane = await page.locator('svg.lane [role=listitem]').evaluateAll((items) => items.map((item) => item.getAttribute('aria-label')));
    expect(lane).toEqual([
      `critical: Dock walkout, detected 2026-03-03 06:00, resolved 2026-03-05 12:00`,
      `warning: Volume spike, detected 2026-03-08 03:00, open`,
    ]);
    expect(api.data!.entity.events.edges).toHaveLength(2);
    // The strip: ten periods and the gap between the fifth and the sixth.
    expect(await page.locator('svg.strip rect.period').count()).toBe(10);
    await expect(page.locator('svg.strip rect.gap').getAttribute('aria-label')).resolves.toBe('gap of 24.0 hours');
    expect(errors).toEqual([]);
  });

  it('draws every event in the lane: a period’s beyond what its page carries, and the pending ones', async () => {
    const busyId = await insertTopic(db.pool, 'Busy port', { createdAt: day(0) });
    const busyPeriod = await insertPeriod(db.pool, { entityId: busyId, number: 1, start: day(0), end: day(1) });
    await db.pool.query(
      `INSERT INTO temporal_events (period_id, entity_type, entity_id, event_type, severity, title, description, first_detected_at)
       SELECT $1, 'topic', $2, 'risk', (ARRAY['info', 'warning', 'critical'])[1 + e % 3], 'busy event ' || e, 'd', $3::timestamptz + e * interval '1 minute'
       FROM generate_series(1, 101) e`,
      [busyPeriod, busyId, day(0, 1)],
    );
    await db.pool.query(
      `INSERT INTO temporal_events (entity_type, entity_id, event_type, severity, title, description, first_detected_at) VALUES ('topic', $1, 'risk', 'warning', 'Pending alert', 'd', $2)`,
      [busyId, day(1, 2)],
    );
    const { page, errors } = await browser.open();
    await page.goto(`${origin}/explorer?entityType=TOPIC&entityId=${busyId}`);
    await page.waitForFunction(() => document.body.dataset.timelineRenderedMs);
    const api = await gateway.execute<{ entity: { events: { totalCount: number } } }>(`query($id: ID!) { entity(type: TOPIC, id: $id) { events { totalCount } } }`, { id: busyId });
    expect(api.data!.entity.events.totalCount).toBe(102);
    const lane = await page.locator('svg.lane [role=listitem]').evaluateAll((items) => items.map((item) => item.getAttribute('aria-label')));
    expect(lane).toHaveLength(102);
    expect(lane.filter((label) => label!.includes('Pending alert'))).toHaveLength(1);
    expect(lane.filter((label) => label!.includes('busy event 101'))).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('shows a period’s detail, and compares two periods as comparePeriods does', async () => {
    const { page, errors } = await browser.open();
    await page.goto(`${origin}/explorer?entityType=TOPIC&entityId=${topicId}`);
    await page.getByRole('button', { name: /Period 3: 2026-03-03/ }).click();
    await page.getByRole('heading', { name: 'Period 3' }).waitFor();
    await expect(page.locator('section.detail').innerText()).resolves.toContain('Dock walkout');
    expect(page.url()).toContain(`period=${periodIds[2]}`);
    await page.getByLabel('Compare period 2').check();
    await page.getByLabel('Compare period 7').check();
    await page.getByRole('heading', { name: 'Period 2 compared with period 7' }).waitFor();
    const api = await gateway.execute<{ comparePeriods: { metrics: { key: string; absolute: number }[] } }>(
      `query($id: ID!) { comparePeriods(entityType: TOPIC, entityId: $id, from: 2, to: 7) { metrics { key absolute } } }`,
      { id: topicId },
    );
    const rows = await page.locator('section.detail table.changes tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-metric'), tr.children[3]!.textContent]));
    expect(rows).toEqual(api.data!.comparePeriods.metrics.map((m) => [m.key, `+${m.absolute}`]));
    expect(page.url()).toContain('compare=2,7');
    expect(errors).toEqual([]);
  });

  it('shows new periods live, recorded through the API or with plain SQL, without moving the page', async () => {
    const { page, errors } = await browser.open();
    await page.goto(`${origin}/explorer?entityType=TOPIC&entityId=${topicId}`);
    await page.locator('.live[data-state=live]').waitFor();
    await page.evaluate(() => {
      const shifts: number[] = [];
      new PerformanceObserver((list) => list.getEntries().forEach((entry) => shifts.push((entry as unknown as { value: number }).value))).observe({ type: 'layout-shift', buffered: false });
      (window as unknown as { shifts: number[] }).shifts = shifts;
    });
    const recorded = await gateway.execute(
      `mutation($id: ID!) { recordAnalysisPeriod(input: { entityType: TOPIC, entityId: $id, summary: "Recorded live", summaryShort: "Recorded live", periodEnd: "${day(12)}" }) { periodNumber } }`,
      { id: topicId },
    );
    expect(recorded.errors).toBeUndefined();
    await page.getByRole('cell', { name: 'Recorded live' }).waitFor({ timeout: 2_000 });
    await insertPeriod(db.pool, { entityId: topicId, number: 12, start: day(12), end: day(13) });
    await page.getByRole('cell', { name: 'Period 12', exact: true }).or(page.getByRole('button', { name: /Period 12:/ })).first().waitFor({ timeout: 2_000 });
    expect(await page.locator('svg.strip rect.period').count()).toBe(12);
    const shifts = await page.evaluate(() => (window as unknown as { shifts: number[] }).shifts);
    expect(shifts.reduce((a, b) => a + b, 0)).toBeLessThan(0.01);
    expect(errors).toEqual([]);
  });

  it('resumes after the server restarts, and shows what was recorded while it was down', async () => {
    const { page, errors } = await browser.open();
    const restartable = createTestGateway(db);
    let running = await listen(restartable);
    const port = Number(new URL(running.url).port);
    const restartedOrigin = `http://127.0.0.1:${port}`;
    await page.goto(`${restartedOrigin}/explorer?entityType=TOPIC&entityId=${topicId}`);
    await page.locator('.live[data-state=live]').waitFor();
    // A change seen live gives the event stream a cursor; the period stream has none yet.
    await db.pool.query(`UPDATE temporal_events SET description = 'seen live' WHERE title = 'Dock walkout'`);
    await page.waitForTimeout(500);
    await running.close();
    await page.locator('.live[data-state=reconnecting]').waitFor({ timeout: 5_000 });
    // While the server is down: an event resolved (replayed from the cursor) and a period recorded (loaded again).
    await db.pool.query(`UPDATE temporal_events SET resolved_at = $2 WHERE title = $1`, ['Volume spike', day(13, 1)]);
    await insertPeriod(db.pool, { entityId: topicId, number: 13, start: day(13), end: day(14) });
    running = await listen(createTestGateway(db), port);
    await page.locator('[aria-label^="warning: Volume spike"][aria-label$="resolved 2026-03-14 01:00"]').waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: /Period 13:/ }).waitFor({ timeout: 15_000 });
    await page.locator('.live[data-state=live]').waitFor({ timeout: 5_000 });
    await running.close();
    // The browser saw the server go away: those are the only console errors allowed.
    expect(errors.filter((error) => !/ERR_CONNECTION_REFUSED|net::|Failed to load resource/.test(error))).toEqual([]);
  });

  it('works where only persisted operations are served (its own are listed), while a plain query is refused', async () => {
    const only = createTestGateway(db, { PERSISTED_OPERATIONS_ONLY: 'true', PERSISTED_OPERATIONS_FILE: temporaryFile('operations.json', '{}') });
    const onlyServer = await listen(only);
    const refused = await only.execute('{ topics { edges { node { id } } } }');
    expect(refused.errors![0]!.extensions!.code).toBe('PERSISTED_QUERY_ONLY');
    const { page, errors } = await browser.open();
    await page.goto(`${onlyServer.url.replace(/\/graphql$/, '')}/explorer?entityType=TOPIC&entityId=${topicId}`);
    await page.getByRole('heading', { name: 'Harbour strike' }).waitFor();
    await page.locator('.live[data-state=live]').waitFor();
    expect(await page.locator('svg.strip rect.period').count()).toBeGreaterThanOrEqual(10);
    expect(errors).toEqual([]);
  });

  it('asks for a token when authentication is on, and says FORBIDDEN for one without the read scope', async () => {
    const secured = createTestGateway(db, { JWT_SECRET: SECRET });
    const securedServer = await listen(secured);
    const securedOrigin = securedServer.url.replace(/\/graphql$/, '');
    const { page, errors } = await browser.open();
    await page.goto(`${securedOrigin}/explorer`);
    await page.locator('#banner[data-code=UNAUTHENTICATED]').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('token');
    await page.locator('#token').fill(await mintToken(SECRET, { subject: 'writer', scopes: ['write'], ttlSeconds: 600 }));
    await page.getByRole('button', { name: 'Use' }).click();
    await page.locator('#banner[data-code=FORBIDDEN]').waitFor();
    await expect(page.locator('#banner').innerText()).resolves.toContain('read scope');
    await page.locator('#token').fill(await mintToken(SECRET, { subject: 'reader', scopes: ['read'], ttlSeconds: 600 }));
    await page.getByRole('button', { name: 'Use' }).click();
    await page.getByRole('link', { name: 'Harbour strike' }).waitFor();
    expect(await page.locator('#banner').isHidden()).toBe(true);
    // The 401 and 403 answers are logged by the browser as failed loads, nothing else.
    expect(errors.filter((error) => !/status of 40[13]/.test(error))).toEqual([]);
  });
});
