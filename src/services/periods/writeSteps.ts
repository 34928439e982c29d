import type pg from 'pg';
import { isoTimestamp, queryRows, sql, type Sql } from '../../db/sql.js';
import { GatewayError } from '../../errors.js';
import type { EntityKind } from './periodReads.js';
import { assertScore, assertText, assertUnique } from '../common/validation.js';
import { assertContentsExist } from '../common/writes.js';

/**
 * Steps of the period writes (recordAnalysisPeriod, supersedePeriod): the overlap check, the
 * metrics delta, the content snapshots (one set-based statement for the whole list). The events
 * and crawl records of a cycle are written by their domains (events/, crawl/).
 */

/**
 * The number of the first active period of the entity whose window overlaps [start, end) (as the
 * exclusion constraint's half-open ranges do): a query to compose, the bounds SQL expressions
 * (derived in the statement, so that they keep their microseconds; a reversed window overlaps
 * nothing here, and is refused by its caller).
 */
export function overlappingPeriodNumber(entity: { entityType: EntityKind; entityId: string }, start: Sql, end: Sql, exceptId: string | null = null): Sql {
  return sql`SELECT period_number FROM analysis_periods
     WHERE entity_type = ${entity.entityType} AND entity_id = ${entity.entityId}::uuid AND status = 'active'
       AND period_start < ${end} AND period_end > ${start}
       AND (${exceptId}::uuid IS NULL OR id <> ${exceptId}::uuid)
     ORDER BY period_number LIMIT 1`;
}

export function periodOverlap(number: number, start: Date, end: Date): GatewayError {
  return new GatewayError(
    'PERIOD_OVERLAP',
    `the window ${isoTimestamp(start)} – ${isoTimestamp(end)} overlaps active period ${number} of this entity`,
    { conflictingPeriodNumber: number },
  );
}

/**
 * The flat metrics delta of `current` (a jsonb expression) against the metrics of the period
 * `previousId` (a uuid expression; null gives {}), as an expression to compose. The formula
 * is the database's metrics_delta() (migration 0006), which recompute_metrics_delta() uses
 * too: one definition.
 */
export function metricsDeltaExpression(current: Sql, previousId: Sql): Sql {
  return sql`metrics_delta(${current}, (SELECT prev.metrics FROM analysis_periods prev WHERE prev.id = ${previousId}))`;
}

export async function metricsDelta(client: pg.PoolClient, current: unknown, previousPeriodId: string | null): Promise<unknown> {
  if (!previousPeriodId) return {};
  const rows = await queryRows<{ delta: unknown }>(
    client,
    sql`SELECT ${metricsDeltaExpression(sql`${JSON.stringify(current ?? {})}::jsonb`, sql`${previousPeriodId}::uuid`)} AS delta`,
  );
  return rows[0]?.delta ?? {};
}

export interface SnapshotInput {
  contentId: string;
  relevanceScore?: number | null;
  contributionType?: string | null;
}

export function validateSnapshots(contents: SnapshotInput[]): void {
  assertUnique(contents.map((c) => c.contentId), 'contents.contentId');
  contents.forEach((c, i) => {
    assertScore(c.relevanceScore, `contents[${i}].relevanceScore`);
    assertText(c.contributionType, `contents[${i}].contributionType`, { maxLength: 32 });
  });
}

/** Snapshots freeze each content's text and key points as they are at this moment. */
export async function insertSnapshots(client: pg.PoolClient, periodId: string, contents: SnapshotInput[]): Promise<void> {
  if (contents.length === 0) return;
  await assertContentsExist(client, contents.map((c) => c.contentId), 'contents');
  await client.query(
    `INSERT INTO period_content_snapshots (period_id, content_id, contribution_type, relevance_score, text_snapshot, key_points_snapshot)
     SELECT $1, c.id, COALESCE(i.contribution_type, 'general'), i.relevance, c.text, c.key_points
     FROM unnest($2::uuid[], $3::float8[], $4::text[]) AS i(content_id, relevance, contribution_type)
     JOIN contents c ON c.id = i.content_id`,
    [periodId, contents.map((c) => c.contentId), contents.map((c) => c.relevanceScore ?? null), contents.map((c) => c.contributionType ?? null)],
  );
}

