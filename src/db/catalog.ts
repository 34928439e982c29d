import { listMigrationFiles } from './migrationFiles.js';
import { readMigrationScript, type FinishingStep } from './migrationScripts.js';
import type { Queryable } from './queryable.js';

/**
 * What each migration puts in the catalog, as checks that look objects up by what they are
 * rather than by name where the spec does not fix the name: a database created by the
 * original alembic migrations must pass them too. `db verify` runs all of them; adoption
 * runs those of one migration to decide whether it is already in place.
 */
export interface CatalogCheck {
  migration: string;
  kind: 'extension' | 'table' | 'column' | 'constraint' | 'index' | 'view' | 'materialized view' | 'function' | 'trigger';
  object: string;
  sql: string;
  params: unknown[];
  /** Set on the checks derived from a migration's finishing steps: the step that makes it pass. */
  step?: FinishingStep;
}

const BASE_MIGRATION = '0000_base_tables';
const TEMPORAL_TABLES_MIGRATION = '0001_create_temporal_tables';
const ALTER_MIGRATION = '0002_alter_existing_tables';
const VIEWS_MIGRATION = '0003_create_views_and_functions';
const REFRESH_LOG_MIGRATION = '0004_create_refresh_log';
const ALIGN_MIGRATION = '0006_align_with_crosshot';
const PENDING_EVENTS_MIGRATION = '0007_pending_events';
const GUARD_MIGRATION = '0008_guard_direct_period_writes';
const CHANGE_FEED_MIGRATION = '0009_change_feed';
const SHARED_WRITERS_MIGRATION = '0010_shared_writers';
const TIME_PARTITIONS_MIGRATION = '0011_time_partitions';

const BASE_TABLES = ['tasks', 'topics', 'users', 'topic_users', 'contents', 'content_media', 'chat_messages'];
const TEMPORAL_TABLES = ['analysis_periods', 'period_content_snapshots', 'temporal_events', 'event_contents', 'crawl_effectiveness'];

const tableExists = (migration: string, table: string): CatalogCheck => ({
  migration,
  kind: 'table',
  object: table,
  sql: `SELECT to_regclass(format('public.%I', $1::text)) IS NOT NULL AS ok`,
  params: [table],
});

const tablePartitioned = (migration: string, table: string): CatalogCheck => ({
  migration,
  kind: 'table',
  object: `${table} (partitioned)`,
  sql: `SELECT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(format('public.%I', $1::text))) AS ok`,
  params: [table],
});

const columnExists = (migration: string, table: string, column: string): CatalogCheck => ({
  migration,
  kind: 'column',
  object: `${table}.${column}`,
  sql: `SELECT EXISTS (SELECT 1 FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name = $1 AND column_name = $2) AS ok`,
  params: [table, column],
});

const columnNullable = (migration: string, table: string, column: string): CatalogCheck => ({
  migration,
  kind: 'column',
  object: `${table}.${column} nullable`,
  sql: `SELECT EXISTS (SELECT 1 FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name = $1 AND column_name = $2 AND is_nullable = 'YES') AS ok`,
  params: [table, column],
});

const checkConstraintOn = (migration: string, table: string, column: string, label: string): CatalogCheck => ({
  migration,
  kind: 'constraint',
  object: `CHECK ${label} on ${table}`,
  sql: `SELECT EXISTS (SELECT 1 FROM pg_constraint c
          WHERE c.conrelid = to_regclass(format('public.%I', $1::text)) AND c.contype = 'c'
            AND pg_get_constraintdef(c.oid) ~ $2) AS ok`,
  params: [table, `\\m${column}\\M`],
});

/**
 * What stands for a foreign key or a unique constraint on a table `db partition-dependents`
 * partitioned (src/db/historyPartitions.ts): a trigger of migration 0011's `fn` on `table`, with
 * its arguments as `args` (text[]).
 */
const partitionedEquivalent = (fn: string, table: string) => `
          SELECT 1 FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
          CROSS JOIN LATERAL array_remove(string_to_array(encode(t.tgargs, 'escape'), '\\000'), '') AS args
          WHERE t.tgrelid = to_regclass(format('public.%I', ${table}::text)) AND p.proname = '${fn}'`;

const foreignKey = (migration: string, table: string, column: string, target: string): CatalogCheck => ({
  migration,
  kind: 'constraint',
  object: `FOREIGN KEY ${table}.${column} -> ${target}`,
  sql: `SELECT EXISTS (SELECT 1 FROM pg_constraint c
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
          WHERE c.conrelid = to_regclass(format('public.%I', $1::text)) AND c.contype = 'f'
            AND a.attname = $2 AND c.confrelid = to_regclass(format('public.%I', $3::text)))
        OR EXISTS (${partitionedEquivalent('partitioned_reference_check', '$1')} AND args[1] = $2 AND args[2] = $3) AS ok`,
  params: [table, column, target],
});

const uniqueIndexOn = (migration: string, relation: string, columns: string[], predicate: string | null): CatalogCheck => ({
  migration,
  kind: 'index',
  object: `UNIQUE (${columns.join(', ')}) on ${relation}${predicate ? ` WHERE ${predicate}` : ''}`,
  sql: `SELECT EXISTS (SELECT 1 FROM pg_index i
          WHERE i.indrelid = to_regclass(format('public.%I', $1::text)) AND i.indisunique
            AND (SELECT array_agg(a.attname::text ORDER BY k.ord)
                   FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
                   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum) = $2::text[]
            AND ($3::text IS NULL OR pg_get_expr(i.indpred, i.indrelid) ~ $3))
        OR EXISTS (${partitionedEquivalent('partitioned_unique', '$1')} AND args[2:] = $2::text[] AND $3::text IS NULL) AS ok`,
  params: [relation, columns, predicate],
});

/**
 * A finishing step's index is in place when a valid index has the same key columns in the same
 * order (and, when partial, a predicate on the same words), whatever its name: alembic's
 * `idx_*` indexes count. An index left invalid by an interrupted CREATE INDEX CONCURRENTLY
 * does not.
 */
const indexStepDone = (migration: string, step: Extract<FinishingStep, { kind: 'index' }>): CatalogCheck => ({
  migration,
  kind: 'index',
  object: `${step.unique ? 'UNIQUE ' : ''}(${step.columns.join(', ')}) on ${step.table}${step.predicate ? ` WHERE ${step.predicate}` : ''}`,
  sql: `SELECT EXISTS (SELECT 1 FROM pg_index i
          WHERE i.indrelid = to_regclass(format('public.%I', $1::text)) AND i.indisvalid AND (i.indisunique OR NOT $4::boolean)
            AND (SELECT array_agg(a.attname::text ORDER BY k.ord)
                   FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
                   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                  WHERE k.ord <= i.indnkeyatts) = $2::text[]
            AND CASE WHEN $3::text[] IS NULL THEN i.indpred IS NULL
                     ELSE i.indpred IS NOT NULL AND NOT EXISTS (
                       SELECT 1 FROM unnest($3::text[]) AS word
                       WHERE position(lower(word) IN lower(pg_get_expr(i.indpred, i.indrelid))) = 0) END) AS ok`,
  params: [step.table, step.columns, step.predicate?.match(/\w+/g) ?? null, step.unique],
  step,
});

/** A constraint a migration added NOT VALID has been validated (passes if it goes by another name). */
const validateStepDone = (migration: string, step: Extract<FinishingStep, { kind: 'validate' }>): CatalogCheck => ({
  migration,
  kind: 'constraint',
  object: `${step.constraint} on ${step.table} validated`,
  sql: `SELECT NOT EXISTS (SELECT 1 FROM pg_constraint
          WHERE conrelid = to_regclass(format('public.%I', $1::text)) AND conname = $2 AND NOT convalidated) AS ok`,
  params: [step.table, step.constraint],
  step,
});

function stepCheck(migration: string, step: FinishingStep): CatalogCheck {
  switch (step.kind) {
    case 'index':
      return indexStepDone(migration, step);
    case 'validate':
      return validateStepDone(migration, step);
    case 'extension':
      return {
        migration,
        kind: 'extension',
        object: step.name,
        sql: `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = $1) AS ok`,
        params: [step.name],
        step,
      };
    case 'exclusion':
      return {
        migration,
        kind: 'constraint',
        object: `EXCLUDE on ${step.table}`,
        sql: `SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass(format('public.%I', $1::text)) AND contype = 'x') AS ok`,
        params: [step.table],
        step,
      };
    case 'default':
      return {
        migration,
        kind: 'column',
        object: `${step.table}.${step.column} default`,
        sql: `SELECT EXISTS (SELECT 1 FROM information_schema.columns
                WHERE table_schema = 'public' AND table_name = $1 AND column_name = $2 AND column_default IS NOT NULL) AS ok`,
        params: [step.table, step.column],
        step,
      };
  }
}

const finishingStepChecks = (): CatalogCheck[] =>
  listMigrationFiles().flatMap(({ name }) => {
    const script = readMigrationScript(name);
    return [...script.finishingSteps, ...script.columnDefaults].map((step) => stepCheck(name, step));
  });

const triggerExists = (migration: string, table: string, name: string): CatalogCheck => ({
  migration,
  kind: 'trigger',
  object: `${name} on ${table}`,
  sql: `SELECT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = $1 AND tgrelid = to_regclass(format('public.%I', $2::text))) AS ok`,
  params: [name, table],
});

const routineExists = (migration: string, name: string): CatalogCheck => ({
  migration,
  kind: 'function',
  object: `${name}()`,
  sql: `SELECT EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
          WHERE n.nspname = 'public' AND p.proname = $1) AS ok`,
  params: [name],
});

const ADDED_COLUMNS: Record<string, string[]> = {
  topics: ['current_period_number', 'last_period_id', 'total_periods', 'first_analysis_at', 'avg_period_duration_hours'],
  users: ['current_period_number', 'last_period_id', 'total_periods', 'first_analysis_at', 'avg_period_duration_hours'],
  contents: ['analysis_period_id', 'published_at', 'discovered_at', 'relevance_score'],
  tasks: ['period_id', 'effectiveness_id', 'duration_seconds'],
  chat_messages: ['period_id'],
};

const CHECKS: CatalogCheck[] = [
  ...BASE_TABLES.map((table) => tableExists(BASE_MIGRATION, table)),

  ...TEMPORAL_TABLES.map((table) => tableExists(TEMPORAL_TABLES_MIGRATION, table)),
  uniqueIndexOn(TEMPORAL_TABLES_MIGRATION, 'period_content_snapshots', ['period_id', 'content_id'], null),
  checkConstraintOn(TEMPORAL_TABLES_MIGRATION, 'analysis_periods', 'entity_type', 'entity_type'),
  checkConstraintOn(TEMPORAL_TABLES_MIGRATION, 'analysis_periods', 'status', 'status'),
  checkConstraintOn(TEMPORAL_TABLES_MIGRATION, 'analysis_periods', 'period_start', 'period_end > period_start'),
  checkConstraintOn(TEMPORAL_TABLES_MIGRATION, 'analysis_periods', 'quality_score', 'quality_score 0..1'),
  checkConstraintOn(TEMPORAL_TABLES_MIGRATION, 'analysis_periods', 'completeness_score', 'completeness_score 0..1'),
  checkConstraintOn(TEMPORAL_TABLES_MIGRATION, 'period_content_snapshots', 'relevance_score', 'relevance_score 0..1'),
  checkConstraintOn(TEMPORAL_TABLES_MIGRATION, 'temporal_events', 'entity_type', 'entity_type'),
  checkConstraintOn(TEMPORAL_TABLES_MIGRATION, 'temporal_events', 'severity', 'severity'),
  checkConstraintOn(TEMPORAL_TABLES_MIGRATION, 'event_contents', 'relevance_to_event', 'relevance_to_event 0..1'),
  checkConstraintOn(TEMPORAL_TABLES_MIGRATION, 'crawl_effectiveness', 'entity_type', 'entity_type'),
  checkConstraintOn(TEMPORAL_TABLES_MIGRATION, 'crawl_effectiveness', 'effectiveness_score', 'effectiveness_score 0..1'),
  checkConstraintOn(TEMPORAL_TABLES_MIGRATION, 'crawl_effectiveness', 'avg_relevance', 'avg_relevance 0..1'),
  checkConstraintOn(TEMPORAL_TABLES_MIGRATION, 'crawl_effectiveness', 'coverage_ratio', 'coverage_ratio 0..1'),
  foreignKey(TEMPORAL_TABLES_MIGRATION, 'period_content_snapshots', 'period_id', 'analysis_periods'),
  foreignKey(TEMPORAL_TABLES_MIGRATION, 'temporal_events', 'period_id', 'analysis_periods'),
  foreignKey(TEMPORAL_TABLES_MIGRATION, 'event_contents', 'event_id', 'temporal_events'),
  foreignKey(TEMPORAL_TABLES_MIGRATION, 'crawl_effectiveness', 'period_id', 'analysis_periods'),

  ...Object.entries(ADDED_COLUMNS).flatMap(([table, columns]) =>
    columns.map((column) => columnExists(ALTER_MIGRATION, table, column)),
  ),
  foreignKey(ALTER_MIGRATION, 'topics', 'last_period_id', 'analysis_periods'),
  foreignKey(ALTER_MIGRATION, 'users', 'last_period_id', 'analysis_periods'),
  foreignKey(ALTER_MIGRATION, 'contents', 'analysis_period_id', 'analysis_periods'),
  foreignKey(ALTER_MIGRATION, 'tasks', 'period_id', 'analysis_periods'),
  foreignKey(ALTER_MIGRATION, 'tasks', 'effectiveness_id', 'crawl_effectiveness'),
  foreignKey(ALTER_MIGRATION, 'chat_messages', 'period_id', 'analysis_periods'),
  foreignKey(ALTER_MIGRATION, 'period_content_snapshots', 'content_id', 'contents'),
  foreignKey(ALTER_MIGRATION, 'event_contents', 'content_id', 'contents'),

  ...['v_period_timeline', 'v_entity_timeline_summary', 'v_crawl_effectiveness_ranking'].map((view) => ({
    migration: VIEWS_MIGRATION,
    kind: 'view' as const,
    object: view,
    sql: `SELECT EXISTS (SELECT 1 FROM pg_views WHERE schemaname = 'public' AND viewname = $1) AS ok`,
    params: [view],
  })),
  {
    migration: VIEWS_MIGRATION,
    kind: 'materialized view',
    object: 'mv_period_metrics_trend',
    sql: `SELECT EXISTS (SELECT 1 FROM pg_matviews WHERE schemaname = 'public' AND matviewname = 'mv_period_metrics_trend') AS ok`,
    params: [],
  },
  ...['get_period_by_number', 'get_content_timeline', 'detect_metric_anomalies', 'recompute_metrics_delta'].map((name) =>
    routineExists(VIEWS_MIGRATION, name),
  ),

  tableExists(REFRESH_LOG_MIGRATION, 'gateway_materialized_view_refreshes'),

  tableExists(ALIGN_MIGRATION, 'gateway_replaced_definitions'),
  routineExists(ALIGN_MIGRATION, 'metrics_delta'),
  // Only what no earlier state has (the gateway's 0003 ranking view already had coverage_ratio):
  // a check an older database passes would make its upgrade look like a hand-made partial one.
  columnExists(ALIGN_MIGRATION, 'v_period_timeline', 'tasks_linked_count'),

  columnNullable(PENDING_EVENTS_MIGRATION, 'temporal_events', 'period_id'),

  ...['refresh_entity_period_stats', 'guard_active_period_insert', 'after_period_insert', 'after_period_update'].map((name) => routineExists(GUARD_MIGRATION, name)),
  ...['tr_analysis_periods_guard_insert', 'tr_analysis_periods_after_insert', 'tr_analysis_periods_after_update'].map((name) =>
    triggerExists(GUARD_MIGRATION, 'analysis_periods', name),
  ),

  tableExists(CHANGE_FEED_MIGRATION, 'change_feed'),
  tableExists(CHANGE_FEED_MIGRATION, 'change_feed_horizon'),
  ...['change_feed_periods_inserted', 'change_feed_period_activated', 'change_feed_events_inserted', 'change_feed_event_changed', 'change_feed_trend_refreshed', 'change_feed_wake'].map((name) =>
    routineExists(CHANGE_FEED_MIGRATION, name),
  ),
  triggerExists(CHANGE_FEED_MIGRATION, 'analysis_periods', 'tr_analysis_periods_change_feed_insert'),
  triggerExists(CHANGE_FEED_MIGRATION, 'analysis_periods', 'tr_analysis_periods_change_feed_activate'),
  triggerExists(CHANGE_FEED_MIGRATION, 'temporal_events', 'tr_temporal_events_change_feed_insert'),
  triggerExists(CHANGE_FEED_MIGRATION, 'temporal_events', 'tr_temporal_events_change_feed_update'),
  triggerExists(CHANGE_FEED_MIGRATION, 'gateway_materialized_view_refreshes', 'tr_view_refreshes_change_feed'),

  ...['metric_numeric', 'metric_number', 'entity_period_stats', 'keep_entity_period_stats', 'after_period_delete', 'check_period_numbers_dense'].map((name) =>
    routineExists(SHARED_WRITERS_MIGRATION, name),
  ),
  triggerExists(SHARED_WRITERS_MIGRATION, 'topics', 'tr_topics_period_stats'),
  triggerExists(SHARED_WRITERS_MIGRATION, 'users', 'tr_users_period_stats'),
  triggerExists(SHARED_WRITERS_MIGRATION, 'analysis_periods', 'tr_analysis_periods_after_delete'),
  triggerExists(SHARED_WRITERS_MIGRATION, 'analysis_periods', 'tr_analysis_periods_dense_numbers'),
  tablePartitioned(TIME_PARTITIONS_MIGRATION, 'change_feed'),
  ...['time_partitions', 'time_partitions_ahead', 'change_feed_maintain', 'column_type', 'partitioned_reference_check', 'partitioned_reference_action', 'partitioned_unique', 'partition_key_unchanged'].map((name) => routineExists(TIME_PARTITIONS_MIGRATION, name)),
  ...finishingStepChecks(),
];

// `db verify` lists the checks migration by migration (sort is stable within one).
export const CATALOG_CHECKS = CHECKS.sort((a, b) => a.migration.localeCompare(b.migration));

export interface CheckResult {
  check: CatalogCheck;
  ok: boolean;
}

export async function runCatalogChecks(db: Queryable, checks: CatalogCheck[] = CATALOG_CHECKS): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    const { rows } = await db.query<{ ok: boolean }>(check.sql, check.params);
    results.push({ check, ok: rows[0]?.ok === true });
  }
  return results;
}

export function checksOf(migration: string): CatalogCheck[] {
  return CATALOG_CHECKS.filter((check) => check.migration === migration);
}
