import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { isoTimestamp, queryRows, sql, type Sql } from '../db/sql.js';
import { badUserInput, GatewayError } from '../errors.js';
import type { EntityKind } from './periods.js';
import { assertCrawlCounts, assertEventType, assertJson, assertListSize, assertScore, assertText, assertUnique, type CrawlCounts } from './validation.js';

/**
 * Rows written together with a period: its content snapshots, the events and crawl
 * effectiveness of the cycle. Each kind is one set-based statement for the whole list.
 */

export interface PeriodRef {
  /** Null for pending events: recorded between cycles, attached by the entity's next period. */
  id: string | null;
  entityType: EntityKind;
  entityId: string;
}

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

async function assertContentsExist(client: pg.PoolClient, ids: string[], field: string): Promise<void> {
  if (ids.length === 0) return;
  const { rows } = await client.query<{ id: string }>(`SELECT id FROM contents WHERE id = ANY($1::uuid[])`, [ids]);
  const found = new Set(rows.map((r) => r.id));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) throw badUserInput(`\`${field}\` names contents that do not exist: ${missing.join(', ')}`, field);
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

export interface EventInput {
  eventType: string;
  title: string;
  description: string;
  severity?: string | null;
  firstDetectedAt?: Date | null;
  metadata?: unknown;
  contents?: { contentId: string; relevance?: number | null }[] | null;
}

/** Field names in errors are relative to the input object: `title`, or `events[2].title` when nested. */
export function validateEvent(event: EventInput, prefix = ''): void {
  assertEventType(event.eventType, `${prefix}eventType`);
  assertText(event.title, `${prefix}title`, { required: true, maxLength: 256 });
  assertText(event.description, `${prefix}description`, { required: true });
  assertJson(event.metadata, `${prefix}metadata`);
  assertListSize(event.contents, `${prefix}contents`);
  assertUnique((event.contents ?? []).map((c) => c.contentId), `${prefix}contents.contentId`);
  (event.contents ?? []).forEach((c, j) => assertScore(c.relevance, `${prefix}contents[${j}].relevance`));
}

/** Inserts the events with their related contents; returns the new ids in input order. */
export async function insertEvents(client: pg.PoolClient, period: PeriodRef, events: EventInput[]): Promise<string[]> {
  if (events.length === 0) return [];
  const ids = events.map(() => randomUUID());
  const links = events.flatMap((event, i) => (event.contents ?? []).map((c) => ({ eventId: ids[i]!, contentId: c.contentId, relevance: c.relevance ?? null })));
  await assertContentsExist(client, [...new Set(links.map((l) => l.contentId))], 'events.contents');
  await client.query(
    `INSERT INTO temporal_events (id, period_id, entity_type, entity_id, event_type, severity, title, description, first_detected_at, metadata)
     SELECT e.id, $1, $2, $3, e.event_type, e.severity, e.title, e.description, COALESCE(e.first_detected_at, now()), e.metadata
     FROM unnest($4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::jsonb[])
          AS e(id, event_type, severity, title, description, first_detected_at, metadata)`,
    [
      period.id,
      period.entityType,
      period.entityId,
      ids,
      events.map((e) => e.eventType),
      events.map((e) => e.severity ?? 'info'),
      events.map((e) => e.title),
      events.map((e) => e.description),
      events.map((e) => e.firstDetectedAt ?? null),
      events.map((e) => JSON.stringify(e.metadata ?? {})),
    ],
  );
  if (links.length) {
    await client.query(
      `INSERT INTO event_contents (event_id, content_id, relevance_to_event)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::float8[])`,
      [links.map((l) => l.eventId), links.map((l) => l.contentId), links.map((l) => l.relevance)],
    );
  }
  return ids;
}

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
