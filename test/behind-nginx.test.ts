import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from './helpers/database.js';
import { hoursAfter, insertTopic } from './helpers/fixtures.js';
import { nginxPath, startNginx } from './helpers/nginx.js';
import { startGatewayProcess, type GatewayProcess } from './helpers/processes.js';
import { subscribeSse } from './helpers/subscriptions.js';

const PERIODS = `subscription($id: ID) { periodCreated(entityId: $id) { id periodNumber } }`;

/** A POST from `localAddress` (127.0.0.0/8 is all this machine's): a client of its own to nginx's per-address hashing. */
function postFrom(localAddress: string, url: string, body: unknown): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', localAddress, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += String(chunk)));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** Requests an instance has answered for operation `name` (from its own /metrics). */
async function answered(instance: GatewayProcess, name: string): Promise<number> {
  const text = await (await fetch(`${instance.base}/metrics`)).text();
  return [...text.matchAll(new RegExp(`^graphql_yoga_http_duration_count\\{[^}]*operationName="${name}"[^}]*\\} (\\d+)`, 'gm'))].reduce((sum, m) => sum + Number(m[1]), 0);
}

/** Subscriptions an instance holds now. */
async function subscriptionsOn(instance: GatewayProcess): Promise<number> {
  const text = await (await fetch(`${instance.base}/metrics`)).text();
  return [...text.matchAll(/^crosshot_subscriptions(?:\{[^}]*\})? (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

/** Two gateways on one database behind nginx, configured by the repository's deploy/nginx.conf. */
describe.runIf(nginxPath)('several instances behind nginx', async () => {
  const db = await createTestDatabase();
  const env = { DATABASE_URL: db.url, TRUST_PROXY: 'true', METRICS_ENABLED: 'true', CHANGE_FEED_POLL_INTERVAL_MS: '200' };
  const instances = [await startGatewayProcess(env), await startGatewayProcess(env)];
  const proxy = await startNginx(instances.map((instance) => instance.port));
  const topicId = await insertTopic(db.pool, 'Proxied');
  const period = async (n: number) =>
    (
      await db.pool.query<{ id: string }>(
        `INSERT INTO analysis_periods (entity_type, entity_id, period_number, period_start, period_end, duration_hours, summary)
         VALUES ('topic', $1, $2, $3, $4, 24, 'by the analyst') RETURNING id`,
        [topicId, n, hoursAfter(24 * (n - 1)), hoursAfter(24 * n)],
      )
    ).rows[0]!.id;

  it('spreads clients over the instances', async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => postFrom(`127.0.0.${i + 2}`, `${proxy}/graphql`, { query: `query Spread($id: ID!) { topic(id: $id) { name } }`, variables: { id: topicId } })),
    );
    for (const result of results) expect(result.body).toEqual({ data: { topic: { name: 'Proxied' } } });
    const counts = await Promise.all(instances.map((instance) => answered(instance, 'Spread')));
    expect(counts[0]! + counts[1]!).toBe(40);
    expect(Math.min(...counts)).toBeGreaterThan(0);
  });

  it('an SSE subscriber resumes on the other instance with its cursor when its instance is lost: nothing lost', async () => {
    const first = await subscribeSse(`${proxy}/graphql`, PERIODS, { id: topicId });
    const written = [await period(1)];
    const [one] = await first.received(1, 10_000);
    expect(one!.data!.data!.periodCreated.id).toBe(written[0]);

    // The instance holding the stream dies (SIGKILL: no goodbye); the stream ends.
    const holding = (await Promise.all(instances.map(subscriptionsOn))).findIndex((n) => n > 0);
    expect(holding).toBeGreaterThanOrEqual(0);
    instances[holding]!.child.kill('SIGKILL');
    await instances[holding]!.exited;
    for (const deadline = Date.now() + 10_000; !first.ended; ) {
      if (Date.now() > deadline) throw new Error('the stream did not end with its instance');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // While the client is away, the analyst writes on.
    written.push(await period(2), await period(3));

    // Reconnecting as an EventSource does, with the last event id: nginx sends it to the survivor.
    const resumed = await subscribeSse(`${proxy}/graphql`, PERIODS, { id: topicId }, { 'last-event-id': one!.id! });
    written.push(await period(4));
    const events = await resumed.received(3, 10_000);
    expect(events.map((e) => e.data!.data!.periodCreated.id)).toEqual(written.slice(1));
    expect(await subscriptionsOn(instances[1 - holding]!)).toBe(1);
    resumed.close();
  }, 30_000);
});
