import type pg from 'pg';
import { raw, sql, type Sql } from '../../db/sql.js';
import { GatewayError } from '../../errors.js';
import type { EntityKind } from '../common/entityKeys.js';

/**
 * Statements on the entity tables shared by the writes. The table and its content column come
 * from this closed map, never from input.
 */
const ENTITY_TABLES = {
  topic: { table: 'topics', contentColumn: 'topic_id' },
  user: { table: 'users', contentColumn: 'user_id' },
} as const;

/** The table of an entity kind (from the closed map above, never from input). */
export function entityTable(entityType: EntityKind): string {
  return ENTITY_TABLES[entityType].table;
}

/**
 * Locks the entity row until the transaction ends: writes that number or place periods of one
 * entity queue behind each other, while writes for other entities go on in parallel.
 */
export async function lockEntity(client: pg.PoolClient, entityType: EntityKind, entityId: string): Promise<void> {
  const { rowCount } = await client.query(`SELECT 1 FROM ${entityTable(entityType)} WHERE id = $1 FOR UPDATE`, [entityId]);
  if (!rowCount) throw new GatewayError('ENTITY_NOT_FOUND', `no ${entityType} with id ${entityId}`, { entityType, entityId });
}

/**
 * Links the entity's processed contents that no period has analysed yet, crawled before the end
 * of the period `periodId` (read from its row: the bound keeps its microseconds). A statement to
 * compose; add RETURNING to count them.
 */
export function linkUnanalysedContents(entityType: EntityKind, entityId: string, periodId: string): Sql {
  const { contentColumn } = ENTITY_TABLES[entityType];
  return sql`UPDATE contents SET analysis_period_id = ${periodId}::uuid
     WHERE ${raw(contentColumn)} = ${entityId}::uuid AND analysis_period_id IS NULL
       AND processing_status = 'processed'
       AND crawled_at < (SELECT period_end FROM analysis_periods WHERE id = ${periodId}::uuid)`;
}
