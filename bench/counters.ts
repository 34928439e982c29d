/**
 * `npm run bench:counters [-- --rounds 7]`: should an entity's period counters (total_periods,
 * current_period_number, last_period_id, first_analysis_at, avg_period_duration_hours) be stored
 * at all, or computed when read?
 *
 * On the benchmark profile (scale 1: 500 topics + 500 users × 40 periods), in alternating rounds:
 * - reading them: stored columns vs computed by entity_period_stats() for one entity, a page of
 *   100 and all 500 topics (median ms per statement);
 * - keeping them: a period insert (one statement, as the analyst writes) with the triggers that
 *   keep them vs without those triggers (median ms per insert).
 * BENCH_DATABASE_URL names a maintenance database of the server to use; unset, a throw-away
 * embedded PostgreSQL 18 is started.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { benchDatabase, benchPostgres, median, writeResults } from './support.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '7' }, repeat: { type: 'string', default: '200' } } });
const ROUNDS = Number(values.rounds);
const REPEAT = Number(values.repeat);

const COUNTERS = 'current_period_number, last_period_id, total_periods, first_analysis_at, avg_period_duration_hours';
const READS: Record<string, { stored: string; computed: string }> = {
  'one topic': {
    stored: `SELECT id, name, ${COUNTERS} FROM topics WHERE id = $1`,
    computed: `SELECT t.id, t.name, s.* FROM topics t CROSS JOIN LATERAL entity_period_stats('topic', t.id) s WHERE t.id = $1`,
  },
  '100 topics': {
    stored: `SELECT id, name, ${COUNTERS} FROM topics WHERE $1::uuid IS NOT NULL ORDER BY name LIMIT 100`,
    computed: `SELECT t.id, t.name, s.* FROM topics t CROSS JOIN LATERAL entity_period_stats('topic', t.id) s WHERE $1::uuid IS NOT NULL ORDER BY t.name LIMIT 100`,
  },
  'all 500 topics': {
    stored: `SELECT id, name, ${COUNTERS} FROM topics WHERE $1::uuid IS NOT NULL`,
    computed: `SELECT t.id, t.name, s.* FROM topics t CROSS JOIN LATERAL entity_period_stats('topic', t.id) s WHERE $1::uuid IS NOT NULL`,
  },
};
const KEEPING_TRIGGERS = [
  ['analysis_periods', 'tr_analysis_periods_after_insert'],
  ['users', 'tr_users_period_stats'],
] as const;

async function timed(client: pg.Client, sql: string, params: unknown[], times: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await client.query({ name: `q${sql.length}-${sql.slice(0, 40)}`, text: sql, values: params });
    samples.push(performance.now() - started);
  }
  return median(samples);
}

async function main(): Promise<void> {
  const postgres = await benchPostgres(54395);
  try {
    const url = await benchDatabase(postgres.adminUrl, 'crosshot_bench_1', { profileScale: 1, keep: true });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows: [topic] } = await client.query(`SELECT id FROM topics ORDER BY name LIMIT 1`);
      // The computed counters equal the stored ones (0010 keeps them so): the comparison is of cost alone.
      const { rows: [differ] } = await client.query(
        `SELECT count(*)::int AS n FROM topics t CROSS JOIN LATERAL entity_period_stats('topic', t.id) s
         WHERE (t.${COUNTERS.split(', ').join(', t.')}) IS DISTINCT FROM (s.${COUNTERS.split(', ').join(', s.')})`,
      );
      console.log(`topics whose stored counters differ from the computed: ${differ.n}`);
      const reads: Record<string, { stored: number[]; computed: number[] }> = {};
      for (const name of Object.keys(READS)) reads[name] = { stored: [], computed: [] };
      for (let round = 0; round < ROUNDS; round++) {
        for (const [name, { stored, computed }] of Object.entries(READS)) {
          const times = name === 'one topic' ? REPEAT : Math.max(10, REPEAT / 10);
          reads[name]!.stored.push(await timed(client, stored, [topic.id], times));
          reads[name]!.computed.push(await timed(client, computed, [topic.id], times));
        }
      }
      for (const [name, r] of Object.entries(reads)) {
        console.log(`read ${name}: stored ${median(r.stored).toFixed(3)} ms, computed ${median(r.computed).toFixed(3)} ms (×${(median(r.computed) / median(r.stored)).toFixed(1)})`);
      }

      // Keeping them: inserts on users of this run's own, alternating with and without the triggers.
      const inserts: { kept: number[]; unkept: number[] } = { kept: [], unkept: [] };
      for (let round = 0; round < ROUNDS; round++) {
        for (const mode of ['kept', 'unkept'] as const) {
          for (const [table, trigger] of KEEPING_TRIGGERS) await client.query(`ALTER TABLE ${table} ${mode === 'kept' ? 'ENABLE' : 'DISABLE'} TRIGGER ${trigger}`);
          const { rows: users } = await client.query<{ id: string }>(
            `INSERT INTO users (name, platform, profile_url, created_at) SELECT 'counters ' || $1 || ' ' || g, 'x', 'https://x.com/c' || g, '2026-01-01'
             FROM generate_series(1, $2::int) g RETURNING id`,
            [`${round}-${mode}-${Date.now()}`, REPEAT],
          );
          const samples: number[] = [];
          for (const { id } of users) {
            const started = performance.now();
            await client.query({
              name: 'insert-period',
              text: `INSERT INTO analysis_periods (entity_type, entity_id, period_number, period_start, period_end, duration_hours, summary)
                     VALUES ('user', $1, 1, '2026-01-01', '2026-01-02', 24, 'counters bench')`,
              values: [id],
            });
            samples.push(performance.now() - started);
          }
          inserts[mode].push(median(samples));
        }
      }
      for (const [table, trigger] of KEEPING_TRIGGERS) await client.query(`ALTER TABLE ${table} ENABLE TRIGGER ${trigger}`);
      // The users written without the triggers get their counters now.
      await client.query(`UPDATE users SET total_periods = total_periods WHERE name LIKE 'counters %'`);
      const ratios = inserts.kept.map((k, i) => k / inserts.unkept[i]!);
      console.log(
        `insert a period: with the counters kept ${median(inserts.kept).toFixed(3)} ms, without ${median(inserts.unkept).toFixed(3)} ms ` +
          `(+${(median(inserts.kept) - median(inserts.unkept)).toFixed(3)} ms, ×${median(ratios).toFixed(2)} median of the rounds)`,
      );
      writeResults('counters', {
        date: new Date().toISOString(),
        rounds: ROUNDS,
        reads: Object.fromEntries(Object.entries(reads).map(([name, r]) => [name, { storedMs: median(r.stored), computedMs: median(r.computed), rounds: r }])),
        insert: { keptMs: median(inserts.kept), unkeptMs: median(inserts.unkept), ratio: median(ratios), rounds: inserts },
      });
    } finally {
      await client.end();
    }
  } finally {
    await postgres.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
