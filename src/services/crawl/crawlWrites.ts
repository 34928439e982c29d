import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { badUserInput, notFound } from '../../errors.js';
import type { EntityKind } from '../common/entityKeys.js';
import { assertCrawlCounts, assertText, type CrawlCounts } from '../common/validation.js';
import { inWriteTransaction, type PeriodRef } from '../common/writes.js';

/** Crawl-effectiveness records: one on its own (recordCrawlEffectiveness), or those a period's cycle records. */

export interface CrawlEffectivenessInput extends CrawlCounts {
  platform: string;
  query: string;
  recommendations?: string | null;
  taskId?: string | null;
}

export function validateCrawlRecord(record: CrawlEffectivenessInput, prefix = ''): void {
  assertText(record.platform, `${prefix}platform`, { required: true, maxLength: 16 });
  assertText(record.query, `${prefix}query`, { required: true, maxLength: 2000 });
  assertText(record.recommendations, `${prefix}recommendations`, {});
  assertCrawlCounts(record, prefix);
}

/** Inserts the records and links each given task to its record; returns the new ids in input order. */
export async function insertCrawlEffectiveness(client: pg.PoolClient, period: PeriodRef, records: CrawlEffectivenessInput[]): Promise<string[]> {
  if (records.length === 0) return [];
  const ids = records.map(() => randomUUID());
  await client.query(
    `INSERT INTO crawl_effectiveness (id, period_id, entity_type, entity_id, platform, query, total_found, relevant_count,
                                      high_value_count, effectiveness_score, avg_relevance, coverage_ratio, recommendations)
     SELECT r.id, $1, $2, $3, r.platform, r.query, r.total_found, r.relevant_count, r.high_value_count,
            r.effectiveness_score, r.avg_relevance, r.coverage_ratio, r.recommendations
     FROM unnest($4::uuid[], $5::text[], $6::text[], $7::int[], $8::int[], $9::int[], $10::float8[], $11::float8[], $12::float8[], $13::text[])
          AS r(id, platform, query, total_found, relevant_count, high_value_count, effectiveness_score, avg_relevance, coverage_ratio, recommendations)`,
    [
      period.id,
      period.entityType,
      period.entityId,
      ids,
      records.map((r) => r.platform),
      records.map((r) => r.query),
      records.map((r) => r.totalFound ?? 0),
      records.map((r) => r.relevantCount ?? 0),
      records.map((r) => r.highValueCount ?? 0),
      records.map((r) => r.effectivenessScore ?? null),
      records.map((r) => r.avgRelevance ?? null),
      records.map((r) => r.coverageRatio ?? null),
      records.map((r) => r.recommendations ?? null),
    ],
  );
  const taskLinks = records.flatMap((r, i) => (r.taskId ? [{ taskId: r.taskId, id: ids[i]! }] : []));
  if (taskLinks.length) {
    const { rows } = await client.query<{ id: string }>(
      `UPDATE tasks t SET effectiveness_id = l.effectiveness_id
       FROM unnest($1::uuid[], $2::uuid[]) AS l(task_id, effectiveness_id)
       WHERE t.id = l.task_id RETURNING t.id`,
      [taskLinks.map((l) => l.taskId), taskLinks.map((l) => l.id)],
    );
    const found = new Set(rows.map((r) => r.id));
    const missing = taskLinks.filter((l) => !found.has(l.taskId)).map((l) => l.taskId);
    if (missing.length) throw badUserInput(`\`taskId\` names tasks that do not exist: ${missing.join(', ')}`, 'taskId');
  }
  return ids;
}

export async function recordCrawlEffectiveness(pool: pg.Pool, input: CrawlEffectivenessInput & { periodId: string }): Promise<{ id: string }> {
  validateCrawlRecord(input);
  return inWriteTransaction(pool, async (client) => {
    const { rows } = await client.query<{ entity_type: EntityKind; entity_id: string }>(
      'SELECT entity_type, entity_id FROM analysis_periods WHERE id = $1',
      [input.periodId],
    );
    if (!rows[0]) throw notFound(`no period with id ${input.periodId}`, { periodId: input.periodId });
    const [id] = await insertCrawlEffectiveness(client, { id: input.periodId, entityType: rows[0].entity_type, entityId: rows[0].entity_id }, [input]);
    return { id: id! };
  });
}
