import pg from 'pg';
import type { Queryable } from './queryable.js';
import { withinTransaction } from './transaction.js';

/**
 * The path to partition analysis_periods' dependents by time, for a deployment whose history
 * outgrows plain tables (`db partition-dependents`; the README's "History that grows for years").
 * Each table is partitioned by RANGE on a time column its writers already set, by month:
 *
 *   temporal_events            first_detected_at
 *   crawl_effectiveness        created_at
 *   period_content_snapshots   created_at
 *
 * A partitioned table's unique keys must include its partition key, so what changes is:
 *   - the primary key (id) becomes (id, <time>): ids stay unique by generation (uuid), not by index;
 *   - UNIQUE (period_id, content_id) of the snapshots becomes a partitioned_unique() guard
 *     (migration 0011), which holds for READ COMMITTED writers;
 *   - the foreign keys to these tables (event_contents.event_id, tasks.effectiveness_id) become
 *     partitioned_reference_check()/partitioned_reference_action() triggers of the same name,
 *     which do what the foreign keys did, with the same SQLSTATE;
 *   - the time column no longer changes once set (partition_key_unchanged()).
 * Everything else stays as it was: columns, defaults, CHECK constraints, indexes, foreign keys
 * from these tables, triggers (the change feed's), views over them, grants and owner.
 *
 * Each table is converted in one transaction that holds an ACCESS EXCLUSIVE lock on it while
 * its rows are copied: an offline step, for a maintenance window (its cost per million rows is
 * in the README). What it would not carry over (a materialized view or a SQL-standard function
 * body over the table, an exclusion constraint, a publication, row-level security, column
 * privileges) makes its conversion refuse before anything changed, saying what.
 */

export const HISTORY_TABLES = [
  { table: 'temporal_events', column: 'first_detected_at' },
  { table: 'crawl_effectiveness', column: 'created_at' },
  { table: 'period_content_snapshots', column: 'created_at' },
] as const;

export interface HistoryPartitioning {
  /** Width of a partition in calendar months. */
  months: number;
}

/** How far ahead of now the partitions are made: two widths. */
function aheadMonths(plan: HistoryPartitioning): number {
  return 2 * plan.months;
}

export interface ConversionReport {
  table: string;
  /** Already partitioned: nothing done. */
  skipped: boolean;
  /** Rows copied (null for a preview). */
  rows: number | null;
  statements: string[];
  durationMs: number;
}

const { escapeIdentifier: ident, escapeLiteral: literal } = pg;

async function isPartitioned(db: Queryable, table: string): Promise<boolean> {
  const { rows } = await db.query<{ partitioned: boolean }>(`SELECT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass($1)) AS partitioned`, [table]);
  return rows[0]!.partitioned;
}

/** The statements that partition `table` by `column`, read from the catalog as it is now. */
export async function conversionStatements(db: Queryable, table: string, column: string, plan: HistoryPartitioning): Promise<string[]> {
  const t = ident(table);
  const old = ident(`${table}__unpartitioned`);
  const { rows: catalog } = await db.query<{
    owner: string;
    grants: string[];
    comment: string | null;
    primary_key: string;
    uniques: { name: string; columns: string[] }[];
    indexes: string[];
    outgoing: { name: string; def: string }[];
    incoming: { name: string; table: string; column: string; action: string; key: string }[];
    triggers: string[];
    views: { name: string; def: string; options: string[] | null; comment: string | null; owner: string; grants: string[] }[];
    others: string[];
  }>(
    `WITH target AS (SELECT $1::regclass AS oid),
     views AS (
       WITH RECURSIVE dependent(oid, depth) AS (
         SELECT r.ev_class, 1 FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid, target
         WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid = target.oid AND r.ev_class <> target.oid
         UNION
         SELECT r.ev_class, dependent.depth + 1 FROM dependent JOIN pg_depend d ON d.refobjid = dependent.oid JOIN pg_rewrite r ON r.oid = d.objid
         WHERE d.classid = 'pg_rewrite'::regclass AND r.ev_class <> dependent.oid
       )
       SELECT oid, max(depth) AS depth FROM dependent GROUP BY oid
     ),
     grants AS (
       SELECT c.oid, array_agg(format('GRANT %s ON %s TO %s', a.privilege_type, c.oid::regclass,
                                      CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END)) AS statements
       FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a
       WHERE a.grantee <> c.relowner GROUP BY c.oid
     )
     SELECT pg_get_userbyid(c.relowner) AS owner, COALESCE(g.statements, '{}') AS grants, obj_description(c.oid, 'pg_class') AS comment,
       (SELECT conname FROM pg_constraint WHERE conrelid = c.oid AND contype = 'p') AS primary_key,
       COALESCE((SELECT json_agg(json_build_object('name', k.conname, 'columns',
                   (SELECT array_agg(a.attname ORDER BY o) FROM unnest(k.conkey) WITH ORDINALITY u(n, o) JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = u.n)))
                 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'u'), '[]') AS uniques,
       COALESCE((SELECT array_agg(pg_get_indexdef(i.indexrelid) ORDER BY i.indexrelid) FROM pg_index i
                 WHERE i.indrelid = c.oid AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = c.oid)), '{}') AS indexes,
       COALESCE((SELECT json_agg(json_build_object('name', k.conname, 'def', pg_get_constraintdef(k.oid)) ORDER BY k.conname)
                 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'f'), '[]') AS outgoing,
       COALESCE((SELECT json_agg(json_build_object('name', k.conname, 'table', k.conrelid::regclass::text,
                   'column', (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = k.conrelid AND a.attnum = k.conkey[1]),
                   'key', (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = k.confrelid AND a.attnum = k.confkey[1]),
                   'action', CASE k.confdeltype WHEN 'c' THEN 'cascade' WHEN 'n' THEN 'set null' ELSE 'restrict' END) ORDER BY k.conname)
                 FROM pg_constraint k WHERE k.confrelid = c.oid AND k.contype = 'f' AND cardinality(k.conkey) = 1), '[]') AS incoming,
       COALESCE((SELECT array_agg(pg_get_triggerdef(tg.oid) ORDER BY tg.tgname) FROM pg_trigger tg WHERE tg.tgrelid = c.oid AND NOT tg.tgisinternal), '{}') AS triggers,
       COALESCE((SELECT json_agg(json_build_object('name', v.oid::regclass::text, 'def', pg_get_viewdef(v.oid), 'options', vc.reloptions,
                   'comment', obj_description(v.oid, 'pg_class'), 'owner', pg_get_userbyid(vc.relowner), 'grants', COALESCE(vg.statements, '{}')) ORDER BY v.depth, v.oid)
                 FROM views v JOIN pg_class vc ON vc.oid = v.oid AND vc.relkind = 'v' LEFT JOIN grants vg ON vg.oid = v.oid), '[]') AS views,
       ARRAY(SELECT format('%s %s', CASE vc.relkind WHEN 'm' THEN 'materialized view' ELSE 'relation' END, vc.oid::regclass)
             FROM views v JOIN pg_class vc ON vc.oid = v.oid WHERE vc.relkind <> 'v'
             UNION ALL SELECT format('foreign key %s on %s (more than one column)', k.conname, k.conrelid::regclass)
             FROM pg_constraint k WHERE k.confrelid = c.oid AND k.contype = 'f' AND cardinality(k.conkey) <> 1
             UNION ALL SELECT format('function %s', d.objid::regprocedure) FROM pg_depend d WHERE d.refobjid = c.oid AND d.classid = 'pg_proc'::regclass
             UNION ALL SELECT format('constraint %s', k.conname) FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype NOT IN ('p', 'u', 'f', 'c', 'n')
             UNION ALL SELECT format('publication %s', p.pubname) FROM pg_publication_rel pr JOIN pg_publication p ON p.oid = pr.prpubid WHERE pr.prrelid = c.oid
             UNION ALL SELECT 'row-level security' WHERE c.relrowsecurity
             UNION ALL SELECT 'column privileges' WHERE EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attacl IS NOT NULL)) AS others
     FROM target JOIN pg_class c ON c.oid = target.oid LEFT JOIN grants g ON g.oid = c.oid`,
    [table],
  );
  const found = catalog[0]!;
  if (found.others.length) {
    throw new Error(`${table} cannot be partitioned here: ${found.others.join(', ')} depend(s) on it; drop or change that first`);
  }
  const { rows: range } = await db.query<{ first: string | null }>(`SELECT min(${ident(column)})::text AS first FROM ${t}`);
  const start = range[0]!.first === null ? 'clock_timestamp()' : `${literal(range[0]!.first)}::timestamptz`;
  const views = found.views;
  const statements = [
    `LOCK TABLE ${t} IN ACCESS EXCLUSIVE MODE`,
    ...[...views].reverse().map((view) => `DROP VIEW ${view.name}`),
    ...found.incoming.map((fk) => `ALTER TABLE ${fk.table} DROP CONSTRAINT ${ident(fk.name)}`),
    `ALTER TABLE ${t} RENAME TO ${old}`,
    `CREATE TABLE ${t} (LIKE ${old} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS INCLUDING STATISTICS) PARTITION BY RANGE (${ident(column)})`,
    `CREATE TABLE ${ident(`${table}_default`)} PARTITION OF ${t} DEFAULT`,
    // From the oldest row's month (now, for an empty table) to two widths past now, empty ones too.
    `SELECT count(*) FROM time_partitions_ahead(${literal(table)}, interval '${plan.months} months', clock_timestamp() - ${start} + interval '${aheadMonths(plan)} months', ${start})`,
    `INSERT INTO ${t} SELECT * FROM ${old}`,
    // RESTRICT: anything still depending on the old table stops the conversion here, before it is lost.
    `DROP TABLE ${old}`,
    `ALTER TABLE ${t} ADD CONSTRAINT ${ident(found.primary_key)} PRIMARY KEY (id, ${ident(column)})`,
    ...found.indexes,
    ...found.uniques.flatMap((unique) => [
      `CREATE INDEX ${ident(unique.name)} ON ${t} (${[...unique.columns, column].map(ident).join(', ')})`,
      `CREATE TRIGGER ${ident(unique.name)} BEFORE INSERT OR UPDATE OF ${unique.columns.map(ident).join(', ')} ON ${t} FOR EACH ROW EXECUTE FUNCTION partitioned_unique(${[unique.name, ...unique.columns].map(literal).join(', ')})`,
    ]),
    ...found.outgoing.map((fk) => `ALTER TABLE ${t} ADD CONSTRAINT ${ident(fk.name)} ${fk.def}`),
    ...found.triggers,
    `CREATE TRIGGER ${ident(`${table}_${column}_unchanged`)} BEFORE UPDATE OF ${ident(column)} ON ${t} FOR EACH ROW EXECUTE FUNCTION partition_key_unchanged(${literal(column)})`,
    ...found.incoming.flatMap((fk) => [
      `CREATE CONSTRAINT TRIGGER ${ident(fk.name)} AFTER INSERT OR UPDATE OF ${ident(fk.column)} ON ${fk.table} FOR EACH ROW EXECUTE FUNCTION partitioned_reference_check(${[fk.column, table, fk.key].map(literal).join(', ')})`,
      `CREATE TRIGGER ${ident(fk.name)} AFTER DELETE OR UPDATE OF ${ident(fk.key)} ON ${t} FOR EACH ROW EXECUTE FUNCTION partitioned_reference_action(${[fk.table, fk.column, fk.action, fk.key].map(literal).join(', ')})`,
    ]),
    ...views.flatMap((view) => [
      `CREATE VIEW ${view.name}${view.options?.length ? ` WITH (${view.options.join(', ')})` : ''} AS ${view.def.replace(/;\s*$/, '')}`,
      `ALTER VIEW ${view.name} OWNER TO ${ident(view.owner)}`,
      ...(view.comment === null ? [] : [`COMMENT ON VIEW ${view.name} IS ${literal(view.comment)}`]),
      ...view.grants,
    ]),
    `ALTER TABLE ${t} OWNER TO ${ident(found.owner)}`,
    ...(found.comment === null ? [] : [`COMMENT ON TABLE ${t} IS ${literal(found.comment)}`]),
    ...found.grants,
    `ANALYZE ${t}`,
  ];
  return statements;
}

/**
 * Partitions each of HISTORY_TABLES not partitioned yet, each in a transaction of its own on
 * `client` (or, with `apply: false`, returns the statements without running them).
 */
export async function partitionDependents(client: pg.ClientBase, plan: HistoryPartitioning & { apply: boolean }): Promise<ConversionReport[]> {
  const reports: ConversionReport[] = [];
  for (const { table, column } of HISTORY_TABLES) {
    const started = performance.now();
    if (await isPartitioned(client, table)) {
      reports.push({ table, skipped: true, rows: null, statements: [], durationMs: 0 });
      continue;
    }
    if (!plan.apply) {
      reports.push({ table, skipped: false, rows: null, statements: await conversionStatements(client, table, column, plan), durationMs: 0 });
      continue;
    }
    const { statements, rows } = await withinTransaction(client, async () => {
      // Locked before the catalog is read: what the statements are made from cannot change under them.
      await client.query(`LOCK TABLE ${ident(table)} IN ACCESS EXCLUSIVE MODE`);
      const statements = await conversionStatements(client, table, column, plan);
      let copied = 0;
      for (const statement of statements) {
        const result = await client.query(statement);
        if (statement.startsWith('INSERT INTO')) copied = result.rowCount ?? 0;
      }
      return { statements, rows: copied };
    });
    reports.push({ table, skipped: false, rows, statements, durationMs: performance.now() - started });
  }
  return reports;
}

/** Makes the partitions ahead for those of HISTORY_TABLES that are partitioned (the gateway's maintenance pass). */
export async function keepHistoryPartitionsAhead(db: Queryable, plan: HistoryPartitioning): Promise<{ table: string; action: string; partition: string }[]> {
  const { rows } = await db.query<{ table: string; action: string; partition_name: string }>(
    `SELECT t.name AS table, a.action, a.partition_name
     FROM unnest($1::text[]) AS t(name)
     JOIN pg_partitioned_table pt ON pt.partrelid = to_regclass(t.name)
     CROSS JOIN LATERAL time_partitions_ahead(pt.partrelid, $2 * interval '1 month', $3 * interval '1 month') a`,
    [HISTORY_TABLES.map((h) => h.table), plan.months, aheadMonths(plan)],
  );
  return rows.map((row) => ({ table: row.table, action: row.action, partition: row.partition_name }));
}
