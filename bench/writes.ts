/**
 * W1: recordAnalysisPeriod over HTTP, as the analyst calls it. Across entities (one write per
 * tracked user, `connections` at a time) and on one entity (serialised by its row lock), then
 * the invariants: numbers dense, each window starting where the previous one ended.
 */
import pg from 'pg';

export interface WriteRun {
  writes: number;
  perSecond: number;
  p99: number;
}

export interface WriteResult {
  acrossEntities: WriteRun;
  oneEntity: WriteRun;
  invariantsHold: boolean;
}

const MUTATION = `mutation W1($id: ID!, $posts: Int!) {
  recordAnalysisPeriod(input: { entityType: USER, entityId: $id, summary: "bench cycle", summaryShort: "bench",
    metrics: { total_posts: $posts, total_likes: 10 }, qualityScore: 0.8 }) { id periodNumber }
}`;

async function drive(endpoint: string, ids: string[], connections: number, token: string): Promise<WriteRun> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < ids.length) {
        const id = ids[next++]!;
        const begun = performance.now();
        const response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: MUTATION, variables: { id, posts: next } }),
        });
        const body = (await response.json()) as { errors?: unknown };
        if (body.errors) throw new Error(`W1: ${JSON.stringify(body.errors)}`);
        latencies.push(performance.now() - begun);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { writes: ids.length, perSecond: ids.length / seconds, p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0 };
}

export async function runWrites(url: string, endpoint: string, connections: number, token: string): Promise<WriteResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Users of this run's own, so that every run (the database is kept between runs) writes
    // onto the same starting state: 400 for the writes across entities, one for the writes on one.
    const run = Date.now();
    const users = (
      await client.query<{ id: string }>(
        `INSERT INTO users (name, platform, profile_url, created_at)
         SELECT format('W1 %s %s', $1::bigint, n), 'x', format('https://x.com/w1_%s_%s', $1::bigint, n), now() - interval '1 day'
         FROM generate_series(1, 401) AS n RETURNING id`,
        [run],
      )
    ).rows.map((r) => r.id);
    // Five periods per user, each user's writes 400 apart (rarely two at once): 2,000 writes,
    // enough seconds of load to measure; then 200 on one entity, serialised by its lock.
    const acrossEntities = await drive(endpoint, Array.from({ length: 5 }, () => users.slice(1)).flat(), connections, token);
    const oneEntity = await drive(endpoint, Array.from({ length: 200 }, () => users[0]!), connections, token);
    const { rows } = await client.query<{ broken: number }>(
      `SELECT count(*)::int AS broken FROM (
         SELECT period_number, period_start,
                lag(period_number) OVER w AS prev_number, lag(period_end) OVER w AS prev_end
         FROM analysis_periods WHERE entity_type = 'user' AND entity_id = ANY($1::uuid[]) AND status = 'active'
         WINDOW w AS (PARTITION BY entity_id ORDER BY period_number)) p
       WHERE prev_number IS NOT NULL AND (period_number <> prev_number + 1 OR period_start <> prev_end)`,
      [users],
    );
    return { acrossEntities, oneEntity, invariantsHold: rows[0]!.broken === 0 };
  } finally {
    await client.end();
  }
}
