import pg from 'pg';
const url = 'postgresql://postgres@127.0.0.1:5432/crosshot_bench_feed';
const admin = new pg.Client({ connectionString: url }); await admin.connect();
async function rate(label: string): Promise<number> {
  const { rows } = await admin.query(`INSERT INTO topics (name, created_at) SELECT 'trig ' || g, '2025-12-01' FROM generate_series(1,4) g RETURNING id`);
  const clients = await Promise.all(rows.map(async () => { const c = new pg.Client({ connectionString: url }); await c.connect(); return c; }));
  const t0 = performance.now();
  await Promise.all(clients.map(async (c, w) => { for (let n = 1; n <= 300; n++) await c.query(`INSERT INTO analysis_periods (entity_type, entity_id, period_number, period_start, period_end, duration_hours, summary) VALUES ('topic', $1, $2, $3, $4, 1, 'x')`, [rows[w].id, n, new Date(Date.UTC(2026,0,1)+n*36e5), new Date(Date.UTC(2026,0,1)+(n+1)*36e5)]); }));
  const r = 1200 / ((performance.now() - t0) / 1000);
  await Promise.all(clients.map((c) => c.end()));
  return r;
}
const variants: Record<string, string[]> = {
  off: [`ALTER TABLE analysis_periods DISABLE TRIGGER tr_analysis_periods_change_feed_insert`],
  on: [`ALTER TABLE analysis_periods ENABLE TRIGGER tr_analysis_periods_change_feed_insert`, `CREATE OR REPLACE FUNCTION change_feed_periods_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO change_feed (kind, entity_type, entity_id, row_id, period_number) SELECT 'period_created', n.entity_type, n.entity_id, n.id, n.period_number FROM inserted n WHERE n.status = 'active' ORDER BY n.period_number; IF FOUND THEN PERFORM pg_notify('crosshot_change_feed', ''); END IF; RETURN NULL; END $$`],
  nonotify: [`ALTER TABLE analysis_periods ENABLE TRIGGER tr_analysis_periods_change_feed_insert`, `CREATE OR REPLACE FUNCTION change_feed_periods_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO change_feed (kind, entity_type, entity_id, row_id, period_number) SELECT 'period_created', n.entity_type, n.entity_id, n.id, n.period_number FROM inserted n WHERE n.status = 'active' ORDER BY n.period_number; RETURN NULL; END $$`],
  notifyonly: [`ALTER TABLE analysis_periods ENABLE TRIGGER tr_analysis_periods_change_feed_insert`, `CREATE OR REPLACE FUNCTION change_feed_periods_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('crosshot_change_feed', ''); RETURN NULL; END $$`],
  emptytrigger: [`ALTER TABLE analysis_periods ENABLE TRIGGER tr_analysis_periods_change_feed_insert`, `CREATE OR REPLACE FUNCTION change_feed_periods_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$`],
};
const results: Record<string, number[]> = {};
for (let round = 0; round < 3; round++) for (const [name, stmts] of Object.entries(variants)) { for (const s of stmts) await admin.query(s); (results[name] ??= []).push(await rate(name)); }
for (const [k, v] of Object.entries(results)) console.log(k, v.map((x) => x.toFixed(0)).join(' '));
await admin.query(variants.on![0]!); await admin.query(variants.on![1]!);
await admin.end();
