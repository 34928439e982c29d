import type pg from 'pg';
import { badUserInput, GatewayError, notFound } from '../errors.js';
import { isoTimestamp } from '../db/sql.js';
import { inTransaction } from '../db/transaction.js';
import { lockEntity } from './entityRows.js';
import type { EntityKind } from './periods.js';
import { insertCrawlEffectiveness, insertEvents, validateCrawlRecord, validateEvent, type CrawlEffectivenessInput, type EventInput } from './periodRows.js';
import { assertJson, assertText } from './validation.js';
import { toWriteError } from './writeErrors.js';

/** The event lifecycle (detected → updated → resolved) and crawl-effectiveness records. */

export interface RecordEventInput extends EventInput {
  entityType: EntityKind;
  entityId: string;
  /** Default: the entity's newest active period. */
  periodId?: string | null;
}

async function writing<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  try {
    return await inTransaction(pool, work);
  } catch (error) {
    throw toWriteError(error);
  }
}

/**
 * In the period given, or the entity's newest active period; an entity with no period yet gets
 * a pending event (no period), which its next recorded period takes, as the analyst's own
 * alert and note tools do.
 */
export async function recordTemporalEvent(pool: pg.Pool, input: RecordEventInput): Promise<{ id: string }> {
  validateEvent(input);
  return writing(pool, async (client) => {
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
  return writing(pool, async (client) => {
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
  return writing(pool, async (client) => {
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

export async function recordCrawlEffectiveness(pool: pg.Pool, input: CrawlEffectivenessInput & { periodId: string }): Promise<{ id: string }> {
  validateCrawlRecord(input);
  return writing(pool, async (client) => {
    const { rows } = await client.query<{ entity_type: EntityKind; entity_id: string }>(
      'SELECT entity_type, entity_id FROM analysis_periods WHERE id = $1',
      [input.periodId],
    );
    if (!rows[0]) throw notFound(`no period with id ${input.periodId}`, { periodId: input.periodId });
    const [id] = await insertCrawlEffectiveness(client, { id: input.periodId, entityType: rows[0].entity_type, entityId: rows[0].entity_id }, [input]);
    return { id: id! };
  });
}
