import { GatewayError, badUserInput } from '../errors.js';

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
