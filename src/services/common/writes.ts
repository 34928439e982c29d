import type pg from 'pg';
import { inTransaction } from '../../db/transaction.js';
import { GatewayError, badUserInput } from '../../errors.js';
import type { EntityKind } from './entityKeys.js';

/** What the rows written with a period (events, crawl records) point at. */
export interface PeriodRef {
  /** Null for pending events: recorded between cycles, attached by the entity's next period. */
  id: string | null;
  entityType: EntityKind;
  entityId: string;
}

/** A write in one transaction; a constraint the database enforces comes back as a coded error (toWriteError). */
export async function inWriteTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  try {
    return await inTransaction(pool, work);
  } catch (error) {
    throw toWriteError(error);
  }
}

/** BAD_USER_INPUT naming `field` unless every content id exists. */
export async function assertContentsExist(client: pg.PoolClient, ids: string[], field: string): Promise<void> {
  if (ids.length === 0) return;
  const { rows } = await client.query<{ id: string }>(`SELECT id FROM contents WHERE id = ANY($1::uuid[])`, [ids]);
  const found = new Set(rows.map((r) => r.id));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) throw badUserInput(`\`${field}\` names contents that do not exist: ${missing.join(', ')}`, field);
}

interface PgError {
  code?: string;
  constraint?: string;
  table?: string;
  detail?: string;
}

/**
 * Constraint violations that reach the database (a race with another writer, or a check the
 * gateway does not repeat) become coded GraphQL errors that name the conflict. Constraints are
 * recognised by kind and table, not only by name: a database created by the original alembic
 * migrations may name them differently.
 */
export function toWriteError(error: unknown): unknown {
  if (error instanceof GatewayError) return error;
  const pg = error as PgError;
  if (!pg || typeof pg.code !== 'string') return error;
  switch (pg.code) {
    case '23P01':
      return new GatewayError('PERIOD_OVERLAP', 'the period would overlap another active period of the same entity', {
        constraint: pg.constraint,
      });
    case '23505':
      if (pg.table === 'analysis_periods') {
        return new GatewayError('DUPLICATE_PERIOD_NUMBER', 'another active period of this entity already has that number', {
          constraint: pg.constraint,
        });
      }
      return badUserInput(`a row with the same key already exists in ${pg.table ?? 'the table'}`);
    case '23514': {
      const field = /(quality|completeness|effectiveness|relevance|coverage)[a-z_]*/.exec(pg.constraint ?? '')?.[0];
      if (field) return new GatewayError('INVALID_SCORE', `${field} must be between 0 and 1`, { field });
      return badUserInput(`the values violate ${pg.constraint ?? 'a check constraint'} of ${pg.table ?? 'the table'}`);
    }
    case '23503':
      return badUserInput(`a referenced row does not exist (${pg.constraint ?? 'foreign key'})`);
    case '22001':
      return badUserInput('a value is longer than its column allows');
    default:
      return error;
  }
}
