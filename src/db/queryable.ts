import type pg from 'pg';

/** A pool or a single checked-out client: anything that can run a parameterised statement. */
export type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;
