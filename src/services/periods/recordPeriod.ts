import type pg from 'pg';
import { badUserInput } from '../../errors.js';
import { inTransaction } from '../../db/transaction.js';
import { isoTimestamp, queryRows, raw, sql } from '../../db/sql.js';
import { entityTable, linkUnanalysedContents, lockEntity } from '../entities/entityWrites.js';
import type { EntityKind } from './periodReads.js';
import { insertCrawlEffectiveness, validateCrawlRecord, type CrawlEffectivenessInput } from '../crawl/crawlWrites.js';
import { insertEvents, validateEvent, type EventInput } from '../events/eventWrites.js';
import { insertSnapshots, metricsDeltaExpression, overlappingPeriodNumber, periodOverlap, validateSnapshots, type SnapshotInput } from './writeSteps.js';
import { assertJson, assertListSize, assertMetrics, assertNotFuture, assertScore, assertText, assertUnique, WRITE_LIMITS } from '../common/validation.js';
import { toWriteError } from '../common/writes.js';

export interface RecordPeriodInput {
  entityType: EntityKind;
  entityId: string;
  summary: string;
  /** Only for an entity's first period (default: the entity's creation). */
  periodStart?: Date | null;
  /** Default: now, read after the entity lock is taken. */
  periodEnd?: Date | null;
  summaryShort?: string | null;
  insights?: unknown;
  metrics?: unknown;
  qualityScore?: number | null;
  completenessScore?: number | null;
  knowledgeDoc?: string | null;
  chatSummary?: string | null;
  tasksDispatched?: string[] | null;
  executionLog?: unknown;
  contents?: SnapshotInput[] | null;
  events?: EventInput[] | null;
  crawlEffectiveness?: CrawlEffectivenessInput[] | null;
}

export interface RecordedPeriod {
  id: string;
  periodNumber: number;
  linkedContents: number;
}

function validate(input: RecordPeriodInput): void {
  assertText(input.summary, 'summary', { required: true });
  assertText(input.summaryShort, 'summaryShort', {});
  assertText(input.knowledgeDoc, 'knowledgeDoc', {});
  assertText(input.chatSummary, 'chatSummary', {});
  assertMetrics(input.metrics, 'metrics');
  assertJson(input.insights, 'insights');
  assertJson(input.executionLog, 'executionLog');
  assertListSize(input.contents, 'contents', WRITE_LIMITS.maxSnapshots);
  assertListSize(input.events, 'events');
  assertListSize(input.crawlEffectiveness, 'crawlEffectiveness');
  assertListSize(input.tasksDispatched, 'tasksDispatched', WRITE_LIMITS.maxTasksDispatched);
  assertScore(input.qualityScore, 'qualityScore');
  assertScore(input.completenessScore, 'completenessScore');
  if (input.periodStart && input.periodEnd && input.periodEnd <= input.periodStart) {
    throw badUserInput('`periodEnd` must be after `periodStart`', 'periodEnd');
  }
  validateSnapshots(input.contents ?? []);
  (input.events ?? []).forEach((event, i) => validateEvent(event, `events[${i}].`));
  (input.crawlEffectiveness ?? []).forEach((record, i) => validateCrawlRecord(record, `crawlEffectiveness[${i}].`));
  assertUnique((input.crawlEffectiveness ?? []).flatMap((r) => (r.taskId ? [r.taskId] : [])), 'crawlEffectiveness.taskId');
}

async function assertTasksExist(client: pg.PoolClient, ids: string[]): Promise<void> {
  const found = await queryRows<{ id: string }>(client, sql`SELECT id FROM tasks WHERE id = ANY(${ids}::uuid[])`);
  const known = new Set(found.map((r) => r.id));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length) throw badUserInput(`\`tasksDispatched\` names tasks that do not exist: ${missing.join(', ')}`, 'tasksDispatched');
}

interface PreviousPeriod {
  id: string | null;
  period_number: number | null;
  knowledge_version: number | null;
  /** clock_timestamp(), read after the entity lock was taken: what "in the future" is measured against. */
  now: Date;
}

/**
 * One analysis cycle, saved atomically. Under the entity's row lock: the next number (the
 * newest active one + 1, or 1), a window that starts where the previous active period ended,
 * the flat metrics delta against that period, the entity's unanalysed processed contents linked
 * and counted, its pending events attached, and the given snapshots, events and
 * crawl-effectiveness records. The entity's period counters follow in the database (migration
 * 0010's triggers, which hold direct SQL writers to the same rules). Concurrent calls for one
 * entity queue on the lock and get consecutive numbers and adjacent windows; calls for different
 * entities do not wait on each other.
 *
 * The window is derived in SQL, in the insert itself: its start is the previous period's stored
 * end (or the given start, or the entity's creation), its end the given one or the database's
 * clock, so a bound taken from a stored timestamp keeps its microseconds.
 *
 * Round trips are what a write costs here (each is a socket write and a wake-up on both
 * sides), so the statements are composed: BEGIN, the lock, the previous period with the clock,
 * the insert with its window, overlap check and delta, the linking with the count and the pending
 * events, COMMIT; plus one statement per kind of related row given. The lock is its own
 * statement: what follows must read the database as it is once the lock is held.
 */
export async function recordAnalysisPeriod(
  pool: pg.Pool,
  input: RecordPeriodInput,
  { maxFutureMinutes }: { maxFutureMinutes: number } = { maxFutureMinutes: 10 },
): Promise<RecordedPeriod> {
  validate(input);
  const { entityType, entityId } = input;
  try {
    return await inTransaction(pool, async (client) => {
      await lockEntity(client, entityType, entityId);
      const [previous] = await queryRows<PreviousPeriod>(
        client,
        sql`SELECT p.id, p.period_number, p.knowledge_version, clock_timestamp() AS now
            FROM (VALUES (1)) AS one
            LEFT JOIN LATERAL (
              SELECT id, period_number, knowledge_version FROM analysis_periods
              WHERE entity_type = ${entityType} AND entity_id = ${entityId}::uuid AND status = 'active'
              ORDER BY period_number DESC LIMIT 1) p ON true`,
      );
      const { id: previousId, period_number: previousNumber, now } = previous!;
      if (previousNumber !== null && input.periodStart) {
        throw badUserInput(
          `\`periodStart\` is only for an entity's first period; period ${previousNumber + 1} starts where period ${previousNumber} ended`,
          'periodStart',
        );
      }
      assertNotFuture(input.periodEnd, 'periodEnd', now, maxFutureMinutes);
      assertNotFuture(input.periodStart, 'periodStart', now, maxFutureMinutes);
      (input.events ?? []).forEach((event, i) => assertNotFuture(event.firstDetectedAt, `events[${i}].firstDetectedAt`, now, maxFutureMinutes));

      const number = (previousNumber ?? 0) + 1;
      const knowledgeVersion = (previous!.knowledge_version ?? 0) + (input.knowledgeDoc || previousId === null ? 1 : 0);
      const metrics = JSON.stringify(input.metrics ?? {});
      const window = sql`SELECT COALESCE((SELECT period_end FROM analysis_periods WHERE id = ${previousId}::uuid), ${input.periodStart ?? null}::timestamptz,
                                         (SELECT created_at FROM ${raw(entityTable(entityType))} WHERE id = ${entityId}::uuid)) AS start,
                                COALESCE(${input.periodEnd ?? null}::timestamptz, clock_timestamp()) AS "end"`;
      const [inserted] = await queryRows<{ id: string | null; overlapping: number | null; start: Date; end: Date; ordered: boolean }>(
        client,
        sql`WITH w AS (${window}),
            overlap AS (${overlappingPeriodNumber(input, sql`(SELECT start FROM w)`, sql`(SELECT "end" FROM w)`)}),
            inserted AS (
              INSERT INTO analysis_periods (
                entity_type, entity_id, period_number, period_start, period_end, duration_hours, summary, summary_short,
                insights, metrics, metrics_delta, tasks_dispatched, chat_summary, knowledge_version, knowledge_doc,
                quality_score, completeness_score, execution_log)
              SELECT ${entityType}, ${entityId}::uuid, ${number}::int, w.start, w."end",
                     EXTRACT(EPOCH FROM (w."end" - w.start)) / 3600.0, ${input.summary}, ${input.summaryShort ?? null},
                     ${JSON.stringify(input.insights ?? {})}::jsonb, ${metrics}::jsonb,
                     ${metricsDeltaExpression(sql`${metrics}::jsonb`, sql`${previousId}::uuid`)},
                     ${input.tasksDispatched ?? []}::uuid[], ${input.chatSummary ?? null}, ${knowledgeVersion}::int, ${input.knowledgeDoc ?? null},
                     ${input.qualityScore ?? null}::float8, ${input.completenessScore ?? null}::float8, ${JSON.stringify(input.executionLog ?? {})}::jsonb
              FROM w
              WHERE w."end" > w.start AND NOT EXISTS (SELECT 1 FROM overlap)
              RETURNING id)
            SELECT (SELECT id FROM inserted) AS id, (SELECT period_number FROM overlap) AS overlapping, w.start, w."end", w."end" > w.start AS ordered
            FROM w`,
      );
      const { start, end } = inserted!;
      if (!inserted!.ordered) {
        throw badUserInput(`\`periodEnd\` (${isoTimestamp(end)}) must be after the period's start (${isoTimestamp(start)})`, 'periodEnd');
      }
      if (inserted!.overlapping !== null) throw periodOverlap(inserted!.overlapping, start, end);
      if (input.tasksDispatched?.length) await assertTasksExist(client, input.tasksDispatched);
      const period = { id: inserted!.id!, entityType, entityId };

      // One statement: the data-modifying CTEs all run, and see the period inserted above. The
      // entity's pending events (recorded between cycles) join this period.
      const [counted] = await queryRows<{ content_count: number }>(
        client,
        sql`WITH linked AS (${linkUnanalysedContents(entityType, entityId, period.id)} RETURNING 1),
                 attached AS (UPDATE temporal_events SET period_id = ${period.id}::uuid
                              WHERE entity_type = ${entityType} AND entity_id = ${entityId}::uuid AND period_id IS NULL)
            UPDATE analysis_periods SET content_count = (SELECT count(*) FROM linked) WHERE id = ${period.id}::uuid
            RETURNING content_count`,
      );
      await insertSnapshots(client, period.id, input.contents ?? []);
      await insertEvents(client, period, input.events ?? []);
      await insertCrawlEffectiveness(client, period, input.crawlEffectiveness ?? []);
      return { id: period.id, periodNumber: number, linkedContents: counted!.content_count };
    });
  } catch (error) {
    throw toWriteError(error);
  }
}
