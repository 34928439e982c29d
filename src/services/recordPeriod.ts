import type pg from 'pg';
import { badUserInput } from '../errors.js';
import { inTransaction } from '../db/transaction.js';
import { linkUnanalysedContents, lockEntity, refreshEntityStats } from './entityRows.js';
import type { EntityKind } from './periods.js';
import {
  insertCrawlEffectiveness,
  insertEvents,
  insertSnapshots,
  metricsDelta,
  overlappingActivePeriod,
  periodOverlap,
  validateCrawlRecord,
  validateEvent,
  validateSnapshots,
  type CrawlEffectivenessInput,
  type EventInput,
  type SnapshotInput,
} from './periodRows.js';
import { assertScore, assertText, assertUnique } from './validation.js';
import { toWriteError } from './writeErrors.js';

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

/**
 * One analysis cycle, saved atomically. Under the entity's row lock: the next number
 * (current + 1, or 1), a window that starts where the previous active period ended, the flat
 * metrics delta against that period, the entity's unanalysed processed contents linked and
 * counted, the given snapshots, events and crawl-effectiveness records, and the entity's
 * period bookkeeping. Concurrent calls for one entity queue on the lock and get consecutive
 * numbers and adjacent windows; calls for different entities do not wait on each other.
 */
export async function recordAnalysisPeriod(pool: pg.Pool, input: RecordPeriodInput): Promise<RecordedPeriod> {
  validate(input);
  try {
    return await inTransaction(pool, async (client) => {
      const entity = await lockEntity(client, input.entityType, input.entityId);
      const { rows: previousRows } = await client.query<{ id: string; period_number: number; period_end: Date; knowledge_version: number }>(
        `SELECT id, period_number, period_end, knowledge_version FROM analysis_periods
         WHERE entity_type = $1 AND entity_id = $2 AND status = 'active'
         ORDER BY period_number DESC LIMIT 1`,
        [input.entityType, input.entityId],
      );
      const previous = previousRows[0] ?? null;
      if (previous && input.periodStart) {
        throw badUserInput(
          `\`periodStart\` is only for an entity's first period; period ${previous.period_number + 1} starts where period ${previous.period_number} ended`,
          'periodStart',
        );
      }
      const start = previous?.period_end ?? input.periodStart ?? entity.createdAt;
      const { rows: clock } = await client.query<{ now: Date }>('SELECT clock_timestamp() AS now');
      const end = input.periodEnd ?? clock[0]!.now;
      if (end <= start) {
        throw badUserInput(`\`periodEnd\` (${end.toISOString()}) must be after the period's start (${start.toISOString()})`, 'periodEnd');
      }
      const overlapping = await overlappingActivePeriod(client, input, start, end);
      if (overlapping !== null) throw periodOverlap(overlapping, start, end);

      const number = Math.max(entity.currentPeriodNumber ?? 0, previous?.period_number ?? 0) + 1;
      const delta = await metricsDelta(client, input.metrics, previous?.id ?? null);
      const knowledgeVersion = (previous?.knowledge_version ?? 0) + (input.knowledgeDoc || !previous ? 1 : 0);
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO analysis_periods (
           entity_type, entity_id, period_number, period_start, period_end, duration_hours, summary, summary_short,
           insights, metrics, metrics_delta, tasks_dispatched, chat_summary, knowledge_version, knowledge_doc,
           quality_score, completeness_score, execution_log)
         VALUES ($1, $2, $3, $4, $5, EXTRACT(EPOCH FROM ($5::timestamptz - $4::timestamptz)) / 3600.0, $6, $7,
                 $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         RETURNING id`,
        [
          input.entityType, input.entityId, number, start, end, input.summary, input.summaryShort ?? null,
          JSON.stringify(input.insights ?? {}), JSON.stringify(input.metrics ?? {}), JSON.stringify(delta),
          input.tasksDispatched ?? [], input.chatSummary ?? null, knowledgeVersion, input.knowledgeDoc ?? null,
          input.qualityScore ?? null, input.completenessScore ?? null, JSON.stringify(input.executionLog ?? {}),
        ],
      );
      const period = { id: rows[0]!.id, entityType: input.entityType, entityId: input.entityId };

      const linkedContents = await linkUnanalysedContents(client, input.entityType, input.entityId, period.id, end);
      await client.query('UPDATE analysis_periods SET content_count = $2 WHERE id = $1', [period.id, linkedContents]);
      await insertSnapshots(client, period.id, input.contents ?? []);
      await insertEvents(client, period, input.events ?? []);
      await insertCrawlEffectiveness(client, period, input.crawlEffectiveness ?? []);
      await refreshEntityStats(client, input.entityType, input.entityId);
      return { id: period.id, periodNumber: number, linkedContents };
    });
  } catch (error) {
    throw toWriteError(error);
  }
}
