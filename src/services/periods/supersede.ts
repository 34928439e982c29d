import type pg from 'pg';
import { badUserInput, GatewayError, notFound } from '../../errors.js';
import { inTransaction } from '../../db/transaction.js';
import { lockEntity } from '../entities/entityWrites.js';
import type { EntityKind } from './periodReads.js';
import { queryRows, sql } from '../../db/sql.js';
import { metricsDelta, overlappingPeriodNumber, periodOverlap } from './writeSteps.js';
import { assertJson, assertMetrics, assertScore, assertText } from '../common/validation.js';
import { toWriteError } from '../common/writes.js';

export interface SupersedeInput {
  periodId: string;
  reason: string;
  summary?: string | null;
  summaryShort?: string | null;
  insights?: unknown;
  metrics?: unknown;
  qualityScore?: number | null;
  completenessScore?: number | null;
  /** A corrected window; default the old one's. It must still fit between the neighbours. */
  periodStart?: Date | null;
  periodEnd?: Date | null;
}

interface PeriodRow {
  id: string;
  entity_type: EntityKind;
  entity_id: string;
  period_number: number;
  status: string;
  metrics: unknown;
}

/**
 * Re-running an analysis: the old period becomes `superseded` (pointing at its replacement,
 * with the reason) and the replacement takes its number and window, or a corrected window
 * that still fits between the neighbouring active periods. Fields not given are carried over
 * from the old period, as are its content snapshots and linked contents; its events and crawl
 * records stay with it for the audit trail. The next period's metrics delta is recomputed
 * against the replacement. All in one transaction, under the entity's lock.
 */
/** The replacement's window as a one-row query `(start, "end")`: the bounds given, else the old period's stored ones. */
function replacementWindow(input: SupersedeInput) {
  return sql`SELECT COALESCE(${input.periodStart ?? null}::timestamptz, old.period_start) AS start,
                    COALESCE(${input.periodEnd ?? null}::timestamptz, old.period_end) AS "end"
             FROM analysis_periods old WHERE old.id = ${input.periodId}::uuid`;
}

export async function supersedePeriod(pool: pg.Pool, input: SupersedeInput): Promise<{ id: string }> {
  assertText(input.reason, 'reason', { required: true });
  assertMetrics(input.metrics, 'metrics');
  assertJson(input.insights, 'insights');
  assertScore(input.qualityScore, 'qualityScore');
  assertScore(input.completenessScore, 'completenessScore');
  try {
    return await inTransaction(pool, async (client) => {
      const { rows: found } = await client.query<{ entity_type: EntityKind; entity_id: string }>(
        'SELECT entity_type, entity_id FROM analysis_periods WHERE id = $1',
        [input.periodId],
      );
      if (!found[0]) throw notFound(`no period with id ${input.periodId}`, { periodId: input.periodId });
      await lockEntity(client, found[0].entity_type, found[0].entity_id);

      const { rows } = await client.query<PeriodRow>(
        'SELECT id, entity_type, entity_id, period_number, status, metrics FROM analysis_periods WHERE id = $1 FOR UPDATE',
        [input.periodId],
      );
      const old = rows[0]!;
      if (old.status !== 'active') {
        throw new GatewayError('INVALID_STATE', `period ${old.period_number} is ${old.status}; only an active period can be superseded`, {
          status: old.status,
        });
      }
      // The replacement's window: the one given, else the old period's, as stored (derived in SQL:
      // a bound taken from a stored timestamp keeps its microseconds).
      const entity = { entityType: old.entity_type, entityId: old.entity_id };
      const [window] = await queryRows<{ start: Date; end: Date; ordered: boolean; conflict: number | null }>(
        client,
        sql`WITH w AS (${replacementWindow(input)})
            SELECT w.start, w."end", w."end" > w.start AS ordered,
                   (${overlappingPeriodNumber(entity, sql`w.start`, sql`w."end"`, old.id)}) AS conflict
            FROM w`,
      );
      if (!window!.ordered) throw badUserInput('`periodEnd` must be after `periodStart`', 'periodEnd');
      if (window!.conflict !== null) throw periodOverlap(window!.conflict, window!.start, window!.end);

      // The old row must leave the active set before its replacement enters it.
      await client.query(
        `UPDATE analysis_periods SET status = 'superseded', supersession_reason = $2, updated_at = now() WHERE id = $1`,
        [old.id, input.reason],
      );
      const { rows: previous } = await client.query<{ id: string }>(
        `SELECT id FROM analysis_periods WHERE entity_type = $1 AND entity_id = $2 AND status = 'active' AND period_number < $3
         ORDER BY period_number DESC LIMIT 1`,
        [old.entity_type, old.entity_id, old.period_number],
      );
      const metrics = input.metrics ?? old.metrics;
      const delta = await metricsDelta(client, metrics, previous[0]?.id ?? null);

      const [replacement] = await queryRows<{ id: string }>(
        client,
        sql`WITH w AS (${replacementWindow(input)})
            INSERT INTO analysis_periods (
              entity_type, entity_id, period_number, period_start, period_end, duration_hours, status, content_count,
              summary, summary_short, insights, metrics, metrics_delta, tasks_dispatched, tasks_summary, chat_summary,
              knowledge_version, knowledge_doc, knowledge_diff, quality_score, completeness_score, execution_log)
            SELECT old.entity_type, old.entity_id, old.period_number, w.start, w."end", EXTRACT(EPOCH FROM (w."end" - w.start)) / 3600.0,
                   'active', old.content_count, COALESCE(${input.summary ?? null}, old.summary), COALESCE(${input.summaryShort ?? null}, old.summary_short),
                   COALESCE(${input.insights === undefined || input.insights === null ? null : JSON.stringify(input.insights)}::jsonb, old.insights),
                   ${JSON.stringify(metrics)}::jsonb, ${JSON.stringify(delta)}::jsonb, old.tasks_dispatched, old.tasks_summary, old.chat_summary,
                   old.knowledge_version, old.knowledge_doc, old.knowledge_diff,
                   COALESCE(${input.qualityScore ?? null}::float8, old.quality_score), COALESCE(${input.completenessScore ?? null}::float8, old.completeness_score),
                   old.execution_log
            FROM analysis_periods old, w WHERE old.id = ${old.id}::uuid
            RETURNING id`,
      );
      const replacementId = replacement!.id;
      await client.query('UPDATE analysis_periods SET superseded_by = $2 WHERE id = $1', [old.id, replacementId]);
      await client.query(
        `INSERT INTO period_content_snapshots (period_id, content_id, contribution_type, relevance_score, text_snapshot, key_points_snapshot, created_at)
         SELECT $2, content_id, contribution_type, relevance_score, text_snapshot, key_points_snapshot, created_at
         FROM period_content_snapshots WHERE period_id = $1`,
        [old.id, replacementId],
      );
      await client.query('UPDATE contents SET analysis_period_id = $2 WHERE analysis_period_id = $1', [old.id, replacementId]);

      const { rows: next } = await client.query<{ id: string; metrics: unknown }>(
        `SELECT id, metrics FROM analysis_periods WHERE entity_type = $1 AND entity_id = $2 AND status = 'active' AND period_number > $3
         ORDER BY period_number LIMIT 1`,
        [old.entity_type, old.entity_id, old.period_number],
      );
      if (next[0]) {
        const nextDelta = await metricsDelta(client, next[0].metrics, replacementId);
        await client.query('UPDATE analysis_periods SET metrics_delta = $2, updated_at = now() WHERE id = $1', [next[0].id, JSON.stringify(nextDelta)]);
      }
      return { id: replacementId };
    });
  } catch (error) {
    throw toWriteError(error);
  }
}
