import type pg from 'pg';
import { raw, sql, type Sql } from '../db/sql.js';
import { GatewayError } from '../errors.js';
import type { EntityKind } from './periods.js';

/**
 * Statements on the entity tables shared by the writes. The table and its content column come
 * from this closed map, never from input.
 */
const ENTITY_TABLES = {
  topic: { table: 'topics', contentColumn: 'topic_id' },
  user: { table: 'users', contentColumn: 'user_id' },
} as const;

export interface LockedEntity {
  id: string;
  createdAt: Date;
  currentPeriodNumber: number | null;
}

/**
 * Locks the entity row until the transaction ends: writes that number or place periods of one
 * entity queue behind each other, while writes for other entities go on in parallel.
 */
export async function lockEntity(client: pg.PoolClient, entityType: EntityKind, entityId: string): Promise<LockedEntity> {
  const { table } = ENTITY_TABLES[entityType];
  const { rows } = await client.query<{ id: string; created_at: Date; current_period_number: number | null }>(
    `SELECT id, created_at, current_period_number FROM ${table} WHERE id = $1 FOR UPDATE`,
    [entityId],
  );
  const row = rows[0];
  if (!row) throw new GatewayError('ENTITY_NOT_FOUND', `no ${entityType} with id ${entityId}`, { entityType, entityId });
  return { id: row.id, createdAt: row.created_at, currentPeriodNumber: row.current_period_number };
}

/**
 * Links the entity's processed contents that no period has analysed yet, crawled before the
 * period's end (a statement to compose; add RETURNING to count them).
 */
export function linkUnanalysedContents(entityType: EntityKind, entityId: string, periodId: string, periodEnd: Date): Sql {
  const { contentColumn } = ENTITY_TABLES[entityType];
  return sql`UPDATE contents SET analysis_period_id = ${periodId}::uuid
     WHERE ${raw(contentColumn)} = ${entityId}::uuid AND analysis_period_id IS NULL
       AND processing_status = 'processed' AND crawled_at < ${periodEnd}::timestamptz`;
}
