import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { badUserInput, GatewayError, notFound } from '../../errors.js';
import { isoTimestamp } from '../../db/sql.js';
import type { EntityKind } from '../common/entityKeys.js';
import { assertEventType, assertJson, assertListSize, assertScore, assertText, assertUnique } from '../common/validation.js';
import { assertContentsExist, inWriteTransaction, type PeriodRef } from '../common/writes.js';
import { lockEntity } from '../entities/entityWrites.js';

/** The event lifecycle (detected → updated → resolved), and the events a period's cycle records. */

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

export interface RecordEventInput extends EventInput {
  entityType: EntityKind;
  entityId: string;
  /** Default: the entity's newest active period. */
  periodId?: string | null;
}

/**
 * In the period given, or the entity's newest active period; an entity with no period yet gets
 * a pending event (no period), which its next recorded period takes, as the analyst's own
 * alert and note tools do.
 */
export async function recordTemporalEvent(pool: pg.Pool, input: RecordEventInput): Promise<{ id: string }> {
  validateEvent(input);
  return inWriteTransaction(pool, async (client) => {
    await lockEntity(client, input.entityType, input.entityId);
    const { rows } = await client.query<{ id: string; entity_type: string; entity_id: string }>(
      input.periodId
        ? 'SELECT id, entity_type, entity_id FROM analysis_periods WHERE id = $1'
        : `SELECT id, entity_type, entity_id FROM analysis_periods WHERE entity_type = $1 AND entity_id = $2 AND status = 'active'
           ORDER BY period_number DESC LIMIT 1`,
      input.periodId ? [input.periodId] : [input.entityType, input.entityId],
    );
    const period = rows[0];
    if (!period && input.periodId) throw notFound(`no period with id ${input.periodId}`, { periodId: input.periodId });
    if (period && (period.entity_type !== input.entityType || period.entity_id !== input.entityId)) {
      throw badUserInput(`period ${period.id} belongs to another entity`, 'periodId');
    }
    const [id] = await insertEvents(client, { id: period?.id ?? null, entityType: input.entityType, entityId: input.entityId }, [input]);
    return { id: id! };
  });
}

export interface UpdateEventInput {
  id: string;
  severity?: string | null;
  title?: string | null;
  description?: string | null;
  metadata?: unknown;
}

export async function updateTemporalEvent(pool: pg.Pool, input: UpdateEventInput): Promise<{ id: string }> {
  // Left out means unchanged; given means it must not be blank.
  if (input.title != null) assertText(input.title, 'title', { required: true, maxLength: 256 });
  if (input.description != null) assertText(input.description, 'description', { required: true });
  assertJson(input.metadata, 'metadata');
  return inWriteTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: string }>(
      `UPDATE temporal_events
       SET severity = COALESCE($2, severity), title = COALESCE($3, title), description = COALESCE($4, description),
           metadata = COALESCE($5::jsonb, metadata), last_updated_at = now()
       WHERE id = $1 RETURNING id`,
      [
        input.id, input.severity ?? null, input.title ?? null, input.description ?? null,
        input.metadata === undefined || input.metadata === null ? null : JSON.stringify(input.metadata),
      ],
    );
    if (!rows[0]) throw notFound(`no temporal event with id ${input.id}`, { id: input.id });
    return rows[0];
  });
}

export async function resolveTemporalEvent(pool: pg.Pool, id: string, note?: string | null): Promise<{ id: string }> {
  return inWriteTransaction(pool, async (client) => {
    const { rows } = await client.query<{ resolved_at: Date | null }>('SELECT resolved_at FROM temporal_events WHERE id = $1 FOR UPDATE', [id]);
    if (!rows[0]) throw notFound(`no temporal event with id ${id}`, { id });
    if (rows[0].resolved_at) {
      throw new GatewayError('INVALID_STATE', `event ${id} was already resolved at ${isoTimestamp(rows[0].resolved_at)}`, {
        resolvedAt: isoTimestamp(rows[0].resolved_at),
      });
    }
    await client.query(
      'UPDATE temporal_events SET resolved_at = now(), resolution_note = $2, last_updated_at = now() WHERE id = $1',
      [id, note ?? null],
    );
    return { id };
  });
}
